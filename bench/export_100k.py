"""Bench: export 100,000 工程清单 rows from PostgreSQL; time, rows/s, peak memory, vs bare xlsxwriter.

Run: .venv/bin/python bench/export_100k.py [--rows 100000] [--tiny]
Builds a throwaway database, fills it with SQL (projects, workers, employments, attendance days), then runs
build_export in a fresh subprocess (like an rq work horse) and, for comparison, bare xlsxwriter writing the
same rows, each reporting its own peak RSS. Targets (DESIGN §8): ≤ 30 s, ≤ 200 MB, within 2× of bare.
--tiny exports 50 rows (the test suite's smoke test).
"""
import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scratch_db import drop_database, new_database  # noqa: E402

FILL = [
    # one template project per county of 昌吉州 and 哈密, then copies of it
    """INSERT INTO projects (code, name, address, funding, contract_amount, registered_on, owner_id,
         contractor_id, hr_org_id, industry_org_id, review_status, status, payday, deposit_form, region_code,
         prefecture_code, industry, labour_officer_name, created_at, updated_at)
       SELECT 'B' || lpad(n::text, 12, '0'), '基准工程' || n || '号楼建设项目', '新疆', 'government', 1000000,
         DATE '2022-01-01' + (n % 1500), t.owner_id, t.contractor_id, t.hr_org_id, t.industry_org_id,
         CASE WHEN n % 10 = 0 THEN 'pending' ELSE 'approved' END,
         CASE WHEN n % 7 = 0 THEN 'completed' ELSE 'in_progress' END, 15, 'cash', t.region_code,
         t.prefecture_code, t.industry, CASE WHEN n % 5 = 0 THEN NULL ELSE '王芳' END, now(), now()
       FROM projects t, generate_series(1, :rows - 1) AS n WHERE t.id = :template""",
    """INSERT INTO workers (id_number_enc, id_number_hash, id_number_masked, name, gender, birth_date, phone)
       SELECT '\\x00'::bytea, md5(n::text), '650*****001', '工人' || n, 'M', DATE '1980-01-01', NULL
       FROM generate_series(1, :rows * 3) AS n""",
    """INSERT INTO employments (worker_id, project_id, trade_code, role, contract_signed, joined_on, left_on)
       SELECT w.id, p.id, '020', 20, w.id % 9 <> 0, DATE '2022-05-01', NULL
       FROM projects p JOIN workers w ON w.id BETWEEN (p.id - 1) * 3 + 1 AND (p.id - 1) * 3 + 3""",
    """INSERT INTO attendance_days (project_id, worker_id, day, first_in, last_out, punches, work_minutes, status)
       SELECT e.project_id, e.worker_id, CURRENT_DATE - 1, now(), now(), 2, 480, 'normal'
       FROM employments e WHERE e.worker_id % 4 <> 0""",
]


def fill_database(url: str, rows: int) -> None:
    from tests.factories import ProjectFactory
    from wagewatch import create_app
    from wagewatch.extensions import db
    from wagewatch.reference import load_all
    from wagewatch.users import create_user, find_org

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None})
    with app.app_context():
        db.create_all()
        load_all()
        create_user("bench", "Xj-Export-Speed-2026!", find_org("650000", "hr", None), "viewer")
        template = ProjectFactory(review_status="approved", status="in_progress", region="652328")
        db.session.commit()
        started = time.perf_counter()
        for statement in FILL:
            db.session.execute(text(statement), {"rows": rows, "template": template.id})
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(f"filled {rows} projects in {time.perf_counter() - started:.1f} s", flush=True)
        db.engine.dispose()


def child_export(url: str, export_dir: str) -> dict:
    """In a fresh process: what an rq work horse does for one export."""
    from jobs.exports import build_export
    from wagewatch import create_app
    from wagewatch.extensions import db
    from wagewatch.models import ExportJob, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "EXPORT_DIR": export_dir, "REDIS_URL": None})
    with app.app_context():
        user = db.session.query(User).filter_by(username="bench").one()
        export = ExportJob(user_id=user.id, kind="projects", params={}, filename="工程清单.xlsx")
        db.session.add(export)
        db.session.commit()
        started = time.perf_counter()
        status = build_export(export.id)
        seconds = time.perf_counter() - started
        export = db.session.get(ExportJob, export.id)
        return {"status": status, "rows": export.rows, "seconds": seconds}


def child_bare(url: str, export_dir: str) -> dict:
    """In a fresh process: the same rows fetched up front, then written by bare xlsxwriter (timed alone)."""
    import xlsxwriter

    from wagewatch import create_app
    from wagewatch.exports.queries import PROJECT_HEADERS, project_rows
    from wagewatch.extensions import db
    from wagewatch.models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None})
    with app.app_context():
        user = db.session.query(User).filter_by(username="bench").one()
        started = time.perf_counter()
        rows = [tuple(str(v) if hasattr(v, "isoformat") else v for v in row) for row in project_rows(user, {})]
        query_seconds = time.perf_counter() - started
    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(str(Path(export_dir) / "bare.xlsx"), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, PROJECT_HEADERS)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    workbook.close()
    return {"rows": len(rows), "seconds": time.perf_counter() - started, "query_seconds": query_seconds}


def run_child(mode: str, url: str, export_dir: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", mode, url, export_dir], check=True,
                            capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "URL", "DIR"))
    parser.add_argument("--tiny", action="store_true", help="50 rows: checks the bench still runs")
    args = parser.parse_args()
    if args.tiny:
        args.rows = 50
    if args.child:
        mode, url, export_dir = args.child
        result = (child_export if mode == "export" else child_bare)(url, export_dir)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    import tempfile

    url = new_database()
    try:
        fill_database(url, args.rows)
        with tempfile.TemporaryDirectory() as export_dir:
            ours = run_child("export", url, export_dir)
            bare = run_child("bare", url, export_dir)
    finally:
        drop_database(url)
    print(f"build_export : {ours['rows']} rows in {ours['seconds']:.2f} s = {ours['rows'] / ours['seconds']:,.0f} "
          f"rows/s, peak RSS {ours['peak_mb']:.0f} MB, status {ours['status']}")
    print(f"bare xlsxwriter (rows prefetched, {bare['query_seconds']:.2f} s to fetch): {bare['rows']} rows in "
          f"{bare['seconds']:.2f} s = {bare['rows'] / bare['seconds']:,.0f} rows/s, peak RSS {bare['peak_mb']:.0f} MB")
    print(f"ratio build_export / bare write: {ours['seconds'] / bare['seconds']:.2f}x; "
          f"vs bare fetch+write: {ours['seconds'] / (bare['seconds'] + bare['query_seconds']):.2f}x")
    if ours["status"] != "done" or ours["rows"] != bare["rows"]:
        sys.exit(f"export {ours['status']} with {ours['rows']} rows, expected {bare['rows']}")


if __name__ == "__main__":
    main()
