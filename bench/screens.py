"""Bench: every screen, fragment, pane and dialog through gunicorn on the region-scale data set, as an
autonomous-region reviewer and as a county reviewer: p50 / p95 server time and SQL queries per request.

Run: .venv/bin/python bench/screens.py [--scale 1.0] [--database URL] [--repeat 20] [--tiny]
Without --database the data set is built first with bench/generate.py's build (and kept, its URL printed);
--database URL reuses a set generate.py left. --tiny builds the 1/1000 set, requests each URL 3 times and drops it.
gunicorn runs 2 workers with scripts/gunicorn.conf.py (see bench/served.py for the settings); the server time is
the app's own `Server-Timing` and the count its `X-Query-Count` (wagewatch/query_count.py, WAGEWATCH_COUNT_QUERIES).
Beside the screens: the bare baselines, a static file through the same gunicorn and the bare SQL of each list's
page (its capped count and 20 rows), with the ratio of the screen's p50 to it. Targets (issue of region scale):
p95 ≤ 150 ms for lists and panes, ≤ 300 ms for the bulletin. See bench/RESULTS.md for the recorded runs.
"""
import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import served  # noqa: E402
from scratch_db import drop_database, new_database, ratio, timed_bare, web_config  # noqa: E402

HX = {"HX-Request": "true", "HX-Request-Type": "partial"}
USERS = {"bench_region": "650000"}  # + bench_county: the county with the most projects, found in the data
LIST, PANE, BULLETIN = 150, 150, 300
CAP = 10_000
BARE = {
    "static": None,  # a static file through gunicorn, timed apart
    "home": ["SELECT review_status, status, count(*) FROM projects GROUP BY 1, 2"],
    "approvals": [f"SELECT count(*) FROM (SELECT 1 FROM projects WHERE review_status = 'approved' LIMIT {CAP}) c",
                  "SELECT * FROM projects WHERE review_status = 'approved' ORDER BY registered_on DESC, id DESC "
                  "LIMIT 20"],
    "site": ["SELECT count(*) FROM employments WHERE project_id = :project",
             "SELECT * FROM employments e JOIN workers w ON w.id = e.worker_id WHERE e.project_id = :project "
             "ORDER BY e.id LIMIT 20"],
    "attendance": [f"SELECT count(*) FROM (SELECT 1 FROM attendance_days WHERE day = :yesterday LIMIT {CAP}) c",
                   "SELECT * FROM attendance_days WHERE day = :yesterday ORDER BY project_id, worker_id LIMIT 20"],
    "realname": ["SELECT count(*) FROM project_realname", "SELECT * FROM project_realname LIMIT 20"],
    "wages": ["SELECT count(*) FROM wage_progress", "SELECT * FROM wage_progress LIMIT 20"],
    "bulletin": ["SELECT * FROM bulletin_figures"],
    "complaints": [f"SELECT count(*) FROM (SELECT 1 FROM complaints LIMIT {CAP}) c",
                   "SELECT * FROM complaints ORDER BY submitted_at DESC, id DESC LIMIT 20"],
}


