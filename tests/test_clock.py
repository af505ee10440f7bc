"""The one clock: Beijing days and months, their UTC bounds, the SQL day expression and freezing."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import literal, select

from wagewatch import clock
from wagewatch.extensions import db
from wagewatch.models import Punch


def test_beijing_day_turns_at_16_utc(frozen_clock):
    frozen_clock.set(datetime(2026, 11, 28, 15, 59, tzinfo=timezone.utc))
    assert clock.beijing_today() == date(2026, 11, 28)
    frozen_clock.set(datetime(2026, 11, 28, 16, 0, tzinfo=timezone.utc))
    assert clock.beijing_today() == date(2026, 11, 29)


def test_frozen_clock_drives_column_defaults_and_advances(frozen_clock):
    from wagewatch.models._types import utcnow

    moment = frozen_clock.set(datetime(2026, 1, 1, 0, 0, tzinfo=timezone.utc))
    assert utcnow() == moment
    frozen_clock.advance(hours=25)
    assert clock.now() == datetime(2026, 1, 2, 1, 0, tzinfo=timezone.utc)


def test_freeze_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        clock.freeze(datetime(2026, 1, 1))


def test_day_bounds_are_utc_instants_of_the_beijing_day():
    start, end = clock.day_bounds(date(2026, 11, 29))
    assert start == datetime(2026, 11, 28, 16, tzinfo=timezone.utc)
    assert end == datetime(2026, 11, 29, 16, tzinfo=timezone.utc)


def test_last_days_covers_exactly_the_count():
    first, last = clock.last_days(7, date(2026, 11, 29))
    assert (first, last) == (date(2026, 11, 23), date(2026, 11, 29))
    assert (last - first).days + 1 == 7


@pytest.mark.parametrize("month,bounds", [
    ("2026-02", (date(2026, 2, 1), date(2026, 2, 28))),
    ("2028-02", (date(2028, 2, 1), date(2028, 2, 29))),
    ("2026-12", (date(2026, 12, 1), date(2026, 12, 31))),
])
def test_month_bounds(month, bounds):
    assert clock.month_bounds(month) == bounds


@pytest.mark.parametrize("bad", ["2026-13", "2026-1", "26-01", "2026/01", "", "２０２６-01"])
def test_parse_month_refuses_bad_text(bad):
    with pytest.raises(ValueError):
        clock.parse_month(bad)


def test_next_and_previous_month_wrap_the_year():
    assert clock.next_month(date(2026, 12, 15)) == date(2027, 1, 1)
    assert clock.previous_month(date(2026, 1, 15)) == date(2025, 12, 1)


@pytest.mark.parametrize("utc,day", [
    (datetime(2026, 11, 28, 15, 59, 59, tzinfo=timezone.utc), date(2026, 11, 28)),
    (datetime(2026, 11, 28, 16, 0, 0, tzinfo=timezone.utc), date(2026, 11, 29)),
])
def test_sql_day_of_matches_python_on_both_databases(any_app, utc, day):
    column = Punch.__table__.c.punched_at
    value = db.session.scalar(select(clock.day_of(literal(utc, column.type))))
    assert (value if isinstance(value, date) else date.fromisoformat(value)) == day == clock.beijing_day(utc)
