"""工程现场管理 (manual §2): the 区域 → 工程 tree, its search, 人员信息 with search and export, 工程信息."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import EnterpriseFactory, ProjectFactory, TeamFactory, employ, make_worker
from wagewatch.extensions import db
from wagewatch.identity import make_id_number
from wagewatch.models import Enterprise
from wagewatch.people import new_worker
from wagewatch.projects import exports, roster
from wagewatch.selector import TREE_LIMIT
from wagewatch.exports.registry import EXPORTS


@pytest.fixture
def site(app):
    """One 木垒县 project with a roster: two 在职, one 离职, in two teams, one with a subcontractor."""
    project = ProjectFactory(name="木垒县第一中学教学楼", review_status="approved", status="in_progress")
    sub = EnterpriseFactory(name="新疆钢筋劳务分包有限公司")
    rebar = TeamFactory(project_id=project.id, name="钢筋班", subcontractor_id=sub.id)
    masons = TeamFactory(project_id=project.id, name="砌筑班")
    people = {
        "ali": make_worker("买买提·艾力", phone="13899990001"),
        "li": make_worker("李娜", phone="13899990002"),
        "gone": make_worker("张伟", phone=None),
    }
    employ(project, people["ali"], rebar, joined_on=date(2022, 5, 12))
    employ(project, people["li"], masons, joined_on=date(2022, 6, 1), contract_signed=False, trade_code="010")
    employ(project, people["gone"], rebar, joined_on=date(2022, 5, 1), left_on=date(2022, 7, 31))
    other = ProjectFactory(name="木垒县人民医院门诊楼")
    employ(other, make_worker("王强"))
    db.session.commit()
    return {"project": project, "other": other, **people}


def names_in(html: str) -> list[str]:
    table = html.split('<table id="roster-table">', 1)[-1].split("</table>", 1)[0] if "roster-table" in html else ""
    return re.findall(r"<tr(?: class=\"left\")?>\s*<td(?: class=\"nowrap\")?>([^<]+)</td>", table)


def test_site_without_a_project_opens_the_selector(client, login, site):
    login(region="652300")
    html = client.get("/projects/site").get_data(as_text=True)
    assert '<details class="selector" id="project-selector" data-close-outside open>' in html
    assert "请选择工程" in html and "昌吉回族自治州" in html
    assert 'hx-get="/selector/projects.site/children?region=652328"' in html and 'hx-trigger="toggle once"' in html
    assert "木垒哈萨克自治县" in html and '<span class="badge">2</span>' in html


def test_workers_tab_lists_everyone_who_ever_worked_there(client, login, site):
    login(region="652328")
    project = site["project"]
    response = client.get(f"/projects/site?project_id={project.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert f'<summary id="project-selector-summary">{project.name}</summary>' in html
    assert names_in(html) == ["李娜", "买买提·艾力", "张伟"]
    ali = site["ali"]
    for text in (ali.id_number_masked, "138****0001", "钢筋班", "新疆钢筋劳务分包有限公司", "2022-05-12", "已签", "未签",
                 "2022-07-31", "离职", "在职"):
        assert text in html, text
    assert "13899990001" not in html and "王强" not in html
    assert re.search(r"<td>男</td>|<td>女</td>", html)
    assert ">钢筋工</td>" in html and ">砌筑工</td>" in html


def test_workers_fragment_and_vary(hx, login, site):
    login(region="652328")
    response = hx.get(f"/projects/site?project_id={site['project'].id}&tab=workers")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and html.lstrip().startswith('<section id="site-panel"')
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("query,expected", [
    ("name=买买提", ["买买提·艾力"]),
    ("team=钢筋", ["买买提·艾力", "张伟"]),
    ("state=active", ["李娜", "买买提·艾力"]),
    ("state=left", ["张伟"]),
])
def test_roster_search(client, login, site, query, expected):
    login(region="652328")
    html = client.get(f"/projects/site?project_id={site['project'].id}&{query}").get_data(as_text=True)
    assert names_in(html) == expected


def test_full_id_number_matches_through_the_keyed_hash(client, login, app):
    project = ProjectFactory()
    number = make_id_number(__import__("random").Random(7), "652328")
    worker = new_worker(number, "古丽")
    db.session.add(worker)
    db.session.flush()
    employ(project, worker)
    employ(project, make_worker("别人"))
    db.session.commit()
    login(region="652328")
    html = client.get(f"/projects/site?project_id={project.id}&id_number={number.lower()}",
                      follow_redirects=True).get_data(as_text=True)
    assert names_in(html) == ["古丽"]


@pytest.mark.parametrize("query,message", [
    ("id_number=652328", "请输入完整、正确的18位身份证号"),
    ("state=gone", "在职状态只能是在职或离职"),
    ("page=x", "页码应为1到100000之间的整数"),
])
def test_bad_roster_search_gives_a_chinese_message(client, login, site, query, message):
    login(region="652328")
    response = client.get(f"/projects/site?project_id={site['project'].id}&{query}")
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_roster_pagination(client, login, app):
    project = ProjectFactory()
    for n in range(25):
        employ(project, make_worker(f"工人{n:02d}"), joined_on=date(2022, 1, 1 + n))
    db.session.commit()
    login(region="652328")
    first = client.get(f"/projects/site?project_id={project.id}").get_data(as_text=True)
    assert len(names_in(first)) == 20 and "共 25 条，第 1/2 页" in first
    assert f'href="/projects/site?page=2&amp;project_id={project.id}&amp;tab=workers"' in first
    second = client.get(f"/projects/site?project_id={project.id}&page=2").get_data(as_text=True)
    assert names_in(second) == [f"工人{n:02d}" for n in range(4, -1, -1)]


def test_export_button_carries_the_filters(client, login, site):
    login(region="652328")
    html = client.get(f"/projects/site?project_id={site['project'].id}&team=钢筋").get_data(as_text=True)
    form = html.split('class="inline export-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="kind" value="roster"' in form and 'name="team" value="钢筋"' in form
    assert f'name="project_id" value="{site["project"].id}"' in form


def test_viewer_has_no_export_button(client, login, site):
    login(role="viewer", region="652328")
    html = client.get(f"/projects/site?project_id={site['project'].id}").get_data(as_text=True)
    assert "export-form" not in html and "买买提·艾力" in html


def test_roster_export_rows_are_masked_and_filtered(login, site):
    user = login(region="652328")
    spec = EXPORTS["roster"]
    assert spec.needs_reviewer and spec.headers == roster.HEADERS and spec.title == "人员信息"
    rows = list(spec.rows(user, {"project_id": str(site["project"].id), "team": "钢筋"}))
    assert [row[0] for row in rows] == ["买买提·艾力", "张伟"]
    ali = rows[0]
    assert ali[1] == site["ali"].id_number_masked and ali[4] == "138****0001"
    assert ali[5:8] == ("钢筋班", "新疆钢筋劳务分包有限公司", "钢筋工")
    assert rows[1][9] == date(2022, 7, 31) and rows[1][10] == "离职"  # a real date: the writer makes a date cell
    with pytest.raises(ValueError):
        list(exports.rows(user, {"project_id": str(site["project"].id), "id_number": "123"}))


def test_export_through_the_machinery(client, login, site, app):
    """POST /exports with the page's filters builds an xlsx with the same rows (in-process without Redis)."""
    import openpyxl

    login(region="652328")
    response = client.post("/exports", data={"kind": "roster", "project_id": site["project"].id,
                                             "state": "active"})
    assert response.status_code == 303
    from wagewatch.models import ExportJob

    job = db.session.scalars(select(ExportJob)).one()
    assert job.status == "done", job.error
    from jobs.exports import export_path

    book = openpyxl.load_workbook(export_path(app.config["EXPORT_DIR"], job.id), read_only=True)
    values = list(book.active.values)
    assert list(values[0]) == list(roster.HEADERS)
    assert sorted(row[0] for row in values[1:]) == sorted(["李娜", "买买提·艾力"])
    listing = client.get("/exports").get_data(as_text=True)
    assert f"（{site['project'].name} · 在职）" in listing and "project_id" not in listing


