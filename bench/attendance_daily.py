"""Bench: 人员考勤日报表 on PostgreSQL with 30 days of daily rows for 500,000 workers (~13.5 M rows).

Run: .venv/bin/python bench/attendance_daily.py [--workers 500000] [--projects 8000] [--keep] [--reuse URL]
Builds the 项目管理 bench's projects, teams, workers and employments (bench/projects_bench.py), then 30 days of
attendance rows (each worker on ~90% of days, some 单次打卡) and the raw punches of one worker's day, and times
through the Flask test client (median of 5 after a warm-up): the default page, filtered pages (工程, 姓名,
身份证号, 区域 + 状态, a 31-day range), a deep page, other levels of user, and the punches pane.
Target (DESIGN §8): each ≤ 150 ms server time.
"""
import argparse
import sys
import time
from pathlib import Path

from sqlalchemy import select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import projects_bench
from projects_bench import KNOWN_ID, TARGET_MS, _HeaderClient, fill, timed, timed_bare
from scratch_db import drop_database, new_database, ratio, web_config

DAYS = 30
# Each employment's worker attends ~9 days in 10; one day in 13 has a single punch.
ATTENDANCE = """
INSERT INTO attendance_days (project_id, worker_id, day, first_in, last_out, punches, work_minutes, status,
                             first_aggregated_at)
SELECT e.project_id, e.worker_id, d.day,
       (d.day::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '9 hours' + (e.worker_id % 60) * interval '1 minute',
       (d.day::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '9 hours' + (e.worker_id % 60) * interval '1 minute'
         + CASE WHEN (e.worker_id + d.n) % 13 = 0 THEN interval '0' ELSE interval '570 minutes' END,
       CASE WHEN (e.worker_id + d.n) % 13 = 0 THEN 1 ELSE 2 END,
       CASE WHEN (e.worker_id + d.n) % 13 = 0 THEN 0 ELSE 570 END,
       CASE WHEN (e.worker_id + d.n) % 13 = 0 THEN 'single' ELSE 'normal' END,
       (d.day::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '25 hours'
FROM (SELECT n, (CAST(:yesterday AS date) - n) AS day FROM generate_series(0, :days - 1) AS n) AS d
JOIN employments e ON (e.worker_id + d.n) % 10 <> 0
ORDER BY d.day, e.project_id, e.worker_id"""
PUNCHES = """
INSERT INTO punches (worker_id, project_id, punched_at, device_id, received_at)
SELECT a.worker_id, a.project_id, a.first_in + k * interval '190 minutes', 'KQ-BENCH-1',
       a.first_in + k * interval '190 minutes' + interval '3 minutes'
FROM attendance_days a, generate_series(0, 3) AS k WHERE a.id = :day_id
ON CONFLICT DO NOTHING"""


