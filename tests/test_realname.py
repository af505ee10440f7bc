"""实名制进度预警: the manual's columns and tags, filters, paging, both response kinds, the export, the stored R1."""
import re
from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import select, update

from tests.factories import ProjectFactory, employ, make_worker
from wagewatch.clock import BEIJING
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Employment, ExportJob, Project, ProjectRealname
from wagewatch.realname import compute
from wagewatch.realname.queries import HEADERS, reason_tags

TODAY = date(2026, 11, 27)
COLUMNS = ("名称", "工程登记日期", "人社监管单位", "行业领域", "行业监管单位", "建设单位", "总承包施工单位", "在职人数",
           "当前达标情况")


@pytest.fixture(autouse=True)
def frozen_today(frozen_clock):
    frozen_clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=BEIJING))


def site(name="木垒县第一中学教学楼建设项目", workers=3, signed=3, fresh=3, officer="王芳", region="652328",
         trade="housing", **kwargs):
    project = ProjectFactory(name=name, region=region, trade=trade, review_status="approved", status="in_progress",
                             labour_officer_name=officer, **kwargs)
    for n in range(workers):
        worker = make_worker(f"工人{n}")
        employ(project, worker, contract_signed=n < signed)
        if n < fresh:
            at = datetime(2026, 11, 26, 1, tzinfo=UTC)
            db.session.add(AttendanceDay(project_id=project.id, worker_id=worker.id, day=date(2026, 11, 26),
                                         first_in=at, last_out=at, punches=2, work_minutes=480, status="normal"))
    db.session.flush()
    return project


def sheet_rows(response):
    workbook = openpyxl.load_workbook(BytesIO(response.data), read_only=True)
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def export(client, **params):
    client.post("/exports", data={"kind": "realname", **params})
    job = db.session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
    assert job.status == "done", job.error
    return sheet_rows(client.get(f"/exports/{job.id}/download"))


def test_reason_tags_name_each_failed_criterion():
    assert reason_tags(0, 0, 0, "min_active,contract_ratio,update_ratio,labour_officer") == \
        ["无在职人员", "未配备劳资专管员"]
    assert reason_tags(10, 8, 5, "contract_ratio,update_ratio") == ["合同签订率 80 %", "考勤更新率 50 %"]
    assert reason_tags(3, 2, 3, "contract_ratio") == ["合同签订率 66.7 %"]
    assert reason_tags(5, 5, 5, "") == []


def test_columns_verdicts_and_tags(client, login):
    login(role="viewer")
    site("达标工程")
    site("缺专管员工程", officer=None)
    site("合同不足工程", workers=10, signed=8, fresh=10)
    site("无人工程", workers=0)
    ProjectFactory(name="未审核工程", review_status="pending")
    ProjectFactory(name="停工工程", review_status="approved", status="suspended")
    db.session.commit()
    html = client.get("/realname").get_data(as_text=True)
    for column in COLUMNS:
        assert f"<th>{column}</th>" in html or f'<th class="num">{column}</th>' in html
    assert "未审核工程" not in html and "停工工程" not in html
    assert 'title="达标工程"' in html and 'class="ellipsis"' in html
    assert "未配备劳资专管员" in html and "合同签订率 80 %" in html and "无在职人员" in html
    assert html.count('<span class="tag tag-ok">达标</span>') == 1
    assert html.count('<span class="tag tag-bad">未达标</span>') == 3
    assert "数据更新于" in html and "共 4 条" in html


def test_filters_narrow_the_list(client, login):
    login(role="viewer")
    site("木垒达标", registered_on=date(2022, 5, 1))
    site("木垒无人", workers=0, registered_on=date(2022, 6, 1))
    site("哈密交通", region="650502", trade="transport", registered_on=date(2022, 7, 1))
    db.session.commit()

    def names(**args):
        html = client.get("/realname", query_string=args).get_data(as_text=True)
        return {n for n in ("木垒达标", "木垒无人", "哈密交通") if f'title="{n}"' in html}

    assert names() == {"木垒达标", "木垒无人", "哈密交通"}
    assert names(name="哈密") == {"哈密交通"}
    assert names(region="652300") == {"木垒达标", "木垒无人"}
    assert names(region="650502") == {"哈密交通"}
    assert names(industry="transport") == {"哈密交通"}
    assert names(hr_org="木垒县") == {"木垒达标", "木垒无人"}
    assert names(industry_org="交通运输") == {"哈密交通"}
    assert names(compliance="failed") == {"木垒无人"}
    assert names(compliance="ok") == {"木垒达标", "哈密交通"}
    assert names(registered_from="2022-05-15", registered_to="2022-06-30") == {"木垒无人"}


