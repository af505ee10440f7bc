"""Bench: 工程审批, the selector tree and 人员信息 with 8,000 projects and 1,000,000 employments on PostgreSQL.

Run: .venv/bin/python bench/projects_bench.py [--projects 8000] [--employments 1000000] [--keep] [--tiny]
Builds a throwaway database filled by SQL (INSERT … SELECT generate_series), then times each request through
the Flask test client (median of 5 after a warm-up) and prints the server times. Target (DESIGN §8): ≤ 150 ms.
Beside each request whose work one plain statement can do (a page of a list with its count, a tree level),
that bare statement is timed too, with the ratio of the request to it. --tiny runs every case on 40 projects
and 400 employments (the test suite's smoke test; the target is then reported, not enforced).
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scratch_db import drop_database, new_database, ratio, web_config  # noqa: E402
TARGET_MS = 150
PASSWORD = "Bench-Pass-2026!"
CROWDED = "650502"
KNOWN_ID = "650102198001011234"  # 伊州区: 1,000 projects in one county, to time a crowded tree branch

FILL = [
    """INSERT INTO enterprises (name, uscc) SELECT '新疆基准建设工程有限公司' || n, 'B' || lpad(n::text, 17, '0')
       FROM generate_series(1, 2000) AS n""",
    """INSERT INTO projects (code, name, address, funding, contract_amount, registered_on, owner_id, contractor_id,
         hr_org_id, industry_org_id, review_status, status, payday, deposit_form, region_code, prefecture_code,
         industry, created_at, updated_at)
       SELECT 'XJB' || lpad(n::text, 10, '0'), '基准工程' || n || '号楼建设项目', '新疆', 'government', 1000000,
         DATE '2021-01-01' + (n * 7 % 1400), 1 + n % 2000, 1 + (n * 13) % 2000, p.hr_org_id, p.industry_org_id,
         CASE WHEN n % 10 < 5 THEN 'pending' WHEN n % 10 < 8 THEN 'approved' ELSE 'rejected' END,
         CASE WHEN n % 3 = 0 THEN 'completed' ELSE 'in_progress' END, 15, 'cash', p.region_code,
         p.prefecture_code, p.industry, now(), now()
       FROM generate_series(1, :projects) AS n
       JOIN bench_placements p ON p.k = CASE WHEN n <= :crowded THEN 0 ELSE 1 + n % (:placements - 1) END""",
    "INSERT INTO teams (project_id, name, subcontractor_id) SELECT id, '钢筋班', owner_id FROM projects",
    """INSERT INTO workers (id_number_enc, id_number_hash, id_number_masked, name, gender, birth_date, phone)
       SELECT '\\x00'::bytea, md5(n::text), '650*****001', '工人' || n, CASE WHEN n % 2 = 0 THEN 'F' ELSE 'M' END,
         DATE '1970-01-01' + (n % 12000), '138' || lpad((n % 100000000)::text, 8, '0')
       FROM generate_series(1, :employments) AS n""",
    # the first project has a long roster (5,000); the rest share the remaining employments
    """INSERT INTO employments (worker_id, project_id, team_id, trade_code, role, contract_signed, joined_on, left_on)
       SELECT w.id, pr.id, t.id, '020', 20, w.id % 9 <> 0, DATE '2022-01-01' + (w.id % 300),
         CASE WHEN w.id % 4 = 0 THEN DATE '2022-01-01' + (w.id % 300) + 60 END
       FROM workers w
       JOIN projects pr ON pr.id = CASE WHEN w.id <= :long_roster THEN 1 ELSE 2 + w.id % (:projects - 1) END
       JOIN teams t ON t.project_id = pr.id""",
]


def placements(db):
    """(region, industry) pairs to spread projects over, with their derived supervising orgs; k=0 is crowded."""
    from wagewatch.models import Region
    from wagewatch.models._types import prefecture_of
    from wagewatch.orgs import supervising_orgs

    counties = [r.code for r in db.session.query(Region).filter(Region.level == 3).order_by(Region.code)]
    pairs = [(CROWDED, "housing")] + [(c, i) for c in counties for i in ("housing", "transport", "water")]
    rows = []
    for k, (code, industry) in enumerate(pairs):
        hr, ind = supervising_orgs(code, industry)
        rows.append({"k": k, "region_code": code, "prefecture_code": prefecture_of(code), "industry": industry,
                     "hr_org_id": hr.id if hr else None, "industry_org_id": ind.id if ind else None})
    return rows


def prepare_schema(db) -> list[dict]:
    """The schema, the reference data and a temp table bench_placements of (region, industry) placements with
    their supervising orgs, which every bench's INSERT … SELECT fill spreads its projects over."""
    from wagewatch.reference import load_all

    db.create_all()
    load_all()
    rows = placements(db)
    db.session.execute(text("CREATE TEMP TABLE bench_placements (k int, region_code varchar(6), "
                            "prefecture_code varchar(6), industry varchar(16), hr_org_id int, "
                            "industry_org_id int)"))
    db.session.execute(text("INSERT INTO bench_placements VALUES (:k, :region_code, :prefecture_code, "
                            ":industry, :hr_org_id, :industry_org_id)"), rows)
    return rows


