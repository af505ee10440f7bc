"""Bench: 实名制进度预警, 数据通报 and the 首页 desk with 8,000 projects and 1,000,000 workers on PostgreSQL.

Run: .venv/bin/python bench/realname_bench.py [--projects 8000] [--employments 1000000] [--keep] [--reuse URL]
     [--tiny]   (40 projects: the test suite's smoke test; targets reported, not enforced)
Builds the 工程审批 bench data set (bench/projects_bench.py), adds attendance in the R1 window, a wage month of
payroll lines, wage accounts and complaints, runs the nightly refresh_indicators once (timed: computing R1 live
measured 12.2 s region-wide, which is why it is stored), then times each page through the Flask test client
(median of 5 after a warm-up). Targets: the bulletin ≤ 300 ms, the real-name list and 首页 ≤ 150 ms.
Measured 2026-11-29 on the shared 2-core machine: fill ≈ 6 min; refresh_indicators 7–20 s; every request 24–93 ms
at load average ≈ 3, 18–217 ms at load average 19 (首页 then 60–210 ms, the SQL itself 25–30 ms per count).
Beside the list, the bulletin and 首页, the bare SQL reading the same stored rows is timed, with the ratio.
"""
import argparse
import os
import sys
import time
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import projects_bench  # noqa: E402
from projects_bench import PASSWORD, _HeaderClient, fill, timed  # noqa: E402
from scratch_db import drop_database, new_database, ratio, timed_bare, web_config  # noqa: E402

# The bare baselines: the stored rows each page reads, by plain statements.
BARE = {
    "实名制进度预警 page 1": ["SELECT count(*) FROM project_realname", "SELECT * FROM project_realname LIMIT 20"],
    "数据通报": ["SELECT * FROM bulletin_figures"],
    "首页": ["SELECT review_status, status, count(*) FROM projects GROUP BY 1, 2"],
}

EXTRA = [
    # two attendance days in the R1 window for 9 of 10 active workers
    """INSERT INTO attendance_days (project_id, worker_id, day, first_in, last_out, punches, work_minutes, status)
       SELECT e.project_id, e.worker_id, :today - d, now(), now(), 2, 480, 'normal'
       FROM employments e CROSS JOIN (VALUES (1), (2)) AS days(d)
       WHERE e.left_on IS NULL AND e.worker_id % 10 <> 0""",
    """INSERT INTO wage_accounts (project_id, bank_name, account_no_enc, account_no_hash, account_no_masked,
         account_name, tripartite_agreement, updated_at)
       SELECT id, '中国农业银行', '\\x00'::bytea, md5('acct' || id), '**** 1234', name, true, now()
       FROM projects WHERE id % 5 <> 0""",
    "UPDATE projects SET labour_officer_name = '王芳' WHERE id % 7 <> 0",
    "UPDATE projects SET notice_board_posted_on = DATE '2022-06-01' WHERE id % 6 <> 0",
    """INSERT INTO payrolls (payroll_no, project_id, month, submitted_at, status, created_at)
       SELECT 'PB' || id, id, :wage_month, now(), 'submitted', now() FROM projects WHERE status = 'in_progress'""",
    """INSERT INTO payroll_lines (payroll_id, worker_id, days_worked, amount_due, amount_paid, is_back_pay,
         pay_status, paid_at)
       SELECT p.id, e.worker_id, 22, 6000, CASE WHEN e.worker_id % 11 <> 0 THEN 6000 END, false,
         CASE WHEN e.worker_id % 11 <> 0 THEN 'paid' ELSE 'pending' END, now()
       FROM employments e JOIN payrolls p ON p.project_id = e.project_id WHERE e.left_on IS NULL""",
    """INSERT INTO attendance_days (project_id, worker_id, day, first_in, last_out, punches, work_minutes, status)
       SELECT e.project_id, e.worker_id, :wage_first + (e.worker_id % 20), now(), now(), 2, 480, 'normal'
       FROM employments e WHERE e.left_on IS NULL ON CONFLICT DO NOTHING""",
    """INSERT INTO complaints (complaint_no, project_id, project_name, contractor_name, complainant_name, type,
         workers_involved, description, submitted_at, status, appeal_status, supervision_status, checks,
         created_at, region_code, prefecture_code, industry, closed_at)
       SELECT 'TSB' || n, pr.id, pr.name, '某公司', '张三', '拖欠工资', 1, '', :wage_start + (n % 25) * interval '1 day',
         CASE WHEN n % 3 = 0 THEN 'closed' ELSE 'open' END,
         'none', CASE WHEN n % 17 = 0 THEN 'supervising' ELSE 'none' END, '[]', now(),
         pr.region_code, pr.prefecture_code, pr.industry,
         CASE WHEN n % 3 = 0 THEN :wage_start + (n % 25 + n % 20) * interval '1 day' END
       FROM generate_series(1, 5000) AS n JOIN projects pr ON pr.id = 1 + n % :projects""",
]