@pytest.mark.parametrize("args, message", [
    ({"registered_from": "2022-13-01"}, "日期格式应为YYYY-MM-DD"),
    ({"registered_from": "2022-06-01", "registered_to": "2022-05-01"}, "不能早于开始日期"),
    ({"compliance": "maybe"}, "达标情况只能是"),
    ({"page": "0"}, "页码应为"),
    ({"name": "x" * 101}, "名称最多100个字"),
])
def test_bad_filters_answer_422_with_the_message(client, login, args, message):
    login(role="viewer")
    response = client.get("/realname", query_string=args)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_page_and_fragment_and_paging(client, hx, login):
    login(role="viewer")
    for n in range(23):
        site(f"工程{n:02d}", workers=1, registered_on=date(2022, 1, 1 + n))
    db.session.commit()
    page = client.get("/realname")
    assert "<html" in page.get_data(as_text=True) and "HX-Request" in page.headers["Vary"]
    fragment = hx.get("/realname?page=2")
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and body.lstrip().startswith('<section id="realname-table"')
    assert "共 23 条" in body and 'title="工程02"' in body and 'title="工程03"' not in body
    assert "HX-Request-Type" in fragment.headers["Vary"]


def test_export_has_the_list_rows_with_reasons(client, login):
    login(role="viewer")
    site("达标工程")
    site("缺专管员工程", officer=None)
    db.session.commit()
    rows = export(client)
    assert rows[0] == HEADERS
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["达标工程"][7:] == (3, "达标", None)
    assert by_name["缺专管员工程"][8:] == ("未达标", "未配备劳资专管员")
    assert [row[0] for row in export(client, compliance="failed")[1:]] == ["缺专管员工程"]


def test_stored_verdicts_are_filled_on_demand_and_refreshed(client, login):
    login(role="viewer")
    project = site("达标工程")
    db.session.commit()
    assert db.session.scalar(select(ProjectRealname.compliant)) is None
    assert "tag-ok" in client.get("/realname").get_data(as_text=True)  # computed when first needed
    db.session.execute(update(Employment).values(contract_signed=False))
    db.session.commit()
    assert "tag-ok" in client.get("/realname").get_data(as_text=True)  # stored until the next refresh
    assert compute.refresh() == 1
    db.session.commit()
    html = client.get("/realname").get_data(as_text=True)
    assert "合同签订率 0 %" in html
    db.session.execute(update(Project).where(Project.id == project.id).values(status="completed"))
    compute.refresh()
    db.session.commit()
    assert db.session.scalar(select(ProjectRealname.project_id)) is None


def test_roster_intake_and_project_changes_refresh_the_stored_verdict(app, client, login):
    from tests.test_api_support import Api, new_id
    from tests.test_api_validation import roster_item

    login(role="viewer")
    project = site("达标工程", workers=2)
    db.session.commit()
    assert "tag-ok" in client.get("/realname").get_data(as_text=True)
    # two more workers without a contract: 2 of 4 signed, below 90 %, stored by the intake's own transaction
    items = [roster_item(new_id(), contract_signed=False) for _ in range(2)]
    assert Api(app).post(f"/projects/{project.code}/workers", items).get_json()["accepted"] == 2
    db.session.expire_all()
    stored = db.session.get(ProjectRealname, project.id)
    assert (stored.active, stored.signed, stored.compliant) == (4, 2, False)
    assert "合同签订率 50 %" in client.get("/realname").get_data(as_text=True)
    # a 劳资专管员 removed later: the project changed after its verdict, so the page recomputes it
    db.session.execute(update(Project).where(Project.id == project.id)
                       .values(labour_officer_name=None, updated_at=datetime(2026, 11, 27, 2, tzinfo=UTC)))
    db.session.commit()
    assert "未配备劳资专管员" in client.get("/realname").get_data(as_text=True)


def test_pager_links_seek_and_a_bad_filter_leaves_the_table(client, hx, login):
    login(role="viewer")
    for n in range(45):
        site(f"工程{n:02d}", workers=1, registered_on=date(2022, 1, 1) + timedelta(days=n))
    db.session.commit()
    first = client.get("/realname").get_data(as_text=True)
    assert "共 45 条" in first and 'title="工程44"' in first
    following = re.search(r'<a href="([^"]+)"[^>]*rel="next"', first).group(1).replace("&amp;", "&")
    assert "after=" in following  # the next page is read after the last key shown, not with OFFSET
    second = client.get(following).get_data(as_text=True)
    assert 'title="工程24"' in second and 'title="工程25"' not in second and 'title="工程44"' not in second
    last = client.get("/realname?page=3").get_data(as_text=True)
    assert 'title="工程00"' in last and 'title="工程04"' in last and 'title="工程05"' not in last
    bad = hx.get("/realname?registered_from=2022-13-01")
    assert bad.status_code == 422 and bad.headers["HX-Reswap"] == "none"
    body = bad.get_data(as_text=True)
    assert 'id="realname-search"' in body and 'hx-swap-oob="true"' in body and '<section id="realname-table"' not in body