def fill(app, projects: int, employments: int) -> dict:
    from wagewatch.extensions import db
    from wagewatch.people import new_worker
    from wagewatch.users import create_user, find_org

    with app.app_context():
        rows = prepare_schema(db)
        params = {"projects": projects, "employments": employments, "placements": len(rows),
                  "crowded": crowded(projects), "long_roster": long_roster(employments)}
        for sql in FILL:
            started = time.perf_counter()
            db.session.execute(text(sql), params)
            print(f"  fill {sql.split()[2]:<12} {time.perf_counter() - started:6.1f} s", flush=True)
        known = new_worker(KNOWN_ID, "古丽")  # one real ID number, to time the keyed-hash search
        db.session.add(known)
        db.session.flush()
        db.session.execute(text("INSERT INTO employments (worker_id, project_id, trade_code, role, contract_signed,"
                                " joined_on) VALUES (:w, 1, '010', 20, true, DATE '2022-03-01')"), {"w": known.id})
        for username, region, kind, industry in (("bench_top", "650000", "hr", None),
                                                 ("bench_hami", "650500", "hr", None),
                                                 ("bench_yizhou", CROWDED, "industry", "housing")):
            create_user(username, PASSWORD, find_org(region, kind, industry), "reviewer", check_policy=False)
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return params


REPEAT = 5


def timed(client, url: str) -> tuple[float, int]:
    repeat = REPEAT
    client.get(url)  # warm-up: caches, plans
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples), len(response.get_data())