def test_info_tab(client, hx, login, site):
    login(region="652328")
    project = site["project"]
    html = client.get(f"/projects/site?project_id={project.id}&tab=info").get_data(as_text=True)
    for text in ("基本信息", project.code, "建设单位", db.session.get(Enterprise, project.owner_id).uscc, "总承包施工单位", "工资专户", "未开设",
                 "工资保证金", "维权公示牌", "未设置", "审核及状态变更记录", 'id="site-tab-info" aria-current="page"'):
        assert text in html, text
    fragment = hx.get(f"/projects/site?project_id={project.id}&tab=info")
    assert "<html" not in fragment.get_data(as_text=True)


def test_tree_children_regions_first_then_at_most_fifty_projects(client, hx, login, app):
    for n in range(TREE_LIMIT + 5):
        ProjectFactory(name=f"哈密市工程{n:03d}", region="650500", trade="transport")
    ProjectFactory(name="伊州区工程", region="650502")
    db.session.commit()
    login(region="650000")
    response = hx.get("/selector/projects.site/children?region=650500")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<ul id="tree-650500">')
    assert html.index("伊州区") < html.index("哈密市工程000")
    assert html.count('class="tree-leaf"') == TREE_LIMIT
    assert 'hx-get="/selector/projects.site/children?region=650500&amp;offset=50"' in html and "更多" in html
    more = hx.get("/selector/projects.site/children?region=650500&offset=50").get_data(as_text=True)
    assert more.lstrip().startswith('<li id="tree-650500-from-50"') and more.count('class="tree-leaf"') == 5
    assert "伊州区" not in more and "更多" not in more
    page = client.get("/selector/projects.site/children?region=650500")
    assert "<html" in page.get_data(as_text=True) and "HX-Request" in page.headers["Vary"]


