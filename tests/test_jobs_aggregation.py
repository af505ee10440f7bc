"""The nightly 考勤日报 aggregation on SQLite and PostgreSQL: idempotent, late punches, --day, --all, CLI."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from jobs.aggregation import aggregate_attendance
from tests.factories import ProjectFactory, make_worker
from wagewatch.extensions import db
from wagewatch.models import AggregationRun, AttendanceDay, Punch
from wagewatch.rules.attendance import beijing_day, summarize

UTC = timezone.utc
NOW = datetime.now(UTC)


def punch(project, worker, at, received=None, device="D1"):
    db.session.add(Punch(project_id=project.id, worker_id=worker.id, punched_at=at, device_id=device,
                         received_at=received or NOW))


def days():
    rows = db.session.scalars(select(AttendanceDay).order_by(AttendanceDay.worker_id, AttendanceDay.day))
    return [(r.worker_id, r.day, r.first_in, r.last_out, r.punches, r.work_minutes, r.status) for r in rows]


@pytest.fixture
def site(any_app):
    project = ProjectFactory(review_status="approved", status="in_progress")
    return project, make_worker("甲"), make_worker("乙")


def test_aggregate_matches_the_pure_rule_and_is_idempotent(site):
    project, a, b = site
    # 甲: Beijing 2026-11-25 08:00 → 18:15; the 23:30 Beijing punch on the 25th is 15:30 UTC, still the 25th.
    times_a = [datetime(2026, 11, 25, 0, 0, tzinfo=UTC), datetime(2026, 11, 25, 10, 15, tzinfo=UTC),
               datetime(2026, 11, 25, 15, 30, tzinfo=UTC)]
    for at in times_a:
        punch(project, a, at)
    # 乙: one punch at 00:30 Beijing on the 26th (16:30 UTC on the 25th) → 单次打卡 on the 26th.
    punch(project, b, datetime(2026, 11, 25, 16, 30, tzinfo=UTC))
    db.session.commit()

    first = aggregate_attendance()
    expected_a = summarize(times_a)
    assert days() == [
        (a.id, date(2026, 11, 25), expected_a.first_in, expected_a.last_out, 3, expected_a.work_minutes, "normal"),
        (b.id, date(2026, 11, 26), datetime(2026, 11, 25, 16, 30, tzinfo=UTC),
         datetime(2026, 11, 25, 16, 30, tzinfo=UTC), 1, 0, "single"),
    ]
    assert first["days_written"] == 2 and expected_a.work_minutes == 930
    snapshot = days()
    aggregate_attendance()
    aggregate_attendance(all_days=True)
    assert days() == snapshot
    assert len(db.session.scalars(select(AggregationRun)).all()) == 3


def test_late_punch_corrects_an_old_day(site):
    project, a, _b = site
    old_day = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
    punch(project, a, old_day, received=NOW - timedelta(days=6))
    db.session.commit()
    aggregate_attendance()
    assert days()[0][4:] == (1, 0, "single")
    # Move the watermark well past the overlap, as on a later night.
    db.session.execute(update(AggregationRun).values(until=NOW - timedelta(hours=1)))
    db.session.commit()
    # The afternoon punch of that old day arrives a week late.
    punch(project, a, old_day + timedelta(hours=9), received=NOW)
    db.session.commit()
    aggregate_attendance()
    assert days() == [(a.id, date(2026, 11, 20), old_day, old_day + timedelta(hours=9), 2, 540, "normal")]


def test_incremental_run_only_touches_new_groups(site):
    project, a, b = site
    punch(project, a, datetime(2026, 11, 24, 1, 0, tzinfo=UTC), received=NOW - timedelta(days=3))
    db.session.commit()
    aggregate_attendance()
    db.session.execute(update(AggregationRun).values(until=NOW - timedelta(hours=1)))
    # Tamper with the stored day: an incremental run that does not touch it must leave it alone.
    db.session.execute(update(AttendanceDay).values(work_minutes=999))
    punch(project, b, datetime(2026, 11, 26, 1, 0, tzinfo=UTC))
    db.session.commit()
    result = aggregate_attendance()
    assert result["days_written"] == 1
    assert {row[0]: row[5] for row in days()} == {a.id: 999, b.id: 0}
    aggregate_attendance(day="2026-11-24")  # --day recomputes that Beijing day from its punches
    assert {row[0]: row[5] for row in days()} == {a.id: 0, b.id: 0}


def test_day_boundary_is_beijing_midnight(site):
    project, a, _b = site
    before, after = datetime(2026, 11, 26, 15, 59, tzinfo=UTC), datetime(2026, 11, 26, 16, 0, tzinfo=UTC)
    punch(project, a, before)
    punch(project, a, after)
    db.session.commit()
    aggregate_attendance(day="2026-11-27")
    assert [(row[1], row[4]) for row in days()] == [(beijing_day(after), 1)]
    aggregate_attendance()
    assert [(row[1], row[4]) for row in days()] == [(date(2026, 11, 26), 1), (date(2026, 11, 27), 1)]


def test_cli(app):
    project, worker = ProjectFactory(), make_worker()
    punch(project, worker, datetime(2026, 11, 26, 1, 0, tzinfo=UTC))
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["attendance", "aggregate"])
    assert result.exit_code == 0 and "考勤日报已更新：1 条" in result.output
    result = runner.invoke(args=["attendance", "aggregate", "--day", "2026-11-26"])
    assert result.exit_code == 0 and "1 条" in result.output
    result = runner.invoke(args=["attendance", "aggregate", "--day", "26/11"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
    assert runner.invoke(args=["attendance", "aggregate", "--all"]).exit_code == 0


def test_punch_committed_after_the_run_is_caught_by_the_overlap(site):
    """A punch stamped received before the watermark but committed after the run (a slow transaction)."""
    project, a, _b = site
    aggregate_attendance()
    watermark = db.session.scalar(select(AggregationRun.until))
    punch(project, a, datetime(2026, 11, 26, 1, 0, tzinfo=UTC), received=watermark - timedelta(minutes=5))
    db.session.commit()
    assert aggregate_attendance()["days_written"] == 1
    assert [(row[1], row[4]) for row in days()] == [(date(2026, 11, 26), 1)]


def test_cli_day_and_all_exclude_each_other(app):
    result = app.test_cli_runner().invoke(args=["attendance", "aggregate", "--day", "2026-11-26", "--all"])
    assert result.exit_code != 0 and "只能选一个" in result.output
    assert db.session.scalars(select(AggregationRun)).all() == []