def crowded(projects: int) -> int:
    """Projects in the crowded county (1,000 of 8,000)."""
    return min(1000, projects // 8)


def long_roster(employments: int) -> int:
    """Employments of project 1, the long roster (5,000 of 1,000,000)."""
    return min(5000, employments // 10)


def cases(projects: int):
    from wagewatch import crypto

    typical = min(4321, projects)
    yield "bench_top", "未审核 page 1", "/projects/approvals"
    yield "bench_top", "审核已通过 page 1", "/projects/approvals?tab=approved"
    yield "bench_top", "审核未通过 page 1", "/projects/approvals?tab=rejected"
    yield "bench_top", "未审核 page 200", "/projects/approvals?page=200"
    yield "bench_top", "审核已通过 page 100 asc", "/projects/approvals?tab=approved&page=100&sort=registered_on"
    yield "bench_top", "filter 工程名称", "/projects/approvals?name=号楼"
    yield "bench_top", "filter 工程名称 rare", "/projects/approvals?name=基准工程7777号"
    yield "bench_top", "filter 建设单位", "/projects/approvals?owner=有限公司1"
    yield "bench_top", "filter 区域+行业+日期", ("/projects/approvals?region=652300&industry=water"
                                                "&registered_from=2021-06-01&registered_to=2023-12-31")
    yield "bench_hami", "prefecture 未审核 page 20", "/projects/approvals?page=20"
    yield "bench_yizhou", "county industry 审核已通过", "/projects/approvals?tab=approved"
    yield "bench_top", "site page (root tree)", "/projects/site"
    yield "bench_top", "tree 650000 (fragment)", "/selector/projects.site/children?region=650000"
    yield "bench_top", f"tree {CROWDED} {crowded(projects):,} projects", f"/selector/projects.site/children?region={CROWDED}"
    yield "bench_top", f"tree {CROWDED} 更多 offset 950", f"/selector/projects.site/children?region={CROWDED}&offset=950"
    yield "bench_top", "tree search", "/selector/projects.site/search?q=基准工程12"
    yield "bench_top", "人员信息 long roster", "/projects/site?project_id=1&tab=workers"
    yield "bench_top", "人员信息 page 200", "/projects/site?project_id=1&tab=workers&page=200"
    yield "bench_top", "人员信息 姓名", "/projects/site?project_id=1&name=工人12"
    # the search posts the number and lands on its keyed hash: time that URL (needs the app context)
    yield "bench_top", "人员信息 身份证号", f"/projects/site?project_id=1&id_hash={crypto.lookup_hash(KNOWN_ID)}"
    yield "bench_top", "人员信息 离职", "/projects/site?project_id=1&state=left"
    yield "bench_top", "人员信息 typical project", f"/projects/site?project_id={typical}"
    yield "bench_top", "工程信息", f"/projects/site?project_id={typical}&tab=info"


# The bare baselines: what one plain statement needs for the same rows (a page with its count, a tree level).
BARE = {
    "未审核 page 1": ["SELECT count(*) FROM projects WHERE review_status = 'pending'",
                    ("SELECT * FROM projects WHERE review_status = 'pending' ORDER BY registered_on DESC, id DESC "
                     "LIMIT 20")],
    "未审核 page 200": ["SELECT count(*) FROM projects WHERE review_status = 'pending'",
                      ("SELECT * FROM projects WHERE review_status = 'pending' ORDER BY registered_on DESC, "
                       "id DESC LIMIT 20 OFFSET 3980")],
    "tree 650000 (fragment)": ["SELECT prefecture_code, count(*) FROM projects GROUP BY prefecture_code"],
    "人员信息 long roster": ["SELECT count(*) FROM employments WHERE project_id = 1",
                         ("SELECT w.name, w.id_number_masked, e.joined_on FROM employments e JOIN workers w "
                          "ON w.id = e.worker_id WHERE e.project_id = 1 ORDER BY e.left_on IS NOT NULL, "
                          "e.joined_on DESC, e.id DESC LIMIT 20")],
}


def timed_bare(app, statements: list[str]) -> float:
    repeat = REPEAT
    from wagewatch.extensions import db

    samples = []
    with app.app_context():
        for round_ in range(repeat + 1):
            started = time.perf_counter()
            for sql in statements:
                db.session.execute(text(sql)).all()
            if round_:  # the first round warms the caches, as the requests' warm-up does
                samples.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=8000)
    parser.add_argument("--employments", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="URL", help="time against a database a --keep run left behind")
    parser.add_argument("--tiny", action="store_true", help="40 projects: checks the bench still runs")
    args = parser.parse_args()
    if args.tiny:
        global REPEAT
        args.projects, args.employments, REPEAT = 40, 400, 1
    from wagewatch import create_app

    url = args.reuse or new_database()
    print(f"database {url.rsplit('/', 1)[1]}: {args.projects} projects, {args.employments} employments")
    try:
        app = create_app(web_config(url))
        if not args.reuse:
            fill(app, args.projects, args.employments)
        slow = 0
        clients = {}
        with app.app_context():
            for username, label, path in cases(args.projects):
                if username not in clients:
                    clients[username] = app.test_client()
                    clients[username].post("/auth/login", data={"username": username, "password": PASSWORD})
                for fragment in (False, True):
                    headers = {"HX-Request": "true", "HX-Request-Type": "partial"} if fragment else {}
                    client = clients[username]
                    client.environ_base = {}
                    ms, size = timed(_HeaderClient(client, headers), path)
                    flag = "" if ms <= TARGET_MS else "  SLOW"
                    slow += ms > TARGET_MS
                    kind = "fragment" if fragment else "page"
                    print(f"{ms:7.1f} ms  {size / 1024:6.1f} KB  {kind:<8} {label:<32} {path}{flag}", flush=True)
                if label in BARE:
                    bare = timed_bare(app, BARE[label])
                    print(f"{bare:7.1f} ms  {'':9}  {'bare SQL':<8} {label:<32} request/bare {ratio(ms, bare)}",
                          flush=True)
        print(f"{'all within' if not slow else f'{slow} over'} {TARGET_MS} ms")
        return 1 if slow and not args.tiny else 0
    finally:
        if not args.keep and not args.reuse:
            drop_database(url)


class _HeaderClient:
    def __init__(self, client, headers):
        self.client, self.headers = client, headers

    def get(self, url):
        return self.client.get(url, headers=self.headers)


if __name__ == "__main__":
    sys.exit(main())
