"""Build the region-scale data set on PostgreSQL and print how long each part took.

Run: .venv/bin/python bench/generate.py [--scale 1.0] [--database URL] [--drop] [--tiny] [--seed 20261129]
Full scale (DESIGN §8, issue of region scale): 8,000 projects, 1,000,000 workers and employments, 30 days of
punches with their daily rows (and the daily rows of the payroll month before them), one month of payroll
lines with bank results, 60,000 complaints with their events. Without --database a new database is created and
kept (its URL is printed: point DATABASE_URL at it to browse it or to run the screen benches). --tiny builds a
1/1000 set in a throwaway database (the test suite's smoke run). The baseline printed beside the whole run is
the bare PostgreSQL write rate on this machine (one INSERT … SELECT generate_series of as many rows), so the
generator's own overhead can be judged.
"""
import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import bulk_load  # noqa: E402
import region_data  # noqa: E402
import region_sql  # noqa: E402
from scratch_db import drop_database, new_database, ratio  # noqa: E402

BUDGET_S = 15 * 60
BULK_TABLES = ("punches", "attendance_days")
# The load is one run that is repeated from scratch if it fails, so a commit need not wait for the disk.
BULK_SETUP = ("SET synchronous_commit = off",)


class Steps:
    """Times each step and keeps the row counts for the summary."""

    def __init__(self):
        self.started, self.rows, self.times = time.perf_counter(), {}, {}

    def run(self, name: str, work, unit: str = "rows"):
        """Time one step; what it returns is a row count (summed in the total) unless another unit is named."""
        began = time.perf_counter()
        count = work()
        self.times[name] = time.perf_counter() - began
        if unit == "rows":
            self.rows[name] = count
        print(f"  {name:<20} {count:>12,} {unit:<10} {self.times[name]:8.1f} s", flush=True)
        return count

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


