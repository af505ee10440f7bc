"""Punches partitioned by Beijing month on PostgreSQL (one table on SQLite): creation ahead, archive, pruning."""
import gzip
import re
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, event, func, inspect, select, text

from jobs.aggregation import aggregate_attendance
from jobs.partitions import archive_old_punches, create_punch_partitions
from tests.attendance_helpers import UTC, at, punch, site, worked
from tests.conftest import PG_ADMIN_URL, make_user, unavailable
from tests.test_models import migrated_app
from wagewatch import clock, partitions
from wagewatch.attendance.queries import evidence
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Punch
from wagewatch.reference import RULE_DEFAULTS

MONTH = date(2026, 11, 1)  # the month the pruning tests punch in (made sure of, whatever today is)


def attached(conn=None) -> set[str]:
    return {name for name, on in partitions.partitions(conn or db.session.connection()).items() if on}


def drop_months(*months: date) -> None:
    db.session.rollback()
    for first in months:
        db.session.execute(text(f"DROP TABLE IF EXISTS {partitions.name_of(first)}"))
    db.session.commit()


def test_sqlite_keeps_one_table_and_numbers_ids(app):
    project, (worker,) = site()
    worked(project, worker, date(2026, 11, 3))
    db.session.flush()
    ids = db.session.scalars(select(Punch.id).order_by(Punch.id)).all()
    assert len(ids) == 2 and all(ids)
    assert inspect(db.engine).get_pk_constraint("punches")["constrained_columns"] == ["id"]
    assert partitions.ensure(db.session.connection()) == []
    assert archive_old_punches()["archived"] == []
    assert not any(partitions.is_partition_name(t) for t in inspect(db.engine).get_table_names())


def test_month_arithmetic_and_names():
    assert partitions.add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert partitions.add_months(date(2026, 1, 1), -13) == date(2024, 12, 1)
    assert partitions.name_of(date(2027, 2, 1)) == "punches_2027_02"
    assert partitions.month_of("punches_2027_02") == date(2027, 2, 1)
    start, end = partitions.bounds(date(2026, 11, 1))
    assert start.astimezone(UTC) == datetime(2026, 10, 31, 16, tzinfo=UTC)  # Beijing midnight
    assert end.astimezone(UTC) == datetime(2026, 11, 30, 16, tzinfo=UTC)
    assert RULE_DEFAULTS["attendance.punch_keep_months"][0] == "13"


@pytest.mark.pg
def test_create_all_builds_a_partitioned_table_with_the_key_on_punched_at(pg_app):
    kind = db.session.scalar(text("SELECT partstrat FROM pg_partitioned_table WHERE partrelid = 'punches'::regclass"))
    assert kind == "r"
    assert db.session.scalar(text("SELECT to_regclass('punches_default')")) is not None
    this = partitions.month_start(clock.beijing_today())
    wanted = {partitions.name_of(partitions.add_months(this, step)) for step in range(-2, 4)}
    assert wanted <= attached()
    key = inspect(db.engine).get_pk_constraint("punches")["constrained_columns"]
    assert set(key) == {"id", "punched_at"}
    uniques = inspect(db.engine).get_unique_constraints("punches")
    assert {"punched_at", "worker_id", "project_id", "device_id"} == set(uniques[0]["column_names"])
    project, (worker,) = site()
    punch(project, worker, at(clock.beijing_today(), 9))
    db.session.flush()
    assert db.session.scalar(select(Punch.id)) > 0


@pytest.mark.pg
def test_the_job_creates_coming_months_and_moves_strays_out_of_the_default(pg_app, frozen_clock):
    months = [date(2041, m, 1) for m in (1, 2, 3, 4)]
    try:
        project, (worker,) = site()
        punch(project, worker, at(date(2041, 2, 14), 9))  # no partition yet: the default takes it
        db.session.commit()
        assert db.session.scalar(text("SELECT count(*) FROM punches_default")) == 1
        frozen_clock.set(datetime(2041, 1, 10, 4, tzinfo=UTC))
        result = create_punch_partitions()
        assert result["created"] == [partitions.name_of(m) for m in months]
        assert {partitions.name_of(m) for m in months} <= attached()
        assert db.session.scalar(text("SELECT count(*) FROM punches_default")) == 0
        assert db.session.scalar(text("SELECT count(*) FROM punches_2041_02")) == 1
        assert db.session.scalar(select(func.count()).select_from(Punch)) == 1
        assert create_punch_partitions()["created"] == []  # idempotent
    finally:
        drop_months(*months)


