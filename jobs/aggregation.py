"""aggregate_attendance (R5): turn punches into 考勤日报 rows with one set-based upsert per run.

Which (project, worker, Beijing day) groups are recomputed:
- by default, every group touched by a punch received since the last run's watermark (minus an overlap, so a
  punch whose transaction committed late is not missed; recomputing a group twice is harmless), which lets a
  late punch correct an old day;
- `day`: every group of that Beijing day; `all_days`: everything.
A group is always recomputed from all of its punches, so the upsert is idempotent.
"""
from datetime import date, timedelta

from sqlalchemy import bindparam, func, select, text

from jobs import app_context
from wagewatch.extensions import db
from wagewatch.models import AggregationRun
from wagewatch.models._types import UTCDateTime, utcnow
from wagewatch.rules.attendance import day_bounds

OVERLAP = timedelta(minutes=10)

# Beijing day of a UTC timestamp: PostgreSQL converts with the zone; SQLite stores UTC text, so add 8 hours
# (Asia/Shanghai has had no daylight saving since 1991).
PG_DAY = "(({col} AT TIME ZONE 'Asia/Shanghai')::date)"
SQLITE_DAY = "date({col}, '+8 hours')"

PG_UPSERT = """
INSERT INTO attendance_days (project_id, worker_id, day, first_in, last_out, punches, work_minutes, status)
SELECT p.project_id, p.worker_id, t.day, min(p.punched_at), max(p.punched_at), count(*),
       floor(extract(epoch FROM max(p.punched_at) - min(p.punched_at)) / 60)::int,
       CASE WHEN count(*) = 1 THEN 'single' ELSE 'normal' END
FROM (SELECT DISTINCT project_id, worker_id, {day_p} AS day FROM punches p WHERE {where}) AS t
JOIN punches p ON p.worker_id = t.worker_id AND p.project_id = t.project_id
 AND p.punched_at >= (t.day::timestamp AT TIME ZONE 'Asia/Shanghai')
 AND p.punched_at < ((t.day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
GROUP BY p.project_id, p.worker_id, t.day
ON CONFLICT (project_id, worker_id, day) DO UPDATE SET
    first_in = excluded.first_in, last_out = excluded.last_out, punches = excluded.punches,
    work_minutes = excluded.work_minutes, status = excluded.status
"""

SQLITE_UPSERT = """
INSERT INTO attendance_days (project_id, worker_id, day, first_in, last_out, punches, work_minutes, status)
SELECT p.project_id, p.worker_id, t.day, min(p.punched_at), max(p.punched_at), count(*),
       CAST((julianday(max(p.punched_at)) - julianday(min(p.punched_at))) * 1440 + 1e-6 AS INTEGER),
       CASE WHEN count(*) = 1 THEN 'single' ELSE 'normal' END
FROM (SELECT DISTINCT project_id, worker_id, {day_p} AS day FROM punches p WHERE {where}) AS t
JOIN punches p ON p.worker_id = t.worker_id AND p.project_id = t.project_id
 AND date(p.punched_at, '+8 hours') = t.day
WHERE 1
GROUP BY p.project_id, p.worker_id, t.day
ON CONFLICT (project_id, worker_id, day) DO UPDATE SET
    first_in = excluded.first_in, last_out = excluded.last_out, punches = excluded.punches,
    work_minutes = excluded.work_minutes, status = excluded.status
"""


def _statement(dialect: str, where: str, params: dict):
    """Bound times go through the column type, so SQLite compares them in its stored UTC text form."""
    template, day = (PG_UPSERT, PG_DAY) if dialect == "postgresql" else (SQLITE_UPSERT, SQLITE_DAY)
    stmt = text(template.format(day_p=day.format(col="p.punched_at"), where=where))
    return stmt.bindparams(*(bindparam(name, value, type_=UTCDateTime) for name, value in params.items()))


def aggregate_attendance(day: str | None = None, all_days: bool = False) -> dict:
    """Run the aggregation; returns what it did. `day` is a Beijing date 'YYYY-MM-DD'."""
    with app_context():
        dialect = db.engine.dialect.name
        started = utcnow()
        params = {}
        if day:
            start, end = day_bounds(date.fromisoformat(day))
            where = "p.punched_at >= :start AND p.punched_at < :end"
            params = {"start": start, "end": end}
        elif all_days:
            where = "1 = 1"
        else:
            since = db.session.scalar(select(func.max(AggregationRun.until)))
            where = "p.received_at <= :until"
            params = {"until": started}
            if since is not None:
                where += " AND p.received_at > :since"
                params["since"] = since - OVERLAP
        written = db.session.execute(_statement(dialect, where, params)).rowcount
        if not day:  # a single day does not move the watermark; a full or incremental run does
            db.session.add(AggregationRun(started_at=started, until=started, days_written=max(written, 0)))
        db.session.commit()
        return {"days_written": max(written, 0), "mode": "day" if day else "all" if all_days else "incremental"}
