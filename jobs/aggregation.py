"""aggregate_attendance (R5): turn punches into 考勤日报 rows with one set-based statement per run, and record the run.

Which (project, worker, Beijing day) groups are recomputed:
- by default (incremental), every group touched by a punch received since the watermark of the last successful
  run (minus an overlap, so a punch whose transaction committed late is not missed), which lets a late punch
  correct an old day;
- `day`: every group of that Beijing day; `all_days`: everything.

Why it is fast (the nightly budget is 1.5× one bare INSERT … SELECT … GROUP BY): the punches received in the
window are grouped once. A group with no row yet has no earlier punches (everything received before the
watermark was aggregated then), so its window aggregate is the whole day and is inserted as it is; only groups
that already have a row (a late punch, the overlap) are recomputed from all their punches through the
(worker, project, punched_at) index. Rows whose values did not change are not rewritten.

Each run is an `AggregationRun` committed before the work starts; the work and the run's success (with the new
watermark) commit together, so a crash leaves the previous rows and the watermark intact, and a failure is
recorded with its error and moves nothing.
"""
from datetime import date

from sqlalchemy import bindparam, column, func, select, text, update

from jobs import app_context
from wagewatch.clock import beijing_day, day_bounds, now
from wagewatch.extensions import db
from wagewatch.models import AggregationRun
from wagewatch.models._types import UTCDateTime
from wagewatch.rules.attendance import OVERLAP

DIALECT = {
    # Beijing day of a UTC timestamp; PostgreSQL converts with the zone, SQLite stores UTC text, so add 8 hours
    # (Asia/Shanghai has had no daylight saving since 1991).
    "postgresql": {
        "day": "((p.punched_at AT TIME ZONE 'Asia/Shanghai')::date)",
        "same_day": "p.punched_at >= (f.day::timestamp AT TIME ZONE 'Asia/Shanghai') "
                    "AND p.punched_at < ((f.day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')",
        "minutes": "floor(extract(epoch FROM last_out - first_in) / 60)::int",
    },
    "sqlite": {
        "day": "date(p.punched_at, '+8 hours')",
        "same_day": "date(p.punched_at, '+8 hours') = f.day",
        "minutes": "CAST((julianday(last_out) - julianday(first_in)) * 1440 + 1e-6 AS INTEGER)",
    },
}

GROUPS = """SELECT p.project_id, p.worker_id, {day} AS day, min(p.punched_at) AS first_in,
       max(p.punched_at) AS last_out, count(*) AS n
FROM punches p WHERE {where} GROUP BY p.project_id, p.worker_id, {day}"""

# Groups of the window; `stale` when the group already has a row, so earlier punches may exist.
INCREMENTAL = """WITH fresh AS MATERIALIZED (
  SELECT g.project_id, g.worker_id, g.day, g.first_in, g.last_out, g.n,
         EXISTS (SELECT 1 FROM attendance_days a
                 WHERE a.project_id = g.project_id AND a.worker_id = g.worker_id AND a.day = g.day) AS stale
  FROM (""" + GROUPS + """) AS g),
groups AS (
  SELECT project_id, worker_id, day, first_in, last_out, n FROM fresh WHERE NOT stale
  UNION ALL
  SELECT f.project_id, f.worker_id, f.day, min(p.punched_at), max(p.punched_at), count(*)
  FROM fresh f JOIN punches p ON p.worker_id = f.worker_id AND p.project_id = f.project_id AND {same_day}
   AND {span}
  WHERE f.stale GROUP BY f.project_id, f.worker_id, f.day)
"""
COMPLETE = "WITH groups AS (" + GROUPS + ")\n"

# The CTE sits inside the INSERT (not before it): SQLite's driver reports no rowcount for a statement
# that starts with WITH.
INSERT = ("INSERT INTO attendance_days (project_id, worker_id, day, first_in, last_out, punches, work_minutes, "
          "status, first_aggregated_at)\n")
UPSERT = """SELECT project_id, worker_id, day, first_in, last_out, n, {minutes},
       CASE WHEN n = 1 THEN 'single' ELSE 'normal' END, :written_at
FROM groups WHERE 1 = 1
ON CONFLICT (project_id, worker_id, day) DO UPDATE SET
    first_in = excluded.first_in, last_out = excluded.last_out, punches = excluded.punches,
    work_minutes = excluded.work_minutes, status = excluded.status
WHERE attendance_days.first_in <> excluded.first_in OR attendance_days.last_out <> excluded.last_out
   OR attendance_days.punches <> excluded.punches OR attendance_days.work_minutes <> excluded.work_minutes
   OR attendance_days.status <> excluded.status"""