def fill_attendance(app, yesterday) -> None:
    from wagewatch.extensions import db
    from wagewatch.models import AggregationRun
    from wagewatch.models._types import utcnow

    with app.app_context():
        started = time.perf_counter()
        db.session.execute(text(ATTENDANCE), {"yesterday": yesterday, "days": DAYS})
        db.session.add(AggregationRun(mode="incremental", status="succeeded", started_at=utcnow(),
                                      finished_at=utcnow(), until=utcnow(), days_written=0))
        db.session.commit()
        print(f"  fill attendance_days {time.perf_counter() - started:6.1f} s", flush=True)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def cases(app, yesterday):
    """(user, label, path); object ids and the deep cursor are read from the filled database."""
    from wagewatch import crypto
    from wagewatch.extensions import db

    with app.app_context():
        known = db.session.scalar(text("SELECT id FROM workers WHERE id_number_hash = :h"),
                                  {"h": crypto.lookup_hash(KNOWN_ID)})
        day_id = db.session.scalar(text("SELECT id FROM attendance_days WHERE worker_id = :w ORDER BY day DESC"),
                                   {"w": known})
        db.session.execute(text(PUNCHES), {"day_id": day_id})
        deep = db.session.execute(text(
            "SELECT day, project_id, worker_id FROM attendance_days WHERE day = :d "
            "ORDER BY day DESC, project_id DESC, worker_id DESC OFFSET :deep LIMIT 1"),
            {"d": yesterday, "deep": db.session.scalar(text("SELECT count(*) FROM workers")) * 4 // 10}).first()
        typical = db.session.scalar(text("SELECT max(id) / 2 FROM projects"))
        team = db.session.scalar(text("SELECT id FROM teams WHERE project_id = 1"))
        typical_team = db.session.scalar(text("SELECT id FROM teams WHERE project_id = :p"), {"p": typical})
        db.session.commit()
    month_start = yesterday.fromordinal(yesterday.toordinal() - 30)
    yield "bench_top", "default page (yesterday)", "/attendance/daily"
    yield "bench_top", "身份证号 (held as its hash)", f"/attendance/daily?id_hash={crypto.lookup_hash(KNOWN_ID)}"
    yield "bench_top", "工程", f"/attendance/daily?project_id={typical}"
    yield "bench_top", "工程 31 days", f"/attendance/daily?project_id={typical}&date_from={month_start}"
    yield "bench_top", "工程 5,000 workers, 31 days", f"/attendance/daily?project_id=1&date_from={month_start}"
    yield "bench_top", "姓名", "/attendance/daily?name=工人12345"
    yield "bench_top", "区域 + 状态", "/attendance/daily?region=652300&status=single"
    yield "bench_top", "31 days, all projects", f"/attendance/daily?date_from={month_start}"
    yield "bench_top", "工程 + 班组", f"/attendance/daily?project_id={typical}&team={typical_team}"
    yield "bench_top", "工程 + 班组 of 5,000 workers", f"/attendance/daily?project_id=1&team={team}"
    if deep:
        yield "bench_top", "deep page (40% down yesterday)", \
            f"/attendance/daily?after={deep.day}.{deep.project_id}.{deep.worker_id}&page=10001"
    yield "bench_top", "sort 工程", "/attendance/daily?sort=project"
    yield "bench_hami", "prefecture default page", "/attendance/daily"
    yield "bench_yizhou", "county industry default page", "/attendance/daily"
    yield "bench_top", "punches pane", f"/attendance/daily/{day_id}/punches"


def bare(yesterday) -> dict:
    """The bare baselines: one plain statement pair (capped count + the page) for the same rows."""
    return {
        "default page (yesterday)": [
            f"SELECT count(*) FROM (SELECT id FROM attendance_days WHERE day = DATE '{yesterday}' LIMIT 10001) s",
            ("SELECT a.*, p.name, w.name, w.id_number_masked FROM attendance_days a JOIN projects p ON p.id = "
             f"a.project_id JOIN workers w ON w.id = a.worker_id WHERE a.day = DATE '{yesterday}' "
             "ORDER BY a.day DESC, a.project_id DESC, a.worker_id DESC LIMIT 21")],
        "punches pane": ["SELECT * FROM punches ORDER BY id DESC LIMIT 4"],
    }


def signed_in(client, username: str) -> None:
    """A session as the login (and its second factor) would leave it: the bench times the screen, not the login."""
    from tests.conftest import sign_in
    from wagewatch.extensions import db
    from wagewatch.models import User

    sign_in(client, db.session.scalars(select(User).where(User.username == username)).one())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=500_000)
    parser.add_argument("--projects", type=int, default=8000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="URL", help="time against a database a --keep run left behind")
    parser.add_argument("--tiny", action="store_true", help="40 projects, 400 workers: checks the bench still runs")
    args = parser.parse_args()
    if args.tiny:
        args.projects, args.workers, projects_bench.REPEAT = 40, 400, 1
    from wagewatch import clock, create_app

    yesterday = clock.beijing_today().fromordinal(clock.beijing_today().toordinal() - 1)
    url = args.reuse or new_database()
    print(f"database {url.rsplit('/', 1)[1]}: {args.projects} projects, {args.workers} workers, {DAYS} days")
    try:
        app = create_app(web_config(url))
        if not args.reuse:
            fill(app, args.projects, args.workers)
            fill_attendance(app, yesterday)
        slow, clients = 0, {}
        with app.app_context():
            for username, label, path in list(cases(app, yesterday)):
                if username not in clients:
                    clients[username] = app.test_client()
                    signed_in(clients[username], username)
                for fragment in (False, True):
                    headers = {"HX-Request": "true", "HX-Request-Type": "partial"} if fragment else {}
                    ms, size = timed(_HeaderClient(clients[username], headers), path)
                    flag = "" if ms <= TARGET_MS else "  SLOW"
                    slow += ms > TARGET_MS
                    print(f"{ms:7.1f} ms  {size / 1024:6.1f} KB  {'fragment' if fragment else 'page':<8} "
                          f"{label:<30} {path}{flag}", flush=True)
                if label in bare(yesterday):
                    baseline = timed_bare(app, bare(yesterday)[label])
                    print(f"{baseline:7.1f} ms  {'':9}  {'bare SQL':<8} {label:<30} request/bare "
                          f"{ratio(ms, baseline)}", flush=True)
        print(f"{'all within' if not slow else f'{slow} over'} {TARGET_MS} ms")
        return 1 if slow and not args.tiny else 0
    finally:
        if args.keep and not args.reuse:
            print("kept database:", url)
        if not args.keep and not args.reuse:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
