"""项目管理 in Chromium: the 审批 modal, 修改工程状态, the tree selector, tabs, the roster export, and no-JS."""
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from tests.factories import ProjectFactory, TeamFactory, employ, make_worker
from wagewatch.extensions import db
from wagewatch.models import AuditLog, Project

pytestmark = pytest.mark.browser


@pytest.fixture
def projects(live_db):
    made = {
        "first": ProjectFactory(name="木垒县第一中学教学楼", registered_on=date(2022, 5, 8)),
        "second": ProjectFactory(name="木垒县人民医院门诊楼", registered_on=date(2022, 5, 1)),
        "running": ProjectFactory(name="木垒县供水管网改造", review_status="approved", status="not_started"),
        "hami": ProjectFactory(name="哈密市伊州区道路工程", region="650502", trade="transport",
                               review_status="approved"),
    }
    team = TeamFactory(project_id=made["running"].id, name="钢筋班")
    employ(made["running"], make_worker("买买提·艾力"), team)
    employ(made["running"], make_worker("张伟"), team, left_on=date(2022, 7, 31))
    db.session.commit()
    return {key: (p.id, p.name) for key, p in made.items()}


def state_of(project_id):
    db.session.expire_all()
    project = db.session.get(Project, project_id)
    return project.review_status, project.review_reason, project.status


def select_row(page, project_id):
    page.check(f"#project-{project_id} input[data-row-select]")


def test_approve_and_reject_through_the_modal(page, live_server, signed_in, projects):
    signed_in(page, region="652328")
    page.goto(f"{live_server}/projects/approvals")
    first_id, first_name = projects["first"]
    assert page.is_disabled("#review-button")
    select_row(page, first_id)
    page.click("#review-button")
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    assert first_name in dialog.inner_text() and "木垒县人社局" in dialog.inner_text()
    # 不通过 without a reason: the modal comes back with the message, nothing saved
    dialog.locator("input[value=rejected]").check()
    dialog.locator("button:text-is('确定')").click()
    page.locator("dialog[open] .error:text('审核不通过时必须填写原因')").wait_for()
    assert state_of(first_id)[0] == "pending"
    page.locator("dialog[open] textarea[name=reason]").fill("材料不全")
    page.locator("dialog[open] button:text-is('确定')").click()
    page.locator("dialog").wait_for(state="detached")
    page.locator(f"#project-{first_id}").wait_for(state="detached")
    assert page.inner_text("#count-pending") == "1" and page.inner_text("#count-rejected") == "1"
    assert state_of(first_id)[:2] == ("rejected", "材料不全")
    # the other one through its own link, approved without a reason
    second_id, _ = projects["second"]
    page.click(f"#project-{second_id} td a")
    page.locator("dialog[open] input[value=approved]").check()
    page.locator("dialog[open] button:text-is('确定')").click()
    page.locator("dialog").wait_for(state="detached")
    page.locator(".empty:text('没有符合条件的未审核登记记录')").wait_for()
    assert page.inner_text("#count-approved") == "2"
    assert state_of(second_id)[0] == "approved"
    assert page.url == f"{live_server}/projects/approvals"


def console_errors(page) -> list:
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_change_status_and_tabs(page, live_server, signed_in, projects):
    errors = console_errors(page)
    signed_in(page, region="652328")
    page.goto(f"{live_server}/projects/approvals")
    page.click("#tab-approved")
    page.wait_for_url("**tab=approved**")
    running_id, _ = projects["running"]
    select_row(page, running_id)
    page.click("#status-button")
    page.locator("dialog[open] input[value=in_progress]").check()
    page.locator("dialog[open] textarea[name=reason]").fill("已进场施工")
    page.locator("dialog[open] button:text-is('保存')").click()
    page.locator("dialog").wait_for(state="detached")
    page.locator(f"#project-{running_id} .tag-in_progress").wait_for()
    assert state_of(running_id)[2] == "in_progress"
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "project_status_changed")).one()
    assert entry.details["reason"] == "已进场施工"
    assert errors == []


def test_tree_search_pick_and_switch_tabs(page, live_server, signed_in, projects, tmp_path):
    errors = console_errors(page)
    signed_in(page, region="650000")
    page.goto(f"{live_server}/projects/site")
    assert page.locator("#project-selector").get_attribute("open") is not None
    page.click("#project-tree summary:has-text('哈密市')")
    page.locator("#project-tree summary:has-text('伊州区')").click()
    page.locator("#project-tree a.tree-leaf:text('哈密市伊州区道路工程')").wait_for()
    # search instead, and pick
    page.fill(".tree-search input[name=q]", "供水")
    page.click(".tree-search button")
    page.locator("#tree-results a:text('木垒县供水管网改造')").click()
    running_id, running_name = projects["running"]
    page.wait_for_url(f"**/projects/site?project_id={running_id}")
    assert page.inner_text("#project-selector-summary") == running_name
    assert "买买提·艾力" in page.inner_text("#roster-table") and "离职" in page.inner_text("#roster-table")
    # open the selector and click outside: it closes
    page.click("#project-selector-summary")
    assert page.locator("#project-selector").get_attribute("open") is not None
    page.click("h1")
    assert page.locator("#project-selector").get_attribute("open") is None
    page.click("#site-tab-info")
    page.wait_for_url("**tab=info")
    page.locator("text=审核及状态变更记录").wait_for()
    page.click("#site-tab-workers")
    page.locator("#roster-table").wait_for()
    # export the roster and open the file
    page.click(".export-form button")
    link = page.locator("#export-slot-roster a:has-text('下载')")
    link.wait_for(timeout=15000)
    with page.expect_download() as info:
        link.click()
    info.value.save_as(tmp_path / "roster.xlsx")
    assert info.value.suggested_filename.startswith("人员信息")
    book = openpyxl.load_workbook(tmp_path / "roster.xlsx", read_only=True)
    names = [row[0] for row in list(book.active.values)[1:]]
    assert sorted(names) == sorted(["买买提·艾力", "张伟"])
    assert errors == []


