"""Bench: 工资代发实时进度 and its 明细 with 8,000 projects and one month of 1,000,000 payroll lines on PostgreSQL.

Run: .venv/bin/python bench/wages_bench.py [--projects 8000] [--lines 1000000] [--keep] [--reuse URL] [--tiny]
Fills a throwaway database by SQL (each worker one payroll line with a bank result and attendance in the month;
a third of the projects pay everyone, the others 90 % paid, 3 % failed, 2 % 重新发放中, 5 % 未发, and 2 % paid
without attendance; project 1 has 500 workers with 22 attendance days each),
times the refresh job that stores R2 per project-month, then each request through the Flask test client
(median of 5 after a warm-up) and prints server times. Target (issue 11): ≤ 150 ms per page.
Beside the requests one plain statement could answer (a page of stored rows with its count, a project-month's
lines and attendance), that bare SQL is timed too, with the ratio of the request to it. --tiny runs every case
on 40 projects and 400 lines (the test suite's smoke test; the target is then reported, not enforced).
"""
import argparse
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from projects_bench import FILL, PASSWORD, crowded, prepare_schema  # noqa: E402
from scratch_db import drop_database, new_database, ratio, timed_bare, web_config  # noqa: E402

TARGET_MS = 150
MONTH = "2026-09"
NOW = datetime(2026, 10, 20, 2, 0, tzinfo=timezone.utc)  # 2026-09 due 2026-10-15: past, PAY_LATE orange
BIG = 500  # workers of project 1, whose 明细 is timed
REPEAT = 5

WAGES_FILL = [
    # project 1 has the first 500 workers; the others share the rest evenly
    """INSERT INTO employments (worker_id, project_id, team_id, trade_code, role, contract_signed, joined_on)
       SELECT w.id, pr.id, t.id, '020', 20, true, DATE '2026-01-01'
       FROM workers w
       JOIN projects pr ON pr.id = CASE WHEN w.id <= :big THEN 1 ELSE 2 + w.id % (:projects - 1) END
       JOIN teams t ON t.project_id = pr.id""",
    """INSERT INTO wage_accounts (project_id, bank_name, account_no_enc, account_no_hash, account_no_masked,
         account_name, tripartite_agreement, updated_at)
       SELECT id, '中国农业银行', '\\x00'::bytea, md5('acct' || id), '**** 1234', name || '专户', true, now()
       FROM projects WHERE id % 5 <> 0""",
    """INSERT INTO payrolls (payroll_no, project_id, month, team_id, submitted_at, status, created_at)
       SELECT 'GZ-' || p.code || '-01', p.id, :month, t.id, TIMESTAMPTZ '2026-10-10 10:00+08', 'submitted', now()
       FROM projects p JOIN teams t ON t.project_id = p.id""",
    """INSERT INTO payroll_lines (payroll_id, worker_id, days_worked, amount_due, amount_paid, is_back_pay,
         pay_status, fail_reason, paid_at, bank_batch_no)
       SELECT pa.id, e.worker_id, 22, 4000 + e.worker_id % 3000,
         CASE WHEN s.r < 90 THEN 4000 + e.worker_id % 3000 END, false,
         CASE WHEN s.r < 90 THEN 'paid' WHEN s.r < 93 THEN 'failed' WHEN s.r < 95 THEN 'retrying' ELSE 'pending' END,
         CASE WHEN s.r BETWEEN 90 AND 94 THEN '账户已冻结' END,
         CASE WHEN s.r < 95 THEN TIMESTAMPTZ '2026-10-15 11:00+08' END, CASE WHEN s.r < 95 THEN 'B20261015' END
       FROM employments e JOIN payrolls pa ON pa.project_id = e.project_id
       CROSS JOIN LATERAL (SELECT CASE WHEN e.project_id % 3 = 0 THEN 0 ELSE e.worker_id % 100 END AS r) AS s
       WHERE e.worker_id <= :lines""",
    # one attendance day per worker in the month (the project-1 workers get 22, below); some attend unpaid
    """INSERT INTO attendance_days (project_id, worker_id, day, first_in, last_out, punches, work_minutes, status)
       SELECT e.project_id, e.worker_id, DATE '2026-09-01' + e.worker_id % 28,
         TIMESTAMPTZ '2026-09-01 09:00+08', TIMESTAMPTZ '2026-09-01 19:00+08', 2, 600, 'normal'
       FROM employments e WHERE e.project_id <> 1 AND (e.project_id % 3 = 0 OR e.worker_id % 50 <> 0)""",
    """INSERT INTO attendance_days (project_id, worker_id, day, first_in, last_out, punches, work_minutes, status)
       SELECT e.project_id, e.worker_id, DATE '2026-09-01' + d, TIMESTAMPTZ '2026-09-01 09:00+08',
         TIMESTAMPTZ '2026-09-01 19:00+08', 2, 600, 'normal'
       FROM employments e CROSS JOIN generate_series(0, 21) AS d WHERE e.project_id = 1""",
]


