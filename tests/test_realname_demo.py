"""On the demo data: the manual's ten 实名制进度预警 rows show the manual's 在职人数 and 达标 / 未达标."""
import re
from datetime import date

import pytest

from tests.conftest import PASSWORD, base_config, build_schema, make_user
from wagewatch import create_app
from wagewatch.demo import build_demo
from wagewatch.demo.manual import MANUAL_ROWS
from wagewatch.extensions import db
from wagewatch.realname import compute

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("realname-demo")
    demo_app = create_app(base_config(tmp, f"sqlite:///{tmp / 'demo.sqlite3'}"))
    build_schema(demo_app)
    with demo_app.app_context():
        build_demo(0.12, seed=5, today=TODAY)
        compute.refresh(today=TODAY)  # what the nightly job does after the demo's day
        db.session.commit()
        make_user("demo-region-viewer", role="viewer")
        yield demo_app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def demo_client(demo):
    client = demo.test_client()
    assert client.post("/auth/login", data={"username": "demo-region-viewer", "password": PASSWORD}).status_code == 302
    return client


def row_of(html: str, name: str) -> str:
    found = re.search(r'<tr id="realname-\d+">\s*<td class="ellipsis" title="' + re.escape(name) + r'">.*?</tr>',
                      html, re.DOTALL)
    assert found, name
    return found.group(0)


def test_the_manuals_ten_rows_show_the_manuals_figures(demo_client):
    for row in MANUAL_ROWS:
        html = demo_client.get("/realname", query_string={"name": row.name}).get_data(as_text=True)
        cells = row_of(html, row.name)
        assert f'<td class="num">{row.active}</td>' in cells, row.name
        label = "达标" if row.compliant else "未达标"
        assert f'tag-{"ok" if row.compliant else "bad"}">{label}</span>' in cells, row.name
        assert row.hr_org in cells and row.industry_org in cells and row.registered_on.isoformat() in cells
        if row.active == 0:
            assert "无在职人员" in cells


def test_bulletin_counts_equal_their_files_and_lists(demo, demo_client):
    """Each 数据通报 count is the row count of its 未达成项目清单 and, for 实名制, of the filtered list."""
    from io import BytesIO

    import openpyxl
    from sqlalchemy import select

    from wagewatch.models import ExportJob
    from wagewatch.rules.bulletin import INDICATORS

    html = demo_client.get("/bulletin").get_data(as_text=True)
    month = re.search(r'name="month" value="(\d{4}-\d{2})"', html).group(1)
    for indicator in INDICATORS[1:]:
        failing = int(re.search(rf'id="failing-{indicator.key}">[^<\d]*(?:<a [^>]*>)?(\d+)', html).group(1))
        demo_client.post("/exports", data={"kind": f"bulletin_{indicator.key}", "month": month})
        job = db.session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
        assert job.status == "done", job.error
        sheet = openpyxl.load_workbook(BytesIO(demo_client.get(f"/exports/{job.id}/download").data),
                                       read_only=True).active
        assert sum(1 for _ in sheet.iter_rows(min_row=2)) == failing == job.rows, indicator.key
        if indicator.key == "realname":
            listed = demo_client.get("/realname?compliance=failed").get_data(as_text=True)
            assert f"共 {failing} 条" in listed
    assert failing >= 0


def test_home_counts_equal_their_lists(demo_client):
    html = demo_client.get("/").get_data(as_text=True)
    failed = int(re.search(r'id="desk-realname" href="/realname\?compliance=failed"><b>(\d+)</b>', html).group(1))
    assert failed > 0 and f"共 {failed} 条" in demo_client.get("/realname?compliance=failed").get_data(as_text=True)
    pending = int(re.search(r'id="desk-pending" href="/projects/approvals\?tab=pending"><b>(\d+)</b>', html).group(1))
    approvals = demo_client.get("/projects/approvals?tab=pending").get_data(as_text=True)
    assert f'id="count-pending">{pending}<' in approvals
    for key in ("flag-red", "flag-orange", "overdue", "due-soon", "supervising"):
        found = re.search(rf'id="desk-{key}" href="([^"]+)"><b>(\d+)</b>', html)
        listed = re.search(r"共 ([\d,]+) 条", demo_client.get(found.group(1).replace("&amp;", "&")).get_data(as_text=True))
        assert (int(listed.group(1).replace(",", "")) if listed else 0) == int(found.group(2)), key  # an empty list says so in words


def test_full_pay_count_equals_the_wage_progress_rows_it_stands_for(demo, demo_client):
    """按月足额支付率's 未达成 links to the abnormal 工资代发实时进度 rows of the wage month among 在建 projects with
    attendance, and that list's total is the count."""
    from wagewatch.wages.refresh import refresh as refresh_wages

    html = demo_client.get("/bulletin").get_data(as_text=True)
    wage_month = re.search(r"统计月份为 (\d{4}-\d{2})", html).group(1)
    found = re.search(r'id="failing-full_pay">未达成 <a href="([^"]+)">(\d+) 个</a>', html)
    url, failing = found.group(1).replace("&amp;", "&"), int(found.group(2))
    refresh_wages(wage_month)
    db.session.commit()
    listed = demo_client.get(url).get_data(as_text=True)
    assert f"month={wage_month}" in url and "project_status=in_progress" in url and "attended=1" in url
    assert failing == int(re.search(r"共 ([\d,]+) 条", listed).group(1).replace(",", "")) > 0


def test_project_list_file_agrees_with_the_realname_screen(demo, frozen_clock):
    """工程清单's 在职人数 / 当前达标情况 of each approved 在建 project are what 实名制进度预警 lists — the stored
    verdicts, even days after they were computed, when a live count over a later window would differ."""
    from datetime import datetime, timedelta
    from io import BytesIO

    import openpyxl
    from sqlalchemy import select

    from wagewatch import clock
    from wagewatch.models import ExportJob

    def download(kind: str) -> list[tuple]:
        response = demo_client.post("/exports", data={"kind": kind})
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        job = db.session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
        assert job.status == "done", job.error
        sheet = openpyxl.load_workbook(BytesIO(demo_client.get(f"/exports/{job.id}/download").data),
                                       read_only=True).active
        return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]

    frozen_clock.set(datetime.combine(TODAY + timedelta(days=5), datetime.min.time(), clock.BEIJING))
    demo_client = demo.test_client()  # signed in at the later time
    assert demo_client.post("/auth/login", data={"username": "demo-region-viewer", "password": PASSWORD}) \
        .status_code == 302
    screen = sorted((r[0], r[1], r[7], r[8]) for r in download("realname"))
    listed = sorted((r[0], r[1], r[7], r[8].split("（")[0]) for r in download("projects")
                    if r[8].startswith(("达标", "未达标")))
    assert len(screen) > 10 and listed == screen
