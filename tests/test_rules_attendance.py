"""R5 day summary and Beijing-day bucketing as pure functions."""
from datetime import date, datetime, timezone

import pytest

from wagewatch.rules.attendance import beijing_day, day_bounds, summarize

UTC = timezone.utc


def test_two_punches_make_a_normal_day():
    summary = summarize([datetime(2026, 11, 26, 9, 30, tzinfo=UTC), datetime(2026, 11, 26, 1, 0, tzinfo=UTC),
                         datetime(2026, 11, 26, 5, 0, tzinfo=UTC)])
    assert summary.first_in == datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    assert summary.last_out == datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    assert (summary.punches, summary.work_minutes, summary.status) == (3, 510, "normal")


def test_one_punch_is_single():
    moment = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    summary = summarize([moment])
    assert (summary.first_in, summary.last_out, summary.work_minutes, summary.status) == (moment, moment, 0, "single")


def test_partial_minutes_are_cut():
    summary = summarize([datetime(2026, 1, 1, 0, 0, tzinfo=UTC), datetime(2026, 1, 1, 0, 1, 59, tzinfo=UTC)])
    assert summary.work_minutes == 1


def test_no_punch_is_an_error():
    with pytest.raises(ValueError):
        summarize([])


def test_days_are_beijing_days():
    assert beijing_day(datetime(2026, 11, 26, 15, 59, tzinfo=UTC)) == date(2026, 11, 26)
    assert beijing_day(datetime(2026, 11, 26, 16, 0, tzinfo=UTC)) == date(2026, 11, 27)
    start, end = day_bounds(date(2026, 11, 27))
    assert start.astimezone(UTC) == datetime(2026, 11, 26, 16, 0, tzinfo=UTC)
    assert (end - start).total_seconds() == 86400