def build(url: str, scale: float, seed: int) -> Steps:
    from wagewatch import clock, create_app
    from wagewatch.extensions import db
    from wagewatch.reference import load_all

    # Memory for the big sorts and hash joins (payroll lines group 25 M daily rows), on every pooled connection.
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None, "SQLALCHEMY_ENGINE_OPTIONS": {
        "pool_pre_ping": True, "connect_args": {"options": "-c work_mem=256MB -c maintenance_work_mem=1GB"}}})
    size, rng, steps = region_data.sizes(scale), random.Random(seed), Steps()
    today = clock.beijing_today()
    payroll_first = clock.previous_month(today)
    payroll_last = today.replace(day=1) - timedelta(days=1)
    punched_from = today - timedelta(days=size["days"])
    with app.app_context():
        db.create_all()
        load_all()
        enterprises = max(20, size["projects"] * 3 // 2)
        steps.run("enterprises", lambda: region_data.fill_enterprises(db.session.connection(), rng, enterprises))
        steps.run("projects", lambda: region_data.fill_projects(db.session.connection(), rng, size["projects"], enterprises, today))
        steps.run("wage accounts", lambda: region_data.fill_wage_accounts(db.session.connection(), rng))
        steps.run("teams", lambda: db.session.execute(text(region_sql.TEAMS), {"enterprises": enterprises}).rowcount)
        steps.run("workers", lambda: region_data.fill_workers(db.session.connection(), rng, size["workers"]))
        steps.run("employments", lambda: db.session.execute(text(region_sql.EMPLOYMENTS), {"today": today}).rowcount)
        db.session.commit()
        say = lambda message: print(f"    {message}", flush=True)  # noqa: E731
        engine = db.engine
        schema = bulk_load.schema_of(engine, BULK_TABLES)
        deferred = bulk_load.defer_indexes(engine, BULK_TABLES)
        say(f"deferred {len(deferred)} indexes and constraints of {', '.join(BULK_TABLES)}")
        punched_days = [(today - timedelta(days=back), back) for back in range(size["days"], 0, -1)]
        steps.run("punches + daily rows", lambda: sum(sum(counts) for counts in bulk_load.in_parallel(
            engine, [region_sql.punched_day(day, back) for day, back in punched_days], setup=BULK_SETUP)))
        older = [payroll_first + timedelta(days=n) for n in range(max(0, (punched_from - payroll_first).days))]
        steps.run("older daily rows", lambda: sum(bulk_load.in_parallel(
            engine, [region_sql.older_day(day, punched_from) for day in older], setup=BULK_SETUP)))
        steps.run("indexes rebuilt", lambda: bulk_load.rebuild_indexes(engine, deferred), "statements")
        if bulk_load.schema_of(engine, BULK_TABLES) != schema:
            raise SystemExit("the rebuilt indexes and constraints differ from the schema's")
        steps.run("punch partitions", lambda: punch_partitions(db.session.connection()), "months")
        steps.run("daily rows checked", lambda: check_daily_rows(db.session.connection(), punched_days), "days")
        month = f"{payroll_first:%Y-%m}"
        submitted = region_sql.day_start(payroll_last + timedelta(days=3))
        steps.run("payrolls", lambda: db.session.execute(text(region_sql.PAYROLLS), {
            "month": month, "submitted": submitted}).rowcount)
        steps.run("payroll lines", lambda: db.session.execute(text(region_sql.PAYROLL_LINES), {
            "month": month, "first": payroll_first, "last": payroll_last,
            "paid_at": submitted + timedelta(days=2)}).rowcount)
        employments = db.session.scalar(text("SELECT max(id) FROM employments")) or 1
        steps.run("complaints", lambda: db.session.execute(text(region_sql.COMPLAINTS), {
            "count": size["complaints"], "employments": employments, "now": clock.now()}).rowcount)
        steps.run("complaint events", lambda: db.session.execute(text(region_sql.COMPLAINT_EVENTS)).rowcount)
        db.session.commit()
        steps.run("derived figures", lambda: refresh_derived((month, f"{today:%Y-%m}")), "jobs")
        steps.run("analyze", lambda: analyze(db), "database")
    return steps


def punch_partitions(connection) -> int:
    """The punches sit in monthly partitions (made by create_all, wagewatch/partitions.py), none in the default:
    prints each month's rows and returns how many months hold punches."""
    counts = dict(connection.execute(text(
        "SELECT tableoid::regclass::text, count(*) FROM punches GROUP BY 1 ORDER BY 1")).all())
    print("    " + ", ".join(f"{name} {rows:,}" for name, rows in counts.items()), flush=True)
    if counts.get("punches_default"):
        raise SystemExit(f"{counts['punches_default']:,} punches fell in punches_default: months missing")
    return len(counts)


def check_daily_rows(connection, punched_days) -> int:
    """The first and the last punched day's daily rows agree with the aggregation of their punches; returns the
    number of days checked."""
    checked = [punched_days[0][0], punched_days[-1][0]]
    for day in checked:
        differing = region_sql.check_day_matches(connection, day)
        if differing:
            raise SystemExit(f"{differing:,} daily rows of {day} differ from the aggregation of its punches")
    return len(checked)


def refresh_derived(months: tuple[str, ...]) -> int:
    """Whatever the screens precompute nightly (stored progress rows, indicators), computed once for the set:
    every job of the nightly schedule except the housekeeping ones (the daily rows are already written). The
    wage progress is computed for the months the set holds (the payroll month and this one): the nightly run's
    two months before them have no attendance or payroll here, and would only show every project unpaid."""
    from rq import cron

    import jobs.schedule  # noqa: F401 - registers the nightly jobs
    from jobs.wages import refresh_wage_progress

    skipped = {"aggregate_attendance", "purge_old_exports", "purge_expired_records"}
    done = 0
    for entry in cron._job_data_registry:
        if entry["name"] not in skipped:
            began = time.perf_counter()
            if entry["func"] is refresh_wage_progress:
                for month in months:
                    refresh_wage_progress(month)
            else:
                entry["func"](*(entry["args"] or ()), **(entry["kwargs"] or {}))
            print(f"    {entry['name']} {time.perf_counter() - began:.1f} s", flush=True)
            done += 1
    return done


def analyze(db) -> int:
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return 0


def bare_rate(url: str, rows: int) -> float:
    """Seconds for PostgreSQL to write `rows` narrow rows with one bare INSERT … SELECT generate_series."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TEMP TABLE bare_rows (a bigint, b int, c timestamptz)"))
        began = time.perf_counter()
        conn.execute(text("INSERT INTO bare_rows SELECT n, n % 1000, now() FROM generate_series(1, :n) AS n"),
                     {"n": rows})
        took = time.perf_counter() - began
    engine.dispose()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--database")
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    parser.add_argument("--tiny", action="store_true", help="1/1000 of the full size, dropped afterwards")
    args = parser.parse_args()
    scale, drop = (0.001, True) if args.tiny else (args.scale, args.drop)
    url = args.database or new_database()
    print(f"region-scale data set, scale {scale:g}, into {url}", flush=True)
    try:
        steps = build(url, scale, args.seed)
        written = sum(steps.rows.values())
        bare = bare_rate(url, written)
        print(f"total {steps.total:.1f} s for {written:,} rows ({written / steps.total:,.0f} rows/s); "
              f"budget {BUDGET_S} s at full scale")
        print(f"bare INSERT … SELECT of {written:,} rows (baseline) {bare:.1f} s; ratio generator / bare "
              f"{ratio(steps.total, bare)}")
    finally:
        if drop:
            drop_database(url)
        else:
            print(f"kept: DATABASE_URL={url}")


if __name__ == "__main__":
    main()
