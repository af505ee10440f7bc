"""Bench: the nightly 考勤日报 aggregation of one day's ~2,000,000 punches on PostgreSQL (target ≤ 60 s).

Run: .venv/bin/python bench/aggregation.py [--workers 500000] [--per-day 4] [--projects 8000] [--tiny]
A throwaway database gets 8,000 projects, the workers, yesterday's punches already aggregated, and today's
punches received since the watermark; then the incremental run, an idempotent re-run and a --day run are timed,
beside the bare baseline: one plain GROUP BY of the same punches into a scratch table, and the ratio to it.
--tiny runs the same steps on a few hundred punches (the test suite's smoke test).
"""
import argparse
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scratch_db import ratio, scratch_database  # noqa: E402

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
# The bare baseline: the same groups of today's punches, aggregated by one plain statement into a scratch table.
BARE = """
CREATE TEMP TABLE bare_days AS
SELECT project_id, worker_id, (punched_at AT TIME ZONE 'Asia/Shanghai')::date AS day, min(punched_at) AS first_in,
       max(punched_at) AS last_out, count(*) AS punches
FROM punches WHERE received_at > :since GROUP BY 1, 2, 3"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=500_000)
    parser.add_argument("--per-day", type=int, default=4)
    parser.add_argument("--projects", type=int, default=8000)
    parser.add_argument("--tiny", action="store_true", help="a few hundred punches: checks the bench still runs")
    args = parser.parse_args()
    if args.tiny:
        args.workers, args.projects = 100, 10
    with scratch_database() as url:
        run(url, args.workers, args.per_day, args.projects)


def run(url: str, workers: int, per_day: int, projects: int) -> None:
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
        db.session.add(AggregationRun(started_at=now - timedelta(hours=12), until=now - timedelta(hours=12)))
        db.session.commit()
        aggregate_attendance(day=(today + timedelta(hours=8) - timedelta(days=1)).date().isoformat())
        db.session.execute(text(PUNCHES), {**common, "day_start": today, "received": now - timedelta(hours=1)})
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        total = db.session.scalar(text("SELECT count(*) FROM punches"))
        print(f"filled {projects} projects, {workers} workers, {total} punches in "
              f"{time.perf_counter() - started:.1f} s", flush=True)

        started = time.perf_counter()
        bare_days = db.session.execute(text(BARE), {"since": now - timedelta(hours=2)}).rowcount
        db.session.rollback()
        bare = time.perf_counter() - started
        print(f"{'bare GROUP BY (baseline)':32s}: {bare_days:>9} days in {bare:6.2f} s", flush=True)
        for label, kwargs in (("incremental (today's punches)", {}), ("re-run, nothing new", {}),
                              ("--day today", {"day": (today + timedelta(hours=8)).date().isoformat()})):
            started = time.perf_counter()
            result = aggregate_attendance(**kwargs)
            seconds = time.perf_counter() - started
            print(f"{label:32s}: {result['days_written']:>9} days in {seconds:6.2f} s, "
                  f"ratio to bare {ratio(seconds, bare)}", flush=True)
        db.engine.dispose()


if __name__ == "__main__":
    main()