def fill(app, projects: int, lines: int) -> None:
    from wagewatch.extensions import db
    from wagewatch.users import create_user, find_org

    with app.app_context():
        rows = prepare_schema(db)
        params = {"projects": projects, "employments": lines + BIG, "lines": lines + BIG,
                  "placements": len(rows), "big": BIG, "month": MONTH, "crowded": crowded(projects)}
        for sql in FILL[:4] + WAGES_FILL:
            started = time.perf_counter()
            db.session.execute(text(sql), params)
            print(f"  fill {sql.split()[2]:<16} {time.perf_counter() - started:6.1f} s", flush=True)
        for username, region, kind, industry in (("bench_top", "650000", "hr", None),
                                                 ("bench_hami", "650500", "hr", None),
                                                 ("bench_yizhou", "650502", "industry", "housing")):
            create_user(username, PASSWORD, find_org(region, kind, industry), "reviewer", check_policy=False)
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def refresh_all(app) -> None:
    from jobs.wages import refresh_wage_progress
    from wagewatch.extensions import db

    with app.app_context():
        started = time.perf_counter()
        stored = refresh_wage_progress(MONTH)
        print(f"refresh job: {stored} project-months stored in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        refresh_wage_progress(MONTH, [1])
        print(f"refresh of one project-month (after a sheet or bank results): "
              f"{(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
        db.session.execute(text("ANALYZE wage_progress"))
        db.session.commit()


def cases(sheet_id: int, typical: int):
    base = f"/wages/progress?month={MONTH}"
    yield "bench_top", "进度 page 1 (发薪比例 ↑)", base
    yield "bench_top", "进度 deep page 300", base + "&page=300"
    yield "bench_top", "进度 sort 应发金额 ↓", base + "&sort=-amount_due"
    yield "bench_top", "进度 sort 实发金额 ↑ page 200", base + "&sort=amount_paid&page=200"
    yield "bench_top", "进度 仅看异常", base + "&abnormal=1"
    yield "bench_top", "进度 仅看异常 page 100", base + "&abnormal=1&page=100"
    yield "bench_top", "进度 flag NO_ACCOUNT", base + "&flag=NO_ACCOUNT"
    yield "bench_top", "进度 flag PAY_LATE", base + "&flag=PAY_LATE"
    yield "bench_top", "进度 代发状态 银行处理中", base + "&status=processing"
    yield "bench_top", "进度 所在区域 652300", base + "&region=652300"
    yield "bench_top", "进度 行业领域 水利", base + "&industry=water"
    yield "bench_top", "进度 工程", base + f"&project_id={typical}"
    yield "bench_top", "进度 all filters", base + "&region=650500&industry=housing&abnormal=1&flag=PAY_COVERAGE"
    yield "bench_hami", "进度 prefecture page 5", base + "&page=5"
    yield "bench_yizhou", "进度 county industry", base
    yield "bench_top", f"明细 {BIG}-worker project", f"/wages/progress/detail?project_id=1&month={MONTH}"
    yield "bench_top", "明细 sheet expanded", f"/wages/progress/detail?project_id=1&month={MONTH}&sheet={sheet_id}"
    yield "bench_top", "明细 typical project", f"/wages/progress/detail?project_id={typical}&month={MONTH}"


class _HeaderClient:
    def __init__(self, client, headers):
        self.client, self.headers = client, headers

    def get(self, url):
        return self.client.get(url, headers=self.headers)


def timed(client, url: str) -> tuple[float, int]:
    client.get(url)  # warm-up: caches, plans
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples), len(response.get_data())


# The bare baselines: one plain statement per part of the answer, for the same rows.
PAGE_SQL = ("SELECT * FROM wage_progress WHERE month = '2026-09'{where} ORDER BY ratio NULLS LAST, project_id "
            "LIMIT 20 OFFSET {offset}")
COUNT_SQL = "SELECT count(*), min(computed_at) FROM wage_progress WHERE month = '2026-09'{where}"
BARE = {
    "进度 page 1 (发薪比例 ↑)": [COUNT_SQL.format(where=""), PAGE_SQL.format(where="", offset=0)],
    "进度 deep page 300": [COUNT_SQL.format(where=""), PAGE_SQL.format(where="", offset=5980)],
    "进度 仅看异常": [COUNT_SQL.format(where=" AND abnormal"), PAGE_SQL.format(where=" AND abnormal", offset=0)],
    f"明细 {BIG}-worker project": [
        ("SELECT l.* FROM payroll_lines l JOIN payrolls p ON p.id = l.payroll_id "
         "WHERE p.project_id = 1 AND p.month = '2026-09'"),
        ("SELECT worker_id, count(*) FROM attendance_days WHERE project_id = 1 "
         "AND day BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' GROUP BY worker_id")],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=8000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="URL", help="time against a database a --keep run left behind")
    parser.add_argument("--tiny", action="store_true", help="40 projects: checks the bench still runs")
    args = parser.parse_args()
    if args.tiny:
        global REPEAT
        args.projects, args.lines, REPEAT = 40, 400, 1
    from wagewatch import clock, create_app
    from wagewatch.extensions import db

    clock.freeze(NOW)
    url = args.reuse or new_database()
    print(f"database {url.rsplit('/', 1)[1]}: {args.projects} projects, {args.lines} payroll lines in {MONTH}")
    try:
        app = create_app(web_config(url))
        if not args.reuse:
            fill(app, args.projects, args.lines)
            refresh_all(app)
        slow, clients = 0, {}
        with app.app_context():
            counts = db.session.execute(text("SELECT (SELECT count(*) FROM payroll_lines), "
                                             "(SELECT count(*) FROM wage_progress WHERE abnormal)")).one()
            print(f"{counts[0]} payroll lines, {counts[1]} abnormal project-months")
            sheet_id = db.session.execute(text("SELECT min(id) FROM payrolls WHERE project_id = 1")).scalar()
            for username, label, path in cases(sheet_id, args.projects // 2 + 1):
                if username not in clients:
                    clients[username] = app.test_client()
                    clients[username].post("/auth/login", data={"username": username, "password": PASSWORD})
                for fragment in (False, True):
                    headers = {"HX-Request": "true", "HX-Request-Type": "partial"} if fragment else {}
                    ms, size = timed(_HeaderClient(clients[username], headers), path)
                    flag = "" if ms <= TARGET_MS else "  SLOW"
                    slow += ms > TARGET_MS
                    kind = "fragment" if fragment else "page"
                    print(f"{ms:7.1f} ms  {size / 1024:6.1f} KB  {kind:<8} {label:<30} {path}{flag}", flush=True)
                if label in BARE:
                    bare = timed_bare(app, BARE[label], REPEAT)
                    print(f"{bare:7.1f} ms  {'':9}  {'bare SQL':<8} {label:<30} request/bare {ratio(ms, bare)}",
                          flush=True)
            ms, size = timed(_HeaderClient(clients["bench_top"], {"HX-Request": "true", "HX-Request-Type": "partial"}),
                             f"/wages/progress/sheets/{sheet_id}/lines")
            slow += ms > TARGET_MS
            print(f"{ms:7.1f} ms  {size / 1024:6.1f} KB  fragment 明细 展开 {BIG} lines{'  SLOW' if ms > TARGET_MS else ''}")
        print(f"{'all within' if not slow else f'{slow} over'} {TARGET_MS} ms")
        return 1 if slow and not args.tiny else 0
    finally:
        if not args.keep and not args.reuse:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