def test_approval_flow_without_javascript(nojs_page, live_server, signed_in, projects):
    page = nojs_page
    signed_in(page, region="652328")
    page.goto(f"{live_server}/projects/approvals")
    page.fill("input[name=name]", "第一中学")
    page.click("button:text-is('搜索')")
    page.wait_for_url("**name=**")
    first_id, first_name = projects["first"]
    page.click(f"#project-{first_id} td a")
    page.wait_for_url(f"**/projects/{first_id}/review")
    page.check("input[value=rejected]")
    page.click("button:text-is('确定')")
    assert "审核不通过时必须填写原因" in page.content()
    page.fill("textarea[name=reason]", "材料不全")
    page.check("input[value=rejected]")
    page.click("button:text-is('确定')")
    page.wait_for_url("**/projects/approvals?*name=*")  # back to the list with the search kept
    assert page.input_value("input[name=name]") == "第一中学"
    assert "审核不通过" in page.inner_text("#flash")
    assert state_of(first_id)[:2] == ("rejected", "材料不全")
    page.click("#tab-rejected")
    assert first_name in page.inner_text("#projects-table")
    # the tree works as plain links
    page.goto(f"{live_server}/projects/site")
    page.click("#project-tree a.tree-leaf:text('木垒县供水管网改造')")
    assert "买买提·艾力" in page.inner_text("#roster-table")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_dialog_takes_focus_escape_closes_it_and_focus_returns(page, live_server, signed_in, projects):
    signed_in(page, region="652328")
    page.goto(f"{live_server}/projects/approvals")
    first_id, _ = projects["first"]
    page.focus(f"#project-{first_id} input[data-row-select]")
    page.keyboard.press("Space")
    for _ in range(3):  # back over the sort link and 导出数据 to 审批
        page.keyboard.press("Shift+Tab")
    assert focused_id(page) == "review-button"
    page.keyboard.press("Enter")
    page.locator("dialog[open]").wait_for()
    assert focused_id(page) == f"project-{first_id}-review-title"
    page.keyboard.press("Escape")
    page.locator("dialog").wait_for(state="detached")
    assert focused_id(page) == "review-button"
    # the next swap must not bring the closed dialog back
    page.click("#tab-approved")
    page.locator("#tab-approved[aria-current]").wait_for()
    assert page.locator("dialog").count() == 0


def test_status_change_keeps_the_row_selected_and_focus_on_the_button(page, live_server, signed_in, projects):
    signed_in(page, region="652328")
    page.goto(f"{live_server}/projects/approvals?tab=approved")
    running_id, _ = projects["running"]
    select_row(page, running_id)
    page.click("#status-button")
    page.locator("dialog[open] input[value=in_progress]").check()
    page.locator("dialog[open] button:text-is('保存')").click()
    page.locator("dialog").wait_for(state="detached")
    page.locator(f"#project-{running_id} .tag:text-is('在建')").wait_for()
    assert page.is_checked(f"#project-{running_id} input[data-row-select]")
    assert not page.is_disabled("#status-button")
    page.wait_for_timeout(100)
    assert focused_id(page) == "status-button"


def test_a_slow_list_shows_that_it_is_loading(page, live_server, signed_in, projects):
    signed_in(page, region="652328")
    page.goto(f"{live_server}/projects/approvals")
    release = []
    page.route("**/projects/approvals?*", lambda route: release.append(route))
    page.click("#tab-approved")
    page.locator("#projects-table.htmx-request").wait_for()
    assert page.locator("#projects-table").get_attribute("data-loading") == "正在加载…"
    while not release:
        page.wait_for_timeout(20)
    release[0].continue_()
    page.locator("#tab-approved[aria-current]").wait_for()


def test_status_change_without_javascript_from_the_ticked_row(nojs_page, live_server, signed_in, projects):
    page = nojs_page
    signed_in(page, region="652328")
    running_id, running_name = projects["running"]
    page.goto(f"{live_server}/projects/approvals?tab=approved")
    page.click("#status-button")
    assert "请先勾选一条登记记录" in page.inner_text("#flash")
    select_row(page, running_id)
    page.click("#status-button")
    page.check("input[value=suspended]")
    page.fill("textarea[name=reason]", "资金未到位")
    page.click("button:text-is('保存')")
    assert f"“{running_name}”的工程状态已修改为停工" in page.inner_text("#flash")
    assert state_of(running_id)[2] == "suspended"
