"""Bench: the nightly 考勤日报 aggregation against one bare INSERT … SELECT … GROUP BY, side by side (goal ≤ 1.5×).

Run: .venv/bin/python bench/aggregation.py [--workers 500000] [--per-day 4] [--tiny] [--keep]
A throwaway PostgreSQL database gets 8,000 projects, the workers, yesterday's punches already aggregated, and
today's punches (workers × per-day) received since the watermark. Then, in the same run:
- the bare statement: today's punches grouped into an empty copy of attendance_days (same indexes);
- the job: `aggregate_attendance()` incremental, as the nightly schedule runs it;
- the bare statement again (the baseline is the mean of both, so cache warmth favours neither side);
and it prints the job's time, the bare time and their ratio. A re-run with nothing new and a --day run follow.
--tiny (2,000 workers, 50 projects) is the smoke-test size.
"""
import argparse
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from scratch_db import drop_database, new_database, ratio

GOAL = 1.5

PROJECT_COPIES = """
INSERT INTO projects (code, name, address, funding, contract_amount, registered_on, owner_id, contractor_id,
  hr_org_id, industry_org_id, review_status, status, payday, deposit_form, region_code, prefecture_code, industry,
  created_at, updated_at)
SELECT 'A' || lpad(n::text, 12, '0'), '考勤基准工程' || n, address, funding, contract_amount, registered_on, owner_id,
  contractor_id, hr_org_id, industry_org_id, review_status, status, payday, deposit_form, region_code,
  prefecture_code, industry, created_at, updated_at
FROM projects, generate_series(1, :n) AS n WHERE projects.id = :template"""
WORKERS = """
INSERT INTO workers (id_number_enc, id_number_hash, id_number_masked, name, gender, birth_date)
SELECT '\\x00'::bytea, md5(n::text), '650*****001', '工人' || n, 'M', DATE '1985-01-01'
FROM generate_series(1, :workers) AS n"""
# Punches of one Beijing day: per worker, :per_day punches between 08:00 and 19:00 Beijing, one device each.
PUNCHES = """
INSERT INTO punches (worker_id, project_id, punched_at, device_id, received_at)
SELECT w.id, :first_project + (w.id % :projects),
       :day_start + interval '8 hours' + (k * interval '11 hours' / :per_day) + (w.id % 600) * interval '1 second',
       'DEV' || (w.id % 1000), :received
FROM workers w, generate_series(0, :per_day - 1) AS k"""
BARE_TABLE = "CREATE TABLE bare_days (LIKE attendance_days INCLUDING ALL)"
# The baseline: one statement grouping the day's punches into an empty table with the same indexes.
BARE = """
INSERT INTO bare_days (project_id, worker_id, day, first_in, last_out, punches, work_minutes, status,
                       first_aggregated_at)
SELECT project_id, worker_id, (punched_at AT TIME ZONE 'Asia/Shanghai')::date, min(punched_at), max(punched_at),
       count(*), floor(extract(epoch FROM max(punched_at) - min(punched_at)) / 60)::int,
       CASE WHEN count(*) = 1 THEN 'single' ELSE 'normal' END, now()
FROM punches WHERE punched_at >= :start AND punched_at < :end
GROUP BY 1, 2, 3"""


def main(argv=None) -> float:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=500_000)
    parser.add_argument("--projects", type=int, default=8000)
    parser.add_argument("--per-day", type=int, default=4)
    parser.add_argument("--tiny", action="store_true", help="2,000 workers on 50 projects (smoke test)")
    parser.add_argument("--keep", action="store_true", help="do not drop the database (prints its URL)")
    args = parser.parse_args(argv)
    if args.tiny:
        args.workers, args.projects = 2000, 50
    url = new_database()
    try:
        return run(url, args.workers, args.projects, args.per_day)
    finally:
        if args.keep:
            print("kept database:", url, flush=True)
        else:
            drop_database(url)


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def run(url: str, workers: int, projects: int, per_day: int) -> float:
    from jobs.aggregation import aggregate_attendance
    from tests.factories import ProjectFactory
    from wagewatch import create_app
    from wagewatch.extensions import db
    from wagewatch.models import AggregationRun
    from wagewatch.reference import load_all

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None})
    with app.app_context():
        db.create_all()
        load_all()
        template = ProjectFactory()
        db.session.commit()
        started = time.perf_counter()
        db.session.execute(text(PROJECT_COPIES), {"n": projects - 1, "template": template.id})
        db.session.execute(text(WORKERS), {"workers": workers})
        now = datetime.now(timezone.utc)
        today = datetime.combine((now + timedelta(hours=8)).date(), datetime.min.time(), timezone.utc) \
            - timedelta(hours=8)
        common = {"first_project": template.id, "projects": projects, "per_day": per_day}
        # Yesterday: received before the watermark, already aggregated.
        db.session.execute(text(PUNCHES), {**common, "day_start": today - timedelta(days=1),
                                           "received": now - timedelta(hours=20)})
        db.session.add(AggregationRun(mode="incremental", status="succeeded", started_at=now - timedelta(hours=12),
                                      finished_at=now - timedelta(hours=12), until=now - timedelta(hours=12)))
        db.session.commit()
        aggregate_attendance(day=(today + timedelta(hours=8) - timedelta(days=1)).date().isoformat())
        db.session.execute(text(PUNCHES), {**common, "day_start": today, "received": now - timedelta(hours=1)})
        db.session.execute(text(BARE_TABLE))
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        total = db.session.scalar(text("SELECT count(*) FROM punches"))
        print(f"filled {projects} projects, {workers} workers, {total} punches "
              f"({workers * per_day} today) in {time.perf_counter() - started:.1f} s", flush=True)

        def bare():
            rows = db.session.execute(text(BARE), {"start": today, "end": today + timedelta(days=1)}).rowcount
            db.session.commit()
            return rows

        def clear_bare():
            db.session.execute(text("TRUNCATE bare_days"))
            db.session.commit()

        bare_first, bare_rows = timed(bare)
        clear_bare()
        job_time, result = timed(aggregate_attendance)
        bare_second, _rows = timed(bare)
        bare_time = (bare_first + bare_second) / 2
        print(f"{'bare GROUP BY (baseline)':32s}: {bare_rows:>9} rows in {bare_time:6.2f} s "
              f"(INSERT … SELECT … GROUP BY into an empty copy of attendance_days; runs {bare_first:.2f} s and "
              f"{bare_second:.2f} s)", flush=True)
        print(f"{'job aggregate_attendance()':32s}: {result['days_written']:>9} rows in {job_time:6.2f} s, "
              f"ratio to bare {ratio(job_time, bare_time)} (goal ≤ {GOAL}x)", flush=True)

        for label, kwargs in (("re-run, nothing new", {}),
                              ("--day today", {"day": (today + timedelta(hours=8)).date().isoformat()})):
            seconds, result = timed(lambda kwargs=kwargs: aggregate_attendance(**kwargs))
            print(f"{label:32s}: {result['days_written']:>9} rows in {seconds:6.2f} s", flush=True)
        db.session.remove()
        db.engine.dispose()
    return job_time / bare_time


if __name__ == "__main__":
    main()
