"""人员考勤日报表 in Chromium: search, a row's punches in the pane, 注释, export and download; the same without JS."""
import re

import pytest
from playwright.sync_api import expect

from tests.attendance_helpers import YESTERDAY, aggregate, sheet, site, worked
from wagewatch.people import id_number_of

pytestmark = pytest.mark.browser


@pytest.fixture
def crew(live_db):
    project, (a, b) = site(workers=("买买提·艾力", "古丽·阿不都"))
    worked(project, a)
    worked(project, b, times=((10, 5),))
    aggregate()
    return project, a, b


def test_search_pane_notes_and_export(live_server, signed_in, page, crew, tmp_path):
    project, _a, b = crew
    signed_in(page)
    page.goto(f"{live_server}/attendance/daily")
    rows = page.locator("#daily-table tbody tr")
    expect(rows).to_have_count(2)

    number = id_number_of(b)
    page.fill("input[name=id_number]", number)
    page.locator("#daily-search").get_by_role("button", name="查询").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("古丽·阿不都")
    expect(page).to_have_url(re.compile(r"id_hash="))  # a bookmarkable URL, holding no ID number
    assert number not in page.url

    # Double-click opens the evidence pane in place; the page does not reload.
    url = page.url
    rows.first.dblclick()
    pane = page.locator("#detail-pane")
    expect(pane).to_contain_text("打卡明细")
    expect(pane.locator("#punches-table tbody tr")).to_have_count(1)
    expect(pane).to_contain_text(f"{YESTERDAY} 10:05:00")
    assert page.url == url

    page.locator("#daily-id-filter").get_by_role("link", name="清除").click()
    expect(rows).to_have_count(2)
    page.locator("#daily-table tbody tr", has_text="买买提·艾力").get_by_role("link", name="查看").click()
    expect(pane.locator("#punches-table tbody tr")).to_have_count(2)

    # The app's one 区域 → 工程 selector chooses the project of this list.
    selector = page.locator("#project-selector")
    if not selector.evaluate("el => el.open"):
        selector.locator("#project-selector-summary").click()
    selector.locator("input[name=q]").fill("安居")
    selector.get_by_role("button", name="搜索").click()
    selector.get_by_role("link", name=project.name).click()
    page.wait_for_url(re.compile(rf"/attendance/daily\?project_id={project.id}"))
    expect(rows).to_have_count(2)

    notes = page.locator("#daily-notes")
    expect(notes.locator("li").first).to_be_hidden()
    notes.locator("summary").click()
    expect(notes).to_contain_text("北京时间")
    expect(notes.locator("li").first).to_be_visible()

    page.get_by_role("button", name="导出数据").click()
    slot = page.locator("#export-slot-attendance_daily")
    expect(slot).to_contain_text(re.compile("完成 — 下载"), timeout=30_000)
    with page.expect_download() as download_info:
        slot.get_by_role("link", name="下载").click()
    download = download_info.value
    assert download.suggested_filename.startswith("人员考勤日报表_")
    target = tmp_path / "daily.xlsx"
    download.save_as(target)
    data = sheet(target.read_bytes())
    assert data[0][0] == "日期" and {row[4] for row in data[1:]} == {"买买提·艾力", "古丽·阿不都"}


def test_list_and_pane_without_javascript(live_server, signed_in, nojs_page, crew):
    _project, a, _b = crew
    signed_in(nojs_page)
    nojs_page.goto(f"{live_server}/attendance/daily")
    nojs_page.fill("input[name=name]", a.name)
    nojs_page.locator("#daily-search").get_by_role("button", name="查询").click()
    nojs_page.wait_for_url(re.compile(r"name="))
    rows = nojs_page.locator("#daily-table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link", name="查看").click()
    nojs_page.wait_for_url(re.compile(r"/attendance/daily/\d+/punches"))
    expect(nojs_page.locator("#punches-table tbody tr")).to_have_count(2)
    nojs_page.get_by_role("link", name="返回人员考勤日报表").click()
    nojs_page.wait_for_url(re.compile(r"/attendance/daily\?.*name="))
    expect(nojs_page.locator("#daily-table tbody tr")).to_have_count(1)
    # 注释 opens without JavaScript too (a native <details>).
    nojs_page.locator("#daily-notes summary").click()
    expect(nojs_page.locator("#daily-notes li").first).to_be_visible()