def facts(app, county: str) -> dict:
    """Object ids inside the county (so both users may open them) and the row counts that place a deep page."""
    from wagewatch import clock
    from wagewatch.extensions import db

    one = lambda sql, **kw: db.session.execute(text(sql), {"county": county, **kw}).scalar()  # noqa: E731
    with app.app_context():
        yesterday = clock.beijing_today() - timedelta(days=1)
        f = {"county": county, "yesterday": yesterday}
        f["project"] = one("SELECT p.id FROM projects p JOIN employments e ON e.project_id = p.id "
                           "WHERE p.region_code = :county GROUP BY p.id ORDER BY count(*) DESC LIMIT 1")
        f["pending"] = one("SELECT id FROM projects WHERE region_code = :county AND review_status = 'pending' "
                           "ORDER BY id LIMIT 1")
        f["approved"] = one("SELECT id FROM projects WHERE region_code = :county AND review_status = 'approved' "
                            "ORDER BY id LIMIT 1")
        f["day"] = one("SELECT a.id FROM attendance_days a JOIN projects p ON p.id = a.project_id "
                       "WHERE p.region_code = :county AND a.day = :y ORDER BY a.id LIMIT 1", y=yesterday)
        payroll = db.session.execute(text(
            "SELECT pa.id, pa.project_id, pa.month FROM payrolls pa JOIN projects p ON p.id = pa.project_id "
            "WHERE p.region_code = :county ORDER BY pa.id LIMIT 1"), {"county": county}).first()
        f["payroll"], f["payroll_project"], f["month"] = payroll if payroll else (None, None, None)
        f["complaint"] = one("SELECT c.id FROM complaints c WHERE c.region_code = :county ORDER BY c.id LIMIT 1")
        deep = lambda rows: max(2, int((rows or 0) * 0.4) // 20)  # noqa: E731 - 40 % down the list
        f["deep_approvals"] = deep(one("SELECT count(*) FROM projects WHERE review_status = 'approved'"))
        f["deep_attendance"] = deep(one("SELECT count(*) FROM attendance_days WHERE day = :y", y=yesterday))
        f["deep_realname"] = deep(one("SELECT count(*) FROM project_realname"))
        f["deep_wages"] = deep(one("SELECT count(*) FROM wage_progress"))
        f["deep_complaints"] = deep(one("SELECT count(*) FROM complaints"))
        f["deep_workers"] = deep(one("SELECT count(*) FROM employments WHERE project_id = :p", p=f["project"]))
    return f


def cases(f: dict, region: str):
    """(group, target ms, label, path, htmx): every screen's first, filtered and deep page, its htmx fragment,
    each pane and dialog. A case whose object the data set lacks (no pending project in the county…) is left out."""
    c = f["county"]
    lists = [
        ("home", "首页", "/"),
        ("approvals", "工程审批 未审核", "/projects/approvals"),
        ("approvals", "工程审批 审核已通过", "/projects/approvals?tab=approved"),
        ("approvals", "工程审批 filter 名称+区域", f"/projects/approvals?tab=approved&name=号&region={c}"),
        ("approvals", "工程审批 deep page", f"/projects/approvals?tab=approved&page={f['deep_approvals']}"),
        ("site", "工程现场管理 tree root", "/projects/site"),
        ("site", "人员信息", f"/projects/site?project_id={f['project']}"),
        ("site", "人员信息 filter 离职", f"/projects/site?project_id={f['project']}&state=left"),
        ("site", "人员信息 deep page", f"/projects/site?project_id={f['project']}&tab=workers"
                                      f"&page={f['deep_workers']}"),
        ("site", "工程信息", f"/projects/site?project_id={f['project']}&tab=info"),
        ("attendance", "考勤日报 default", "/attendance/daily"),
        ("attendance", "考勤日报 filter 区域+状态", f"/attendance/daily?region={c}&status=single"),
        ("attendance", "考勤日报 工程", f"/attendance/daily?project_id={f['project']}"),
        ("attendance", "考勤日报 deep page", f"/attendance/daily?page={f['deep_attendance']}"),
        ("realname", "实名制 default", "/realname"),
        ("realname", "实名制 filter 未达标+区域", f"/realname?compliance=failed&region={c}"),
        ("realname", "实名制 deep page", f"/realname?page={f['deep_realname']}"),
        ("wages", "工资进度 default", "/wages/progress"),
        ("wages", "工资进度 filter 仅看异常+区域", f"/wages/progress?abnormal=1&region={c}"),
        ("wages", "工资进度 deep page", f"/wages/progress?page={f['deep_wages']}"),
        ("complaints", "投诉 default", "/complaints"),
        ("complaints", "投诉 filter 区域+督办", f"/complaints?region={c}&supervision=supervising"),
        ("complaints", "投诉 deep page", f"/complaints?page={f['deep_complaints']}"),
        ("static", "我的导出", "/exports"),
        ("static", "帮助", "/help"),
    ]
    for group, label, path in lists:
        for htmx in (False, True):
            yield group, LIST, label, path, htmx
    yield "bulletin", BULLETIN, "数据通报", "/bulletin", False
    yield "bulletin", BULLETIN, "数据通报 drill 县", f"/bulletin?region={c}", False
    yield "bulletin", BULLETIN, "数据通报 drill (fragment)", f"/bulletin?region={c}", True
    yield "site", LIST, "tree children (fragment)", f"/selector/projects.site/children?region={region}", True
    yield "site", LIST, "tree search (fragment)", "/selector/projects.site/search?q=号楼", True
    if f["month"]:
        yield "wages", LIST, "工资进度明细", f"/wages/progress/detail?project_id={f['payroll_project']}&month={f['month']}", False
        yield "wages", PANE, "工资表明细 pane", f"/wages/progress/sheets/{f['payroll']}/lines", True
    if f["day"]:
        yield "attendance", PANE, "打卡记录 pane", f"/attendance/daily/{f['day']}/punches", True
    if f["complaint"]:
        yield "complaints", PANE, "投诉 detail pane", f"/complaints/{f['complaint']}/pane", True
        yield "complaints", LIST, "投诉 ?case", f"/complaints?case={f['complaint']}", False
    if f["pending"]:
        yield "approvals", PANE, "审核 dialog", f"/projects/{f['pending']}/review", True
        yield "approvals", LIST, "批量审核 selected (303 to the dialog)", f"/projects/selected?action=review&selected={f['pending']}", False
    if f["approved"]:
        yield "approvals", PANE, "状态 dialog", f"/projects/{f['approved']}/status", True


def measure(session, url: str, headers: dict, repeat: int) -> dict:
    session.get(url, headers=headers)  # warm-up
    server, cpu, wall, queries, statuses, size = [], [], [], set(), set(), 0
    for _ in range(repeat):
        began = time.perf_counter()
        answer = session.get(url, headers=headers, allow_redirects=False)
        wall.append((time.perf_counter() - began) * 1000)
        timing = dict(part.strip().split(";dur=") for part in
                      answer.headers.get("Server-Timing", "app;dur=nan, cpu;dur=nan").split(","))
        server.append(float(timing["app"]))
        cpu.append(float(timing["cpu"]))
        queries.add(int(answer.headers.get("X-Query-Count", -1)))
        statuses.add(answer.status_code)
        size = len(answer.content)
    return {"p50": percentile(server, 50), "p95": percentile(server, 95), "wall95": percentile(wall, 95),
            "cpu50": percentile(cpu, 50),
            "queries": queries, "statuses": statuses, "size": size}


def percentile(samples: list[float], p: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def run(url: str, repeat: int) -> int:
    from wagewatch import create_app

    app = create_app(web_config(url))
    county = served.busiest_county(app)
    users = {**USERS, "bench_county": county}
    served.ensure_users(app, users)
    f = facts(app, county)
    bare = {group: timed_bare(app, sql, repeat=5, params={"project": f["project"], "yesterday": f["yesterday"]})
            for group, sql in BARE.items() if sql}
    misses, wrong = [], []
    with served.gunicorn(url) as (base, _master):
        static = next((ROOT / "static").rglob("*.css"))
        static_times = []
        for _ in range(repeat + 1):
            began = time.perf_counter()
            served.requests.get(f"{base}/static/{static.relative_to(ROOT / 'static')}")
            static_times.append((time.perf_counter() - began) * 1000)
        bare["static"] = statistics.median(static_times[1:])
        print(f"bare static file through gunicorn (baseline) p50 {bare['static']:.1f} ms, "
              f"p95 {percentile(static_times[1:], 95):.1f} ms", flush=True)
        print(f"{'user':<13}{'p50':>7}{'p95':>8}{'wall95':>8}{'cpu50':>7}{'SQL':>6}{'KB':>6}  {'bare':>6} {'ratio':>7}  "
              f"status  screen", flush=True)
        for username in users:
            session = served.sign_in(base, username)
            for group, target, label, path, htmx in cases(f, users[username]):
                m = measure(session, base + path, HX if htmx else {}, repeat)
                queries = "–".join(str(q) for q in sorted({min(m["queries"]), max(m["queries"])}))
                ok = m["statuses"] <= ({200, 303} if path.startswith("/projects/selected") else {200})
                flag = "" if m["p95"] <= target else f"  MISSES {target} ms"
                if not ok:
                    wrong.append((username, label, path, m["statuses"]))
                if m["p95"] > target:
                    misses.append((username, label, m["p95"], target))
                print(f"{username:<13}{m['p50']:7.1f}{m['p95']:8.1f}{m['wall95']:8.1f}{m['cpu50']:7.1f}{queries:>6}"
                      f"{m['size'] / 1024:6.1f}  {bare[group]:6.1f} {ratio(m['p50'], bare[group]):>7}  "
                      f"{','.join(map(str, sorted(m['statuses']))):<6}  {label}{' (fragment)' if htmx and 'fragment' not in label else ''}"
                      f"  {path}{flag}", flush=True)
    print("p50/p95 = server time (ms, Server-Timing app); wall95 = as the client saw it; cpu50 = the worker's own "
          "CPU time; SQL = queries per request (X-Query-Count); bare = the group's bare SQL (count + 20 rows) in "
          "ms, or the static file; ratio = request p50 / bare")
    load = os.getloadavg()[0]
    if misses:
        print(f"{len(misses)} over target (p95 ≤ 150 ms lists and panes, ≤ 300 ms bulletin), load average {load:.1f}:")
        for username, label, p95, target in misses:
            print(f"  {username} {label}: p95 {p95:.0f} ms > {target} ms")
    else:
        print(f"every screen within target (p95 ≤ 150 ms lists and panes, ≤ 300 ms bulletin), load average {load:.1f}")
    for username, label, path, statuses in wrong:
        print(f"  unexpected status {sorted(statuses)}: {username} {label} {path}")
    return 1 if wrong else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--database", help="reuse the data set generate.py left at this URL")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--tiny", action="store_true", help="the 1/1000 set, 3 requests per URL, dropped after")
    args = parser.parse_args()
    random.seed(args.seed)
    scale, repeat = (0.001, 3) if args.tiny else (args.scale, args.repeat)
    url = args.database or new_database()
    try:
        if not args.database:
            import generate

            print(f"building the data set, scale {scale:g}, into {url}", flush=True)
            steps = generate.build(url, scale, args.seed)
            print(f"built in {steps.total:.0f} s", flush=True)
        return run(url, repeat)
    finally:
        if args.tiny and not args.database:
            drop_database(url)
        elif not args.database:
            print(f"kept: DATABASE_URL={url}")


if __name__ == "__main__":
    sys.exit(main())
