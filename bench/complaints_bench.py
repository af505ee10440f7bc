"""Bench: 欠薪投诉监控 with 60,000 complaints and 300,000 events over 8,000 projects on PostgreSQL.

Run: .venv/bin/python bench/complaints_bench.py [--complaints 60000] [--keep] [--reuse URL] [--tiny]
Fills a throwaway database by SQL (INSERT … SELECT generate_series), then times through the Flask test client
(median of 5 after a warm-up): the list unfiltered, with every filter, with combinations, a complainant found by
full ID number and by phone (keyed hash), deep pages, and the detail pane. Beside each list request the bare SQL
doing its core work (the capped count and the page's 20 rows, same filters and scope) is timed, with the ratio.
--tiny runs every case on 40 projects and 400 complaints (the test suite's smoke test; the target is reported,
not enforced). Target (DESIGN §8, issue 13): ≤ 150 ms server time.
"""
import argparse
import sys
import time
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import projects_bench
from projects_bench import PASSWORD, _HeaderClient, prepare_schema, timed
from scratch_db import drop_database, new_database, ratio, web_config

TARGET_MS = 150
KNOWN_ID = "650102198001011234"
KNOWN_PHONE = "13912345678"


def KNOWN_CASE(complaints: int) -> int:  # a constant that scales with --tiny
    return min(4321, complaints - 1)  # n % 5 != 0: a case that names a project

FILL = [
    """INSERT INTO enterprises (name, uscc) SELECT '新疆基准建设工程有限公司' || n, 'B' || lpad(n::text, 17, '0')
       FROM generate_series(1, 2000) AS n""",
    """INSERT INTO projects (code, name, address, funding, contract_amount, registered_on, owner_id, contractor_id,
         hr_org_id, industry_org_id, review_status, status, payday, deposit_form, region_code, prefecture_code,
         industry, created_at, updated_at)
       SELECT 'XJB' || lpad(n::text, 10, '0'), '基准工程' || n || '号楼建设项目', '新疆', 'government', 1000000,
         DATE '2021-01-01' + (n * 7 % 1400), 1 + n % 2000, 1 + (n * 13) % 2000, p.hr_org_id, p.industry_org_id,
         'approved', 'in_progress', 15, 'cash', p.region_code, p.prefecture_code, p.industry, now(), now()
       FROM generate_series(1, :projects) AS n JOIN bench_placements p ON p.k = n % :placements""",
    # 80% of complaints name a project (and take its region and industry), 20% match none
    """INSERT INTO complaints (complaint_no, project_id, project_name, contractor_name, complainant_name,
         complainant_id_enc, complainant_id_hash, complainant_id_masked, complainant_phone, complainant_phone_hash,
         type, amount_claimed, workers_involved, description, submitted_at, read_at, handled_at, appealed_at,
         appeal_read_at, appeal_handled_at, closed_at, status, appeal_status, supervision_status, checks,
         region_code, prefecture_code, industry, created_at)
       SELECT 'TS' || lpad(n::text, 10, '0'), CASE WHEN n % 5 <> 0 THEN pr.id END,
         CASE WHEN n % 5 <> 0 THEN pr.name ELSE '未登记工程' || n END, '新疆基准建设工程有限公司' || (n % 2000),
         '投诉人' || n, '\\x00'::bytea, md5(n::text) || md5(n::text), '450*****' || lpad((n % 1000)::text, 3, '0'),
         '138' || lpad(n::text, 8, '0'), md5('p' || n) || md5('p' || n),
         (ARRAY['拖欠工资','克扣工资','未签劳动合同','其他'])[1 + n % 4], 3000, 1, '拖欠工资',
         now() - make_interval(mins => n * 13),
         CASE WHEN n % 3 <> 0 THEN now() - make_interval(mins => n * 13 - 300) END,
         CASE WHEN n % 3 = 1 THEN now() - make_interval(mins => n * 13 - 2000) END,
         CASE WHEN n % 12 = 1 THEN now() - make_interval(mins => n * 13 - 3000) END, NULL, NULL,
         CASE WHEN n % 6 = 4 AND n % 12 <> 1 THEN now() - make_interval(mins => n * 13 - 5000) END,
         CASE WHEN n % 3 = 1 THEN (CASE WHEN n % 6 = 4 AND n % 12 <> 1 THEN 'closed' ELSE 'handled' END) ELSE 'open' END,
         CASE WHEN n % 12 = 1 THEN 'open' ELSE 'none' END,
         (ARRAY['none','pushed','supervising','done'])[1 + (n / 7) % 4],
         '[{"code": "no_wage_account", "label": "工程未绑定工资专户"}]',
         pr.region_code, pr.prefecture_code, pr.industry, now()
       FROM generate_series(1, :complaints) AS n JOIN projects pr ON pr.id = 1 + n % :projects""",
    """INSERT INTO complaint_events (complaint_id, at, actor, kind, note)
       SELECT c.id, c.submitted_at + make_interval(mins => k * 60), e.actor, e.kind, '基准事件'
       FROM complaints c CROSS JOIN (VALUES (0, 'complainant', 'submitted'), (1, 'enterprise', 'enterprise_read'),
         (2, 'enterprise', 'enterprise_handled'), (3, 'complainant', 'appealed'), (4, 'enterprise', 'appeal_read'))
         AS e(k, actor, kind)""",
]