def test_tree_root_of_the_autonomous_region_lists_prefectures(hx, login, app):
    ProjectFactory(region="652328")
    ProjectFactory(region="652927")
    db.session.commit()
    login(region="650000")
    html = hx.get("/selector/projects.site/children?region=650000").get_data(as_text=True)
    assert "昌吉回族自治州" in html and "阿克苏地区" in html and "哈密市" not in html


def test_tree_search_by_name_or_code(client, hx, login, site):
    login(region="652328")
    project = site["project"]
    by_name = hx.get("/selector/projects.site/search?q=第一中学").get_data(as_text=True)
    assert by_name.lstrip().startswith('<div id="tree-results">')
    assert f'href="/projects/site?project_id={project.id}"' in by_name and "人民医院" not in by_name
    by_code = hx.get(f"/selector/projects.site/search?q={project.code[-6:]}").get_data(as_text=True)
    assert project.name in by_code
    assert "未找到" in hx.get("/selector/projects.site/search?q=%25").get_data(as_text=True)
    page = client.get("/selector/projects.site/search?q=医院")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True) and "人民医院门诊楼" in page.get_data(
        as_text=True)


@pytest.mark.parametrize("url", ["/selector/projects.site/children?region=abc", "/selector/projects.site/children",
                                 "/projects/site?project_id=abc", "/projects/site?project_id=999999"])
def test_bad_ids_are_404(client, login, app, url):
    login(region="650000")
    assert client.get(url).status_code == 404


def test_history_shows_a_decision_taken_over_without_an_audit_entry(client, login, app):
    from wagewatch.models._types import utcnow

    project = ProjectFactory(region="652328", review_status="approved", status="in_progress",
                             review_reason="材料齐全", reviewed_at=utcnow())
    db.session.commit()
    login(region="652328")
    html = client.get(f"/projects/site?project_id={project.id}&tab=info").get_data(as_text=True)
    assert "暂无审核或状态变更记录" not in html
    assert "审核通过" in html and "材料齐全" in html
