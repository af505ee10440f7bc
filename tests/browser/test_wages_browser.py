"""工资代发实时进度 in Chromium: 仅看异常, open a row's 明细, expand a sheet, export and download; also without JS."""
import re
from datetime import datetime, timezone

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.wages_data import MONTH, build_clean, build_month
from wagewatch.extensions import db
from wagewatch.wages import refresh

pytestmark = pytest.mark.browser
NOW = datetime(2026, 10, 20, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def month(live_db, frozen_clock):
    frozen_clock.set(NOW)
    first, workers, sheets = build_month()
    clean, _people = build_clean()
    db.session.commit()
    refresh.refresh(MONTH)
    db.session.commit()
    return {"first": first, "clean": clean, "workers": workers, "sheets": sheets}


def test_abnormal_only_detail_expand_and_export(live_server, signed_in, page, month, tmp_path):
    signed_in(page, region="652328")
    page.goto(f"{live_server}/wages/progress?month=2026-09")
    rows = page.locator("#progress-table tbody tr")
    expect(rows).to_have_count(2)
    page.check("#abnormal")
    page.locator("#wages-search button[type=submit]").click()
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"abnormal=1"))
    tag = rows.first.locator(".tag-orange")
    expect(tag).to_have_text(re.compile("逾期未足额发放"))
    assert "3名考勤工人仍未足额发放" in tag.get_attribute("title")   # says why on hover

    rows.first.get_by_role("link", name=month["first"].name).click()
    page.wait_for_url(re.compile(r"/wages/progress/detail\?project_id=\d+&month=2026-09"))
    expect(page.locator("#detail-flags")).to_contain_text("考勤7人，已发4人，未发3人")
    expect(page.locator("#evidence-PAID_NO_ATTENDANCE")).to_be_visible()
    sheet = month["sheets"][0]
    url_before = page.url
    page.locator(f"#expand-{sheet.id}").click()
    lines = page.locator(f"#sheet-{sheet.id}-lines tr[id^=line-]")
    expect(lines).to_have_count(7)
    expect(page.locator(f"#sheet-{sheet.id}-lines")).to_contain_text("账户已冻结")
    assert page.url == url_before   # swapped in place

    page.get_by_role("button", name="导出数据").click()
    slot = page.locator("#export-slot-wage_lines")
    expect(slot).to_contain_text(re.compile("完成 — 下载"), timeout=30_000)
    with page.expect_download() as download_info:
        slot.get_by_role("link", name="下载").click()
    download = download_info.value
    assert download.suggested_filename.startswith("工资代发实时进度明细_")
    target = tmp_path / "lines.xlsx"
    download.save_as(target)
    table = list(openpyxl.load_workbook(target, read_only=True).active.iter_rows(values_only=True))
    assert table[0][:3] == ("工资单编号", "姓名", "身份证号") and len(table) == 10
    assert all("*****" in row[2] for row in table[1:])


def test_both_screens_without_javascript(live_server, signed_in, nojs_page, month):
    page = nojs_page
    signed_in(page, region="652328", role="viewer")
    page.goto(f"{live_server}/wages/progress?month=2026-09")
    expect(page.locator("#progress-table tbody tr")).to_have_count(2)
    page.check("#abnormal")
    page.locator("#wages-search button[type=submit]").click()
    page.wait_for_url(re.compile(r"abnormal=1"))
    expect(page.locator("#progress-table tbody tr")).to_have_count(1)
    page.get_by_role("link", name=month["first"].name).click()
    page.wait_for_url(re.compile(r"/wages/progress/detail\?"))
    sheet = month["sheets"][0]
    expect(page.locator(f"#sheet-{sheet.id}-lines")).to_be_hidden()
    page.locator(f"#expand-{sheet.id}").click()
    page.wait_for_url(re.compile(rf"sheet={sheet.id}"))
    expect(page.locator(f"#sheet-{sheet.id}-lines tr[id^=line-]")).to_have_count(7)
    page.get_by_role("link", name="收起").click()
    expect(page.locator(f"#sheet-{sheet.id}-lines tr[id^=line-]")).to_have_count(0)
    page.goto(f"{live_server}/wages/progress?month=2026-13")
    expect(page.locator(".flash-error")).to_contain_text("查询条件有误")
    expect(page.locator("#wages-search .error")).to_contain_text("月份格式应为YYYY-MM")
    expect(page.locator("#wages-search")).to_be_visible()