@contextmanager
def statements_on(engine, marker: str):
    """Record (sql, parameters) of the statements containing `marker` sent while inside."""
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if marker in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def scanned(sql: str, parameters) -> set[str]:
    """The punches partitions PostgreSQL's plan for the statement reads."""
    with db.engine.connect() as conn:
        plan = "\n".join(conn.exec_driver_sql("EXPLAIN " + sql, parameters).scalars())
    return set(re.findall(r"\bon (punches_\w+)", plan)) | set(re.findall(r"using (punches_\d{4}_\d{2})_", plan))


def scanned_tables(sql: str, parameters) -> set[str]:
    return {name if name == partitions.DEFAULT else name[:len("punches_2026_11")]
            for name in scanned(sql, parameters)}


@pytest.fixture
def month_ready(pg_app):
    with db.engine.begin() as conn:
        partitions.ensure(conn, ahead=1, behind=1, today=MONTH + timedelta(days=14))


@pytest.mark.pg
def test_aggregation_reads_only_the_months_of_its_punches(pg_app, month_ready, frozen_clock):
    frozen_clock.set(datetime(2026, 11, 20, 4, tzinfo=UTC))
    project, (worker,) = site()
    worked(project, worker, date(2026, 11, 18))
    db.session.commit()
    with statements_on(db.engine, "INSERT INTO attendance_days") as seen:
        aggregate_attendance()  # first run: everything received so far
        worked(project, worker, date(2026, 11, 18), times=((12, 0),))  # a late punch: the stale join runs
        db.session.commit()
        frozen_clock.advance(hours=1)
        aggregate_attendance()
        aggregate_attendance(day="2026-11-18")
    assert len(seen) == 3
    for sql, parameters in seen:
        assert scanned_tables(sql, parameters) == {"punches_2026_11"}, sql
    assert db.session.scalar(select(AttendanceDay.punches)) == 3


@pytest.mark.pg
def test_the_punches_pane_reads_only_its_days_month(pg_app, month_ready, frozen_clock):
    frozen_clock.set(datetime(2026, 11, 20, 4, tzinfo=UTC))
    project, (worker,) = site()
    worked(project, worker, date(2026, 11, 18))
    db.session.commit()
    aggregate_attendance()
    day = db.session.scalars(select(AttendanceDay)).one()
    user = make_user("xj_partitions")
    with statements_on(db.engine, "FROM punches") as seen:
        shown = evidence(user, day.id)
    assert len(shown.punches) == 2
    assert len(seen) == 1
    assert scanned_tables(*seen[0]) == {"punches_2026_11"}
    assert len(scanned_tables("SELECT * FROM punches", {})) > 2  # what reading without a range would open


