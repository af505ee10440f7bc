"""What only a browser shows on the list screens (issue 8 items 9–14, 18): confirmations in #flash, counts kept on
a bad filter, no CSP violations on swaps, the selector's Escape and reopening, the 审批 draft kept, the layout at
1366 and 1024 px, and a dropped link told in words with 重试."""
import contextlib
import time
from datetime import date

import pytest

from tests.factories import ProjectFactory, TeamFactory, employ, make_worker
from wagewatch.extensions import db
from wagewatch.models import Project

pytestmark = pytest.mark.browser


@pytest.fixture
def lists(live_db):
    long_name = "木垒哈萨克自治县城关镇第一中学新建教学楼及附属设施配套工程（一期）"
    made = {
        "first": ProjectFactory(name=long_name, registered_on=date(2022, 5, 8)),
        "second": ProjectFactory(name="木垒县人民医院门诊楼", registered_on=date(2022, 5, 1)),
        "running": ProjectFactory(name="木垒县供水管网改造", review_status="approved", status="in_progress"),
        "rejected": ProjectFactory(name="木垒县被驳回工程", review_status="rejected", review_reason="材料不全"),
    }
    team = TeamFactory(project_id=made["running"].id, name="钢筋班")
    employ(made["running"], make_worker("买买提·艾力"), team)
    db.session.commit()
    return {key: (p.id, p.name) for key, p in made.items()}


def watch_console(page) -> list:
    seen = []
    page.on("console", lambda message: seen.append(message.text) if message.type in ("error", "warning") else None)
    return seen


def open_review(page, live_server, project_id):
    page.goto(f"{live_server}/projects/approvals")
    page.check(f"#project-{project_id} input[data-row-select]")
    page.click("#review-button")
    page.locator("dialog[open]").wait_for()


def test_a_decision_is_confirmed_in_flash(page, live_server, signed_in, lists):
    signed_in(page, region="652328")
    first_id, first_name = lists["first"]
    open_review(page, live_server, first_id)
    page.locator("dialog[open] input[value=approved]").check()
    page.locator("dialog[open] button:text-is('确定')").click()
    page.locator("dialog").wait_for(state="detached")
    page.locator("#flash p:has-text('审核通过')").wait_for()
    assert page.inner_text("#flash") == f"“{first_name}”审核通过。"


def test_a_bad_filter_keeps_the_counts_and_table_and_no_style_is_applied_inline(page, live_server, signed_in, lists):
    seen = watch_console(page)
    signed_in(page, region="652328")
    page.goto(f"{live_server}/projects/approvals")
    before = page.inner_text("#projects-table")
    page.fill("#registered_from", "2022-05-09")
    page.fill("#registered_to", "2022-05-01")
    page.click("#projects-search button[type=submit]")
    page.locator("#projects-search .error:text('结束日期不能早于开始日期')").wait_for()
    assert page.inner_text("#projects-table") == before and page.inner_text("#count-pending") == "2"
    page.fill("#registered_to", "")
    page.click("#projects-search button[type=submit]")
    page.locator("#projects-search .error").wait_for(state="detached")
    # the roster search swaps too: nothing may trip the CSP (style-src 'self')
    running_id, _ = lists["running"]
    page.goto(f"{live_server}/projects/site?project_id={running_id}")
    page.fill("#roster-search input[name=name]", "买买提")
    page.click("#roster-search button[type=submit]")
    page.locator("#roster-table").wait_for()
    page.wait_for_timeout(300)
    assert not [text for text in seen if "Content Security Policy" in text or "style-src" in text], seen


def test_the_selector_closes_on_escape_and_reopens_on_the_current_project(page, live_server, signed_in, lists):
    signed_in(page, region="650000")
    rejected_id, rejected_name = lists["rejected"]
    page.goto(f"{live_server}/projects/site?project_id={rejected_id}")
    assert page.locator("#project-selector").get_attribute("open") is None
    page.click("#project-selector-summary")
    current = page.locator("#project-tree a[aria-current]")
    current.wait_for()
    assert current.inner_text() == rejected_name and current.is_visible()
    assert "审核未通过" in page.inner_text("#project-tree")
    page.keyboard.press("Escape")
    assert page.locator("#project-selector").get_attribute("open") is None


def test_escape_keeps_the_typed_reason(page, live_server, signed_in, lists):
    signed_in(page, region="652328")
    first_id, _ = lists["first"]
    open_review(page, live_server, first_id)
    page.locator("dialog[open] input[value=rejected]").check()
    page.locator("dialog[open] textarea[name=reason]").fill("材料不全，请补充施工许可证")
    page.keyboard.press("Escape")
    page.locator("dialog").wait_for(state="detached")
    open_review(page, live_server, first_id)
    assert page.locator("dialog[open] textarea[name=reason]").input_value() == "材料不全，请补充施工许可证"
    assert page.locator("dialog[open] input[value=rejected]").is_checked()
    assert "已恢复" in page.inner_text("dialog[open]")


