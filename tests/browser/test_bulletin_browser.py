"""数据通报 and the 首页 desk in Chromium: a note, a drill-down, a 未达成项目清单, a count followed; without JS."""
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.bulletin_data import complaint, project
from wagewatch.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def world(live_db):
    project("木垒全达标", pay="full")
    project("木垒无专户", account=False, pay="unpaid")
    project("吉木萨尔工程", region="652327", realname=False)
    project("哈密工程", region="650502", trade="transport", account=False)
    complaint("TS001", closed_after_days=20, supervised=True)
    db.session.commit()


def test_note_drill_down_and_download(live_server, signed_in, page, world, tmp_path):
    signed_in(page, role="viewer")
    page.goto(f"{live_server}/bulletin")
    note = page.locator("thead").get_by_label("专户开设率数据注释")
    note.click()
    expect(page.locator("thead details[open] [role=note]")).to_contain_text("已开设农民工工资专用账户")
    page.locator("#bulletin-report").get_by_role("link", name="昌吉回族自治州").click()
    expect(page.locator("#bulletin-report h2").first).to_contain_text("昌吉回族自治州")
    assert "region=652300" in page.url
    expect(page.locator("#bulletin-652328")).to_be_visible()
    failing = int(re.search(r"\d+", page.locator("#failing-account").inner_text()).group(0))
    assert failing == 1
    page.locator("#indicator-account").get_by_role("button", name="未达成项目清单").click()
    slot = page.locator("#export-slot-bulletin_account")
    expect(slot).to_contain_text("完成", timeout=20_000)
    with page.expect_download() as info:
        slot.get_by_role("link", name="下载").click()
    assert info.value.suggested_filename.startswith("未达成项目清单_专户开设率_")
    info.value.save_as(tmp_path / "a.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "a.xlsx", read_only=True).active.iter_rows(values_only=True))
    assert len(rows) - 1 == failing and rows[1][0] == "木垒无专户" and rows[1][-1] == "未开设工资专户"
    expect(page.locator('#indicator-account svg[role="img"] rect.bar')).to_have_count(2)
    page.get_by_role("button", name="查询").click()  # the 月份 form keeps the region drilled into
    expect(page.locator("#bulletin-652328")).to_be_visible()
    assert "region=652300" in page.url


def test_a_home_count_leads_to_its_list(live_server, signed_in, page, world):
    signed_in(page, role="viewer", region="652300")
    page.goto(f"{live_server}/")
    tile = page.locator("#desk-realname")
    count = int(tile.locator("b").inner_text())
    assert count == 1
    tile.click()
    page.wait_for_url(re.compile(r"/realname\?compliance=failed"))
    expect(page.locator("#realname-table")).to_contain_text(f"共 {count} 条")


def test_without_javascript(live_server, signed_in, nojs_page, world):
    signed_in(nojs_page, role="viewer")
    nojs_page.goto(f"{live_server}/bulletin")
    nojs_page.locator("thead").get_by_label("实名制达标率数据注释").click()
    expect(nojs_page.locator("thead details[open] [role=note]")).to_contain_text("R1")
    nojs_page.locator("#bulletin-report").get_by_role("link", name="昌吉回族自治州").click()
    nojs_page.wait_for_url(re.compile(r"region=652300"))
    expect(nojs_page.locator("#bulletin-652327")).to_contain_text("吉木萨尔县")
    nojs_page.locator("#indicator-account").get_by_role("button", name="未达成项目清单").click()
    nojs_page.wait_for_url(re.compile(r"/exports/\d+$"))
    expect(nojs_page.locator(".export-status")).to_contain_text("完成")
