"""What reviewers asked for (issue 8 items 12, 15, 16): 审核时间 / 审核人, the 工程状态 filter linked from 首页,
导出数据 of the 工程审批 list, projects not approved said in words, and 在线咨询 on 首页."""
import re
from datetime import UTC, date, datetime

import openpyxl
from sqlalchemy import select

from tests.conftest import make_user
from tests.factories import ProjectFactory
from wagewatch.exports.registry import EXPORTS
from wagewatch.extensions import db
from wagewatch.models import ExportJob

URL = "/projects/approvals"
DECIDED_AT = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)  # 10:30 in Beijing


def rows_of(html: str) -> list[str]:
    return re.findall(r'<tr id="project-(\d+)">', html)


def decided(reviewer, **kwargs):
    return ProjectFactory(reviewed_by=reviewer.id, reviewed_at=DECIDED_AT, **kwargs)


def test_decided_tabs_show_review_time_and_reviewer(client, login, app):
    user = login(region="652328")
    other = make_user("shenhe2", "652328", "hr")
    decided(user, review_status="approved", status="in_progress", name="甲")
    decided(other, review_status="rejected", review_reason="材料不全", name="乙")
    ProjectFactory(name="丙")
    db.session.commit()
    approved = client.get(URL + "?tab=approved").get_data(as_text=True)
    assert "<th>审核时间</th><th>审核人</th>" in approved
    assert '<td class="date">2026-03-01 10:30</td>' in approved and f'<td class="nowrap">{user.username}</td>' in approved
    rejected = client.get(URL + "?tab=rejected").get_data(as_text=True)
    assert '<td class="nowrap">shenhe2</td>' in rejected and "材料不全" in rejected
    assert "审核时间" not in client.get(URL).get_data(as_text=True)


def test_status_filter_on_approved_and_the_home_tiles_link_to_it(client, login, app):
    user = login(region="652328")
    running = decided(user, review_status="approved", status="in_progress")
    decided(user, review_status="approved", status="suspended")
    ProjectFactory(status="in_progress")  # pending: the 工程状态 filter leaves other tabs alone
    db.session.commit()
    html = client.get(URL + "?tab=approved&status=in_progress").get_data(as_text=True)
    assert rows_of(html) == [str(running.id)]
    assert '<span class="badge" id="count-approved">1</span>' in html
    assert '<span class="badge" id="count-pending">1</span>' in html
    assert 'name="status"' in html and 'form="projects-search"' in html
    home = client.get("/").get_data(as_text=True)
    assert 'href="/projects/approvals?tab=approved&amp;status=in_progress"' in home
    assert client.get(URL + "?tab=approved&status=bogus").status_code == 422


def test_the_list_exports_with_its_filters_through_the_export_registry(client, login, app):
    user = login(region="652328")
    keep = decided(user, review_status="approved", status="in_progress", name="木垒县一号工程",
                   registered_on=date(2022, 5, 8))
    decided(user, review_status="approved", status="completed", name="木垒县二号工程")
    ProjectFactory(name="木垒县三号工程")
    ProjectFactory(name="哈密外区工程", region="650502", review_status="approved", status="in_progress")
    db.session.commit()
    html = client.get(URL + "?tab=approved&status=in_progress&name=木垒").get_data(as_text=True)
    form = html.split('<input type="hidden" name="kind" value="approvals">', 1)[1].split("</form>", 1)[0]
    assert 'name="status" value="in_progress"' in form and 'name="tab" value="approved"' in form
    response = client.post("/exports", data={"kind": "approvals", "tab": "approved", "status": "in_progress",
                                             "name": "木垒", "sort": "-registered_on"})
    assert response.status_code == 303
    job = db.session.scalars(select(ExportJob)).one()
    assert job.status == "done", job.error
    from jobs.exports import export_path

    values = list(openpyxl.load_workbook(export_path(app.config["EXPORT_DIR"], job.id), read_only=True).active.values)
    assert list(values[0]) == list(EXPORTS["approvals"].headers)
    assert [row[0] for row in values[1:]] == [keep.name]
    assert values[1][9:11] == ("审核已通过", "在建") and values[1][12] == user.username
    assert "审核已通过" in job.description and "工程名称含“木垒”" in job.description and "在建" in job.description


def test_the_selector_and_the_site_say_when_a_project_is_not_approved(client, login, app):
    login(region="652328")
    rejected = ProjectFactory(name="被驳回的工程", review_status="rejected", review_reason="材料不全")
    db.session.commit()
    html = client.get(f"/projects/site?project_id={rejected.id}").get_data(as_text=True)
    assert 'id="project-review-state"' in html and "审核未通过" in html
    assert 'value="roster"' not in html  # an empty 人员信息 offers no 导出数据
    tree = client.get("/selector/projects.site/search?q=驳回").get_data(as_text=True)
    assert '<span class="tag tag-rejected">审核未通过</span>' in tree


def test_home_shows_online_support_on_the_right_as_help_says(client, login, app):
    login(region="652328")
    html = client.get("/").get_data(as_text=True)
    support = html.split('id="online-support"', 1)[1].split("</aside>", 1)[0]
    assert "在线咨询" in support and "0991-3655106" in support and 'href="tel:0991-3689589"' in support
    assert "平台首页右侧→在线咨询" in client.get("/help").get_data(as_text=True)
    app.config["SUPPORT_ONLINE"] = "https://kefu.example.cn/wagewatch"
    try:
        html = client.get("/").get_data(as_text=True)
    finally:
        app.config["SUPPORT_ONLINE"] = "平台首页右侧→在线咨询"
    assert 'href="https://kefu.example.cn/wagewatch"' in html