@pytest.mark.parametrize("width", [1366, 1024])
def test_layout_dates_do_not_wrap_and_filter_controls_share_one_height(page, live_server, signed_in, lists, width):
    page.set_viewport_size({"width": width, "height": 900})
    signed_in(page, region="652328")
    page.goto(f"{live_server}/projects/approvals")
    lines = page.evaluate("""() => [...document.querySelectorAll('#projects-table td.date')].map(td => {
        const range = document.createRange(); range.selectNodeContents(td);
        return range.getClientRects().length; })""")
    assert lines and all(n == 1 for n in lines), lines
    heights = page.evaluate("""() => [...document.querySelectorAll(
        '#projects-search input:not([type=hidden]), #projects-search select, #projects-search button')]
        .map(el => Math.round(el.getBoundingClientRect().height))""")
    assert len(set(heights)) == 1, heights
    # fields on one row: their controls share a top and so do their labels (no label ~3 px lower)
    fields = page.evaluate("""() => [...document.querySelectorAll('#projects-search .field')].map(f => [
        Math.round(f.querySelector('input, select').getBoundingClientRect().top),
        Math.round(f.querySelector('span').getBoundingClientRect().top)])""")
    by_row = {}
    for control_top, label_top in fields:
        by_row.setdefault(control_top, set()).add(label_top)
    assert all(len(labels) == 1 for labels in by_row.values()), fields
    to = page.locator(".range-to").bounding_box()
    start = page.locator("#registered_from").bounding_box()
    assert abs(to["y"] + to["height"] / 2 - (start["y"] + start["height"] / 2)) < 4  # 至 beside the dates
    name_rows = page.evaluate("""() => [...document.querySelectorAll('#projects-table tbody tr')]
        .map(tr => Math.round(tr.getBoundingClientRect().height))""")
    assert max(name_rows) < 2.5 * min(name_rows)  # long names are cut, not wrapped to 5–6 lines
    buttons = page.locator("dialog footer button")
    first_id, _ = lists["first"]
    open_review(page, live_server, first_id)
    boxes = [buttons.nth(i).bounding_box() for i in range(buttons.count())]
    assert boxes[1]["x"] - (boxes[0]["x"] + boxes[0]["width"]) >= 8  # 确定 and 关闭 do not touch


def test_a_dropped_link_is_told_in_the_dialog_with_retry(page, live_server, signed_in, lists):
    signed_in(page, region="652328")
    first_id, _ = lists["first"]
    open_review(page, live_server, first_id)
    page.locator("dialog[open] input[value=rejected]").check()
    page.locator("dialog[open] textarea[name=reason]").fill("材料不全")
    page.context.set_offline(True)
    page.locator("dialog[open] button:text-is('确定')").click()
    failure = page.locator("dialog[open] .request-failed")
    failure.wait_for()
    assert "网络连接中断" in failure.inner_text() and "未提交" in failure.inner_text()
    assert page.locator("dialog[open] textarea[name=reason]").input_value() == "材料不全"
    db.session.expire_all()
    assert db.session.get(Project, first_id).review_status == "pending"
    page.context.set_offline(False)
    failure.locator("button:text-is('重试')").click()
    page.locator("dialog").wait_for(state="detached")
    page.locator("#flash p:has-text('审核不通过')").wait_for()
    db.session.expire_all()
    assert db.session.get(Project, first_id).review_status == "rejected"
    page.locator(f"#project-{first_id}").wait_for(state="detached")  # the list refreshed after the decision
    # the list's search, offline: told above the list, retried when back
    page.context.set_offline(True)
    page.fill("#name", "医院")
    page.click("#projects-search button[type=submit]")
    listed = page.locator("#projects-table-failed.request-failed")
    listed.wait_for()
    page.context.set_offline(False)
    listed.locator("button:text-is('重试')").click()
    listed.wait_for(state="detached")
    page.locator("#projects-table tbody tr").first.wait_for()
    assert page.locator("#projects-table tbody tr").count() == 1


def test_a_server_error_is_told_where_the_user_acted(page, live_server, signed_in, lists):
    signed_in(page, region="652328")
    page.goto(f"{live_server}/projects/approvals")
    page.route("**/projects/approvals?*", lambda route: route.fulfill(status=502, body="Bad Gateway"))
    page.click("#tab-rejected")
    failure = page.locator(".request-failed")
    failure.wait_for()
    assert "服务器" in failure.inner_text() and "重试" in failure.inner_text()
    assert page.locator("#projects-table").count() == 1


def test_no_answer_in_time_is_told_with_retry(page, live_server, signed_in, lists):
    signed_in(page, region="652328")
    page.goto(f"{live_server}/projects/approvals")
    page.evaluate("() => { htmx.config.defaultTimeout = 300; }")  # 30 s in production (base.html)

    def slow(route):
        time.sleep(1)
        with contextlib.suppress(Exception):  # htmx has given the request up already (that is the point)
            route.continue_()
    page.route("**/projects/approvals?*tab=rejected*", slow)
    page.click("#tab-rejected")
    failure = page.locator("#projects-table-failed")
    failure.wait_for()
    assert "没有响应" in failure.inner_text() and "重试" in failure.inner_text()
    page.unroute_all(behavior="wait")  # the slow answer has arrived (and been ignored) before going on
    page.evaluate("() => { htmx.config.defaultTimeout = 30000; }")
    failure.locator("button").click()
    page.locator("#tab-rejected[aria-current]").wait_for()
    assert page.locator("#projects-table-failed").count() == 0