def fill(app, projects: int, complaints: int) -> None:
    from wagewatch import crypto
    from wagewatch.extensions import db
    from wagewatch.people import new_worker
    from wagewatch.users import create_user, find_org

    with app.app_context():
        rows = prepare_schema(db)
        params = {"projects": projects, "complaints": complaints, "placements": len(rows)}
        for sql in FILL:
            started = time.perf_counter()
            db.session.execute(text(sql), params)
            print(f"  fill {sql.split()[2]:<18} {time.perf_counter() - started:6.1f} s", flush=True)
        # one real complainant, on the roster of the project of the known case, to time the keyed-hash searches
        worker = new_worker(KNOWN_ID, "古丽")
        db.session.add(worker)
        db.session.flush()
        db.session.execute(text("UPDATE complaints SET complainant_id_hash = :h, complainant_phone = :p, "
                                "complainant_phone_hash = :ph WHERE id = :case"),
                           {"h": crypto.lookup_hash(KNOWN_ID), "p": KNOWN_PHONE, "ph": crypto.lookup_hash(KNOWN_PHONE),
                            "case": KNOWN_CASE(complaints)})
        db.session.execute(text("INSERT INTO employments (worker_id, project_id, trade_code, role, contract_signed, "
                                "joined_on) SELECT :w, project_id, '010', 20, true, DATE '2022-03-01' FROM complaints "
                                "WHERE id = :case"), {"w": worker.id, "case": KNOWN_CASE(complaints)})
        for username, region, kind, industry in (("bench_top", "650000", "hr", None),
                                                 ("bench_hami", "650500", "hr", None),
                                                 ("bench_county", "650502", "industry", "housing")):
            create_user(username, PASSWORD, find_org(region, kind, industry), "reviewer", check_policy=False)
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def bare_sql(app, username: str, path: str) -> float | None:
    """Median ms of the plain statements a list request needs: its capped count and its first 20 rows."""
    import statistics
    from urllib.parse import parse_qsl, urlsplit

    from sqlalchemy import select

    from wagewatch.complaints import queries
    from wagewatch.extensions import db
    from wagewatch.models import Complaint, User

    if "/pane" in path:
        return None
    user = db.session.scalars(select(User).where(User.username == username)).one()
    filters = {k: v for k, v in parse_qsl(urlsplit(path).query) if k != "page"}
    at, settings = queries.now(), queries.clock_settings()
    stmt = queries.filtered(user, filters, at, settings)
    samples = []
    for _ in range(projects_bench.REPEAT):
        started = time.perf_counter()
        db.session.scalar(select(db.func.count()).select_from(
            stmt.with_only_columns(Complaint.id).limit(10_001).subquery()))
        db.session.execute(queries.ordered(stmt).limit(20)).all()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def cases(app, complaints: int):
    from wagewatch import crypto

    with app.app_context():
        id_key, phone_key = crypto.lookup_hash(KNOWN_ID), crypto.lookup_hash(KNOWN_PHONE)
        hr_org = app.extensions["sqlalchemy"].session.execute(text("SELECT hr_org_id FROM projects WHERE id = 17")) \
            .scalar()
    yield "bench_top", "list page 1", "/complaints"
    yield "bench_top", "list page 200", "/complaints?page=200"
    yield "bench_top", "list page 2999 (beyond the count cap)", "/complaints?page=2999"
    yield "bench_top", "投诉编号 (beginning)", "/complaints?no=TS0000012"
    yield "bench_top", "工程名称", "/complaints?project=基准工程77"
    yield "bench_top", "总包单位", "/complaints?contractor=有限公司123"
    yield "bench_top", "人社监管单位", f"/complaints?hr_org={hr_org}"
    yield "bench_top", "行业领域", "/complaints?industry=water"
    yield "bench_top", "投诉人 姓名", "/complaints?complainant=投诉人123"
    yield "bench_top", "投诉人 full ID (keyed hash)", f"/complaints?id_hash={id_key}"
    yield "bench_top", "投诉人 phone (keyed hash)", f"/complaints?phone_hash={phone_key}"
    yield "bench_top", "投诉类型", "/complaints?type=克扣工资"
    yield "bench_top", "所在区域", "/complaints?region=652300"
    yield "bench_top", "超时情况 已超时", "/complaints?timeliness=overdue"
    yield "bench_top", "超时情况 即将超时", "/complaints?timeliness=soon"
    yield "bench_top", "超时情况 未超时 page 100", "/complaints?timeliness=ok&page=100"
    yield "bench_top", "督办情况", "/complaints?supervision=supervising"
    yield "bench_top", "投诉起止时间", "/complaints?submitted_from=2026-01-01&submitted_to=2026-06-30"
    yield "bench_top", "申诉", "/complaints?category=appeal"
    yield "bench_top", "combination", ("/complaints?region=652300&industry=housing&type=拖欠工资&timeliness=overdue"
                                       "&supervision=pushed&category=complaint&submitted_from=2025-01-01")
    yield "bench_top", "combination + full ID", (f"/complaints?id_hash={id_key}&region=650000"
                                                 "&timeliness=overdue&project=基准")
    yield "bench_hami", "prefecture page 1", "/complaints"
    yield "bench_hami", "prefecture page 50", "/complaints?page=50"
    yield "bench_county", "county industry page 1", "/complaints"
    yield "bench_top", "detail pane (evidence, timeline)", f"/complaints/{KNOWN_CASE(complaints)}/pane"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=8000)
    parser.add_argument("--complaints", type=int, default=60_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="URL", help="time against a database a --keep run left behind")
    parser.add_argument("--tiny", action="store_true", help="40 projects, 400 complaints: checks the bench still runs")
    args = parser.parse_args()
    if args.tiny:
        args.projects, args.complaints, projects_bench.REPEAT = 40, 400, 1
    from wagewatch import create_app

    url = args.reuse or new_database()
    print(f"database {url.rsplit('/', 1)[1]}: {args.projects} projects, {args.complaints} complaints, "
          f"{args.complaints * 5} events")
    try:
        app = create_app(web_config(url))
        if not args.reuse:
            fill(app, args.projects, args.complaints)
        slow, clients = 0, {}
        with app.app_context():
            for username, label, path in cases(app, args.complaints):
                if username not in clients:
                    clients[username] = app.test_client()
                    clients[username].post("/auth/login", data={"username": username, "password": PASSWORD})
                variants = (True,) if path.endswith("/pane") else (False, True)
                for fragment in variants:
                    headers = {"HX-Request": "true", "HX-Request-Type": "partial"} if fragment else {}
                    ms, size = timed(_HeaderClient(clients[username], headers), path)
                    flag = "" if ms <= TARGET_MS else "  SLOW"
                    slow += ms > TARGET_MS
                    kind = "fragment" if fragment else "page"
                    print(f"{ms:7.1f} ms  {size / 1024:6.1f} KB  {kind:<8} {label:<36} {path[:90]}{flag}", flush=True)
                bare = bare_sql(app, username, path)
                if bare is not None:
                    print(f"{bare:7.1f} ms  {'':9}  {'bare SQL':<8} {label:<36} request/bare {ratio(ms, bare)}",
                          flush=True)
        print(f"{'all within' if not slow else f'{slow} over'} {TARGET_MS} ms")
        return 1 if slow and not args.tiny else 0
    finally:
        if not args.keep and not args.reuse:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
