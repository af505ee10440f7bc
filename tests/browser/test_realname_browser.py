"""实名制进度预警 in Chromium: filter by 达标情况 in place, full names on hover, the export, and without JS."""
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.bulletin_data import project
from wagewatch.extensions import db

pytestmark = pytest.mark.browser
LONG = "木垒县文化体育基础设施建设项目（第二期室外配套工程及附属设施）"


@pytest.fixture
def sites(live_db):
    project(LONG)
    project("木垒无专管员工程", officer=False)
    project("木垒无人工程", realname=False)
    db.session.commit()


def test_filter_swaps_the_table_and_exports(live_server, signed_in, page, sites, tmp_path):
    signed_in(page, role="viewer", region="652300")
    page.goto(f"{live_server}/realname")
    expect(page.locator("#realname-table")).to_contain_text("共 3 条")
    cell = page.locator(f'td[title="{LONG}"]')
    assert cell.evaluate("e => e.scrollWidth > e.clientWidth")  # cut with an ellipsis, full text on hover
    page.select_option("select[name=compliance]", "failed")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#realname-table")).to_contain_text("共 2 条")
    assert "compliance=failed" in page.url
    expect(page.locator("#realname-table")).to_contain_text("未配备劳资专管员")
    page.get_by_role("button", name="导出数据").click()
    slot = page.locator("#export-slot-realname")
    expect(slot).to_contain_text("完成", timeout=20_000)
    with page.expect_download() as info:
        slot.get_by_role("link", name="下载").click()
    assert info.value.suggested_filename.startswith("实名制进度预警_")
    info.value.save_as(tmp_path / "r.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True).active.iter_rows(values_only=True))
    assert len(rows) - 1 == 2 and {r[8] for r in rows[1:]} == {"未达标"}


def test_without_javascript(live_server, signed_in, nojs_page, sites):
    signed_in(nojs_page, role="viewer", region="652300")
    nojs_page.goto(f"{live_server}/realname")
    nojs_page.select_option("select[name=compliance]", "ok")
    nojs_page.get_by_role("button", name="查询").click()
    nojs_page.wait_for_url(re.compile(r"compliance=ok"))
    expect(nojs_page.locator("#realname-table")).to_contain_text("共 1 条")
    expect(nojs_page.locator("#realname-table")).to_contain_text("达标")