def extra(app, projects: int) -> None:
    from wagewatch import clock
    from wagewatch.extensions import db
    from wagewatch.rules.wages import last_passed_month, month_span

    with app.app_context():
        today = clock.beijing_today()
        wage_month = last_passed_month(today)
        first = month_span(wage_month)[0]
        params = {"today": today, "wage_month": wage_month, "wage_first": first, "projects": projects,
                  "wage_start": clock.day_bounds(first)[0]}
        for sql in EXTRA:
            started = time.perf_counter()
            db.session.execute(text(sql), params)
            print(f"  fill {' '.join(sql.split()[:3]):<28} {time.perf_counter() - started:6.1f} s", flush=True)
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def cases():
    for user in ("bench_top", "bench_hami", "bench_yizhou"):
        yield user, 150, "实名制进度预警 page 1", "/realname"
        yield user, 300, "数据通报", "/bulletin"
        yield user, 150, "首页", "/"
    yield "bench_top", 150, "实名制 未达标", "/realname?compliance=failed"
    yield "bench_top", 150, "实名制 deep page 150", "/realname?page=150"
    yield "bench_top", 150, "实名制 名称", "/realname?name=号楼"
    yield "bench_top", 150, "实名制 区域+行业+监管单位+日期", ("/realname?region=652300&industry=water&hr_org=人社"
                                                     "&registered_from=2021-06-01&registered_to=2023-12-31")
    yield "bench_top", 300, "数据通报 drill 650500", "/bulletin?region=650500"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=8000)
    parser.add_argument("--employments", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="URL", help="time against a database a --keep run left behind")
    parser.add_argument("--tiny", action="store_true", help="40 projects: checks the bench still runs")
    args = parser.parse_args()
    if args.tiny:
        args.projects, args.employments, projects_bench.REPEAT = 40, 400, 1
    from jobs.indicators import refresh_indicators
    from wagewatch import create_app

    url = args.reuse or new_database()
    print(f"database {url.rsplit('/', 1)[1]}: {args.projects} projects, {args.employments} workers")
    try:
        app = create_app(web_config(url))
        if not args.reuse:
            fill(app, args.projects, args.employments)
            extra(app, args.projects)
        with app.app_context():
            from wagewatch import clock
            from wagewatch.extensions import db
            from wagewatch.rules.wages import last_passed_month
            from wagewatch.wages.refresh import refresh as refresh_wages

            started = time.perf_counter()
            stored = refresh_wages(last_passed_month(clock.beijing_today()))  # what the 首页 wage counts read
            db.session.commit()
            print(f"wage progress refresh {time.perf_counter() - started:6.1f} s ({stored} project-months)")
            started = time.perf_counter()
            result = refresh_indicators()
            print(f"nightly refresh_indicators {time.perf_counter() - started:6.1f} s {result}", flush=True)
            db.session.execute(text("ANALYZE"))  # as autovacuum would after the nightly writes
            db.session.commit()
        slow, clients = 0, {}
        with app.app_context():
            for username, target, label, path in cases():
                if username not in clients:
                    clients[username] = app.test_client()
                    clients[username].post("/auth/login", data={"username": username, "password": PASSWORD})
                for fragment in (False, True):
                    headers = {"HX-Request": "true", "HX-Request-Type": "partial"} if fragment else {}
                    ms, size = timed(_HeaderClient(clients[username], headers), path)
                    flag = "" if ms <= target else "  SLOW"
                    slow += ms > target
                    kind = "fragment" if fragment else "page"
                    print(f"{ms:7.1f} ms  {size / 1024:6.1f} KB  {kind:<8} {username:<12} {label:<30} {path}{flag}",
                          flush=True)
                if label in BARE:
                    bare = timed_bare(app, BARE[label], projects_bench.REPEAT)
                    print(f"{bare:7.1f} ms  {'':9}  {'bare SQL':<8} {username:<12} {label:<30} request/bare "
                          f"{ratio(ms, bare)}", flush=True)
        print("all within target" if not slow else f"{slow} over target", f"(load average {os.getloadavg()[0]:.1f})")
        return 1 if slow and not args.tiny else 0
    finally:
        if not args.keep and not args.reuse:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