@pytest.mark.pg
def test_archive_refuses_unaggregated_months_then_dumps_and_drops_them(pg_app, frozen_clock, tmp_path):
    old = date(2024, 3, 1)
    frozen_clock.set(datetime(2026, 11, 20, 4, tzinfo=UTC))
    with db.engine.begin() as conn:
        partitions.create_month(conn, old)
        partitions.ensure(conn, ahead=0, behind=0)
    try:
        project, (worker,) = site()
        worked(project, worker, date(2024, 3, 5))
        worked(project, worker, date(2026, 11, 18))  # this month: kept whatever happens
        db.session.commit()

        first = archive_old_punches(directory=str(tmp_path))
        assert first["refused"] == ["punches_2024_03"] and first["archived"] == []
        assert "punches_2024_03" in attached()

        aggregate_attendance()
        result = archive_old_punches(directory=str(tmp_path))
        assert result["refused"] == []
        assert [(name, rows) for name, _path, rows in result["archived"]] == [("punches_2024_03", 2)]
        assert "punches_2024_03" not in partitions.partitions(db.session.connection())
        with gzip.open(tmp_path / "punches_2024_03.csv.gz", "rt") as dumped:
            lines = dumped.read().splitlines()
        assert lines[0].startswith("id,worker_id,project_id,punched_at") and len(lines) == 3
        # the daily rows of the archived month stay, and the kept month's punches too
        assert {d.day for d in db.session.scalars(select(AttendanceDay))} == {date(2024, 3, 5), date(2026, 11, 18)}
        assert db.session.scalar(select(func.count()).select_from(Punch)) == 2
        assert archive_old_punches(directory=str(tmp_path))["archived"] == []
    finally:
        drop_months(old)


@pytest.mark.pg
def test_archive_command_reports_and_fails_on_a_refusal(pg_app, frozen_clock, tmp_path):
    old = date(2023, 7, 1)
    frozen_clock.set(datetime(2026, 11, 20, 4, tzinfo=UTC))
    with db.engine.begin() as conn:
        partitions.create_month(conn, old)
    try:
        project, (worker,) = site()
        worked(project, worker, date(2023, 7, 5))
        db.session.commit()
        runner = pg_app.test_cli_runner()
        refused = runner.invoke(args=["punches", "archive", "--dir", str(tmp_path)])
        assert refused.exit_code == 1 and "punches_2023_07" in refused.output
        aggregate_attendance()
        done = runner.invoke(args=["punches", "archive", "--dir", str(tmp_path)])
        assert done.exit_code == 0 and "已归档 punches_2023_07：2 条" in done.output
    finally:
        drop_months(old)


@pytest.fixture
def migrated_pg(tmp_path):
    name = "wagewatch_partitions_migrate"
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {name}"))
    except Exception as error:  # noqa: BLE001 — any connection failure means PostgreSQL is unavailable
        unavailable(f"PostgreSQL is not reachable: {error}")
    app = migrated_app(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.mark.pg
def test_the_migration_builds_the_same_partitions(migrated_pg):
    with migrated_pg.app_context(), db.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM pg_partitioned_table "
                                "WHERE partrelid = 'punches'::regclass")) == 1
        this = partitions.month_start(clock.beijing_today())
        wanted = {partitions.name_of(partitions.add_months(this, step)) for step in range(-2, 4)}
        assert wanted <= attached(conn)
        assert conn.scalar(text("SELECT to_regclass('punches_default')")) is not None


def test_the_coming_months_are_created_nightly():
    from rq import cron

    from jobs import schedule

    registered = {entry["name"]: entry for entry in cron._job_data_registry}
    entry = registered["create_punch_partitions"]
    assert entry["func"] is create_punch_partitions
    assert entry["cron"] == schedule.utc_cron(*schedule.PARTITIONS_AT_UTC)


@pytest.mark.pg
def test_a_month_left_detached_is_finished_by_the_next_run(pg_app, frozen_clock, tmp_path):
    old = date(2022, 5, 1)
    frozen_clock.set(datetime(2026, 11, 20, 4, tzinfo=UTC))
    with db.engine.begin() as conn:
        partitions.create_month(conn, old)
    try:
        project, (worker,) = site()
        worked(project, worker, date(2022, 5, 9))
        db.session.commit()
        aggregate_attendance()
        with db.engine.begin() as conn:
            partitions.detach(conn, old)  # a run that stopped after detaching
        assert partitions.partitions(db.session.connection()).get("punches_2022_05") is False
        db.session.rollback()
        result = archive_old_punches(directory=str(tmp_path))
        assert [(name, rows) for name, _path, rows in result["archived"]] == [("punches_2022_05", 2)]
        assert "punches_2022_05" not in partitions.partitions(db.session.connection())
    finally:
        drop_months(old)