SPAN = "p.punched_at >= :span_start AND p.punched_at < :span_end"


def statement(dialect: str, mode: str, where: str, params: dict):
    """The one statement of a run; bound times go through the column type (SQLite compares stored UTC text)."""
    parts = DIALECT["postgresql" if dialect == "postgresql" else "sqlite"]
    head = INCREMENTAL if mode == "incremental" else COMPLETE
    span = SPAN if "span_start" in params else "1 = 1"
    sql = (INSERT + head + UPSERT).format(where=where, span=span, **parts)
    return text(sql).bindparams(*(bindparam(name, value, type_=UTCDateTime) for name, value in params.items()))


def watermark():
    """Where the last successful incremental or full run stopped (None before the first one)."""
    return db.session.scalar(select(func.max(AggregationRun.until)).where(AggregationRun.status == "succeeded"))


def last_success() -> AggregationRun | None:
    """The latest successful run (any mode): what "数据更新于" reports."""
    stmt = select(AggregationRun).where(AggregationRun.status == "succeeded") \
        .order_by(AggregationRun.finished_at.desc(), AggregationRun.id.desc()).limit(1)
    return db.session.scalars(stmt).first()


def _window(mode: str, day: str | None, until) -> tuple[str, dict]:
    if mode == "day":
        start, end = day_bounds(date.fromisoformat(day))
        return "p.punched_at >= :start AND p.punched_at < :end", {"start": start, "end": end}
    if mode == "all":
        return "1 = 1", {}
    since = watermark()
    if since is None:
        where, params = "p.received_at <= :until", {"until": until}
    else:
        where = "p.received_at > :since AND p.received_at <= :until"
        params = {"since": since - OVERLAP, "until": until}
    # The Beijing days the window's punches fall on bound both reads of punches, so PostgreSQL opens only the
    # monthly partitions of those days (wagewatch/partitions.py); the received_at lookup itself is one index probe
    # per partition.
    received = text("SELECT min(p.punched_at), max(p.punched_at) FROM punches p WHERE " + where).bindparams(
        *(bindparam(name, value, type_=UTCDateTime) for name, value in params.items())).columns(
        column("min", UTCDateTime), column("max", UTCDateTime))
    first, last = db.session.execute(received).one()
    if first is None:
        first = last = until
    params["span_start"] = day_bounds(beijing_day(first))[0]
    params["span_end"] = day_bounds(beijing_day(last))[1]
    return where + " AND " + SPAN, params


def _work(run_id: int, mode: str, day: str | None) -> int:
    """The run's statement and its success, in one transaction."""
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        # One run at a time (a second waits here, then reads the watermark the first one left); enough memory
        # for the grouping of a day's punches so it does not spill to disk.
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('aggregate_attendance'))"))
        db.session.execute(text("SET LOCAL work_mem = '256MB'"))
    until = now()
    where, params = _window(mode, day, until)
    params["written_at"] = until
    written = max(db.session.execute(statement(dialect, mode, where, params)).rowcount, 0)
    db.session.execute(update(AggregationRun).where(AggregationRun.id == run_id).values(
        status="succeeded", finished_at=now(), days_written=written,
        until=None if mode == "day" else until))  # a single day does not move the watermark
    db.session.commit()
    return written


def aggregate_attendance(day: str | None = None, all_days: bool = False) -> dict:
    """Run the aggregation; returns what it did. `day` is a Beijing date 'YYYY-MM-DD'."""
    mode = "day" if day else "all" if all_days else "incremental"
    with app_context():
        run = AggregationRun(mode=mode, day=date.fromisoformat(day) if day else None, status="running",
                             started_at=now())
        db.session.add(run)
        db.session.commit()
        run_id = run.id
        try:
            written = _work(run_id, mode, day)
        except Exception as error:
            db.session.rollback()
            db.session.execute(update(AggregationRun).where(AggregationRun.id == run_id).values(
                status="failed", finished_at=now(), error=f"{type(error).__name__}: {error}"[:2000]))
            db.session.commit()
            raise
        return {"days_written": written, "mode": mode, "run_id": run_id}
