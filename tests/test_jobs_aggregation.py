"""The nightly 考勤日报 aggregation on SQLite and PostgreSQL: idempotent, late punches, --day, --all, CLI."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from jobs.aggregation import aggregate_attendance
from tests.concurrency import together
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
    runs = db.session.scalars(select(AggregationRun).order_by(AggregationRun.id)).all()
    assert [(r.mode, r.status, r.days_written) for r in runs] == [
        ("incremental", "succeeded", 2), ("incremental", "succeeded", 0), ("all", "succeeded", 0)]
    assert all(r.finished_at >= r.started_at and r.until is not None and r.error is None for r in runs)


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
    assert result.exit_code == 0 and "0 条" in result.output  # recomputed, nothing changed, nothing rewritten
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


def test_a_failed_run_is_recorded_and_moves_nothing(site, monkeypatch):
    project, a, _b = site
    punch(project, a, datetime(2026, 11, 25, 1, 0, tzinfo=UTC), received=NOW - timedelta(hours=3))
    db.session.commit()
    aggregate_attendance()
    before_rows, before_mark = days(), db.session.scalar(select(AggregationRun.until))
    punch(project, a, datetime(2026, 11, 25, 9, 0, tzinfo=UTC), received=NOW)
    db.session.commit()

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr("jobs.aggregation.statement", broken)
    with pytest.raises(RuntimeError):
        aggregate_attendance()
    failed = db.session.scalars(select(AggregationRun).order_by(AggregationRun.id.desc())).first()
    assert (failed.status, failed.until, failed.days_written) == ("failed", None, 0)
    assert "磁盘已满" in failed.error and failed.finished_at is not None
    assert days() == before_rows
    from jobs.aggregation import watermark
    assert watermark() == before_mark
    monkeypatch.undo()
    # The next run starts from the last good watermark and takes the punch in.
    assert aggregate_attendance()["days_written"] == 1
    assert days()[0][4:] == (2, 480, "normal")


def test_a_crash_inside_the_statement_leaves_the_previous_rows(site, monkeypatch):
    """The statement itself fails halfway (a bad SQL fragment): the transaction rolls back as a whole."""
    project, a, b = site
    punch(project, a, datetime(2026, 11, 25, 1, 0, tzinfo=UTC), received=NOW - timedelta(hours=3))
    db.session.commit()
    aggregate_attendance(all_days=True)
    before = days()
    punch(project, b, datetime(2026, 11, 25, 2, 0, tzinfo=UTC), received=NOW)
    db.session.commit()
    from jobs import aggregation
    monkeypatch.setitem(aggregation.DIALECT[db.engine.dialect.name if db.engine.dialect.name == "postgresql"
                                            else "sqlite"], "minutes", "no_such_column")
    with pytest.raises(DBAPIError):
        aggregate_attendance()
    assert days() == before
    assert db.session.scalars(select(AggregationRun.status).order_by(AggregationRun.id)).all() == \
        ["succeeded", "failed"]


def test_a_day_run_is_recorded_without_a_watermark(site):
    project, a, _b = site
    punch(project, a, datetime(2026, 11, 25, 1, 0, tzinfo=UTC))
    db.session.commit()
    result = aggregate_attendance(day="2026-11-25")
    run = db.session.get(AggregationRun, result["run_id"])
    assert (run.mode, run.day, run.status, run.until, run.days_written) == \
        ("day", date(2026, 11, 25), "succeeded", None, 1)


def test_incremental_runs_agree_with_a_full_recompute(site):
    """Random punches arriving over several nights, late ones included: the nightly runs end where --all does."""
    import random

    project, a, b = site
    workers = [a, b, make_worker("丙"), make_worker("丁")]
    rng = random.Random(7)
    base = datetime(2026, 11, 10, 0, 0, tzinfo=UTC)
    seen = set()
    for night in range(4):
        for _ in range(25):
            at = base + timedelta(days=rng.randint(0, 6), minutes=rng.randint(0, 1439))
            worker = rng.choice(workers)
            if (worker.id, at) in seen:
                continue
            seen.add((worker.id, at))
            punch(project, worker, at, received=NOW - timedelta(days=4 - night, minutes=rng.randint(0, 600)))
        db.session.commit()
        aggregate_attendance()
        # The next night: the watermark is where this night's run stopped, in the fake timeline.
        db.session.execute(update(AggregationRun).where(AggregationRun.until.is_not(None))
                           .values(until=NOW - timedelta(days=3 - night, hours=14)))
        db.session.commit()
    incremental = days()
    aggregate_attendance(all_days=True)
    assert days() == incremental and len(incremental) > 20


def test_two_runs_at_once_take_turns(pg_app):
    """On PostgreSQL a second run waits for the first (advisory lock) and both succeed with the same rows."""
    project = ProjectFactory()
    workers = [make_worker(f"工人{n}") for n in range(30)]
    for n, worker in enumerate(workers):
        punch(project, worker, datetime(2026, 11, 25, 1, n, tzinfo=UTC))
        punch(project, worker, datetime(2026, 11, 25, 9, n, tzinfo=UTC))
    db.session.commit()
    errors = []

    def run():
        try:
            with pg_app.app_context():
                aggregate_attendance()
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    together(2, run)
    assert errors == []
    db.session.expire_all()
    assert len(days()) == 30 and all(row[4:] == (2, 480, "normal") for row in days())
    statuses = db.session.scalars(select(AggregationRun.status)).all()
    assert statuses == ["succeeded", "succeeded"]
