"""欠薪投诉监控 in Chromium: every filter once, double-click and Enter open the pane, 督办 and 办结督办, export,
and the list and the pane with JavaScript off."""
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from tests.complaint_factories import make_complaint
from tests.factories import ProjectFactory
from tests.test_complaints import FULL_ID
from wagewatch.extensions import db
from wagewatch.models import Complaint

pytestmark = pytest.mark.browser
NOW = datetime.now(UTC)


@pytest.fixture
def cases(live_db):
    project = ProjectFactory(region="652328", trade="housing", name="木垒县第一中学教学楼")
    made = {
        "a": make_complaint(project=project, complaint_no="TSA0001", id_number=FULL_ID, phone="13912345678",
                            submitted_at=NOW - timedelta(hours=2)),
        "b": make_complaint(complaint_no="TSB0002", project_name="塔城地区道路工程", region="654201",
                            industry="water", type="克扣工资", contractor_name="乙公司", name="阿依古丽",
                            submitted_at=datetime(2025, 6, 1, tzinfo=UTC), status="handled",
                            read_at=datetime(2025, 6, 2, tzinfo=UTC),
                            handled_at=datetime(2025, 6, 3, tzinfo=UTC), appeal_status="open",
                            appealed_at=datetime(2025, 6, 4, tzinfo=UTC), supervision_status="pushed"),
    }
    for n in range(25):
        make_complaint(complaint_no=f"TSF{n:04d}", submitted_at=NOW - timedelta(days=1, hours=n))
    db.session.commit()
    return {**{key: c.id for key, c in made.items()}, "hr_org": project.hr_org_id, "industry_org": project.industry_org_id}


def shown(page) -> set[str]:
    return {text.split()[1].split("，")[0] for text in page.locator("#complaints-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.getAttribute('aria-label'))")}


def search(page, live_server, **fields):
    page.goto(f"{live_server}/complaints")
    for name, value in fields.items():
        locator = page.locator(f"#complaints-search [name={name}]")
        tag = locator.first.evaluate("e => e.tagName + (e.type || '')")
        if tag.startswith("SELECT"):
            locator.select_option(value)
        elif "radio" in tag:
            page.check(f"#complaints-search [name={name}][value='{value}']")
        else:
            locator.fill(value)
    page.locator("#complaints-table").evaluate("e => e.setAttribute('data-stale', '')")
    page.click("#complaints-search button.primary")
    page.locator("#complaints-table:not([data-stale])").wait_for()  # replaced by the answer
    return shown(page)


def test_every_filter_once(page, live_server, signed_in, cases):
    signed_in(page)
    assert search(page, live_server, no="TSA") == {"TSA0001"}
    assert search(page, live_server, project="道路") == {"TSB0002"}
    assert search(page, live_server, contractor="乙公司") == {"TSB0002"}
    assert search(page, live_server, industry="water") == {"TSB0002"}
    assert search(page, live_server, type="克扣工资") == {"TSB0002"}
    assert search(page, live_server, region="654200") == {"TSB0002"}
    overdue = search(page, live_server, timeliness="overdue")  # TSF…: unread for more than a day
    assert len(overdue) == 20 and "TSA0001" not in overdue
    assert search(page, live_server, timeliness="overdue", category="appeal") == {"TSB0002"}
    assert search(page, live_server, timeliness="soon") == {"TSA0001"}
    assert search(page, live_server, supervision="pushed") == {"TSB0002"}
    assert search(page, live_server, category="appeal") == {"TSB0002"}
    assert "TSB0002" not in search(page, live_server, category="complaint")
    assert search(page, live_server, submitted_to="2025-12-31") == {"TSB0002"}
    assert search(page, live_server, submitted_from="2026-01-01", complainant="阿依") == set()
    assert "TSA0001" in search(page, live_server, hr_org=str(cases["hr_org"]))
    assert "TSA0001" in search(page, live_server, industry_org=str(cases["industry_org"]))
    # the full ID number finds the case; neither the page nor the address bar ever holds it
    assert search(page, live_server, complainant=FULL_ID) == {"TSA0001"}
    assert FULL_ID not in page.url and "id_hash=" in page.url
    assert FULL_ID not in page.content() and "已按完整号码查询" in page.content()
    assert search(page, live_server, complainant="13912345678") == {"TSA0001"}
    assert "13912345678" not in page.url


def test_double_click_enter_supervise_close_and_export(page, live_server, signed_in, cases, tmp_path):
    signed_in(page)
    page.set_viewport_size({"width": 1366, "height": 700})
    page.goto(f"{live_server}/complaints?type=拖欠工资")
    row = page.locator(f"#complaint-{cases['a']}")
    row.dblclick()
    pane = page.locator("#detail-pane")
    pane.locator("h2:has-text('投诉 TSA0001')").wait_for()
    text = pane.inner_text()
    for expected in ("木垒县第一中学教学楼", "系统数据核查", "工程未绑定工资专户", "处理过程", "投诉人 · 提交投诉", "450*****"):
        assert expected in text, expected
    assert FULL_ID not in page.content()
    assert page.locator("#complaints-table").is_visible()  # the list stays beside the pane
    # Enter on another focused row, far down the list: the list keeps its filters and scroll position
    other = page.locator("#complaints-table tbody tr").nth(15)
    other_id = int(other.get_attribute("id").split("-")[1])
    other.scroll_into_view_if_needed()
    scrolled = page.evaluate("window.scrollY")
    other.focus()
    page.keyboard.press("Enter")
    pane.locator(f"h2:has-text('{other.get_attribute('aria-label').split()[1].split('，')[0]}')").wait_for()
    assert page.evaluate("window.scrollY") == scrolled and page.url.endswith("type=%E6%8B%96%E6%AC%A0%E5%B7%A5%E8%B5%84")
    # 督办 with a blank note (the browser itself refuses an empty one): the error beside the field;
    # with a note: pane and row refresh in place
    pane.locator("textarea[name=note]").fill("   ")
    pane.locator("button:text-is('督办')").click()
    pane.locator(".error:text('请填写督办意见')").wait_for()
    pane.locator("textarea[name=note]").fill("请三日内结清")
    pane.locator("button:text-is('督办')").click()
    pane.locator("text=监管部门 · 督办").wait_for()
    page.locator(f"#complaint-{other_id}-supervision:text('督办中')").wait_for()
    page.locator("#flash:has-text('已督办')").wait_for()
    pane.locator("textarea[name=note]").fill("已整改到位")
    pane.locator("button:text-is('办结督办')").click()
    pane.locator("text=监管部门 · 督办办结").wait_for()
    page.locator(f"#complaint-{other_id}-supervision:text('督办办结')").wait_for()
    db.session.expire_all()
    assert db.session.get(Complaint, other_id).supervision_status == "done"
    # 导出数据 with the page's filters
    page.goto(f"{live_server}/complaints?supervision=done")
    page.click(".export-form button")
    link = page.locator("#export-slot-complaints a:has-text('下载')")
    link.wait_for(timeout=20000)
    with page.expect_download() as info:
        link.click()
    info.value.save_as(tmp_path / "complaints.xlsx")
    assert info.value.suggested_filename.startswith("欠薪投诉")
    rows = list(openpyxl.load_workbook(tmp_path / "complaints.xlsx", read_only=True).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [db.session.get(Complaint, other_id).complaint_no]


def test_list_and_pane_without_javascript(nojs_page, live_server, signed_in, cases):
    page = nojs_page
    signed_in(page)
    page.goto(f"{live_server}/complaints")
    page.fill("#complaints-search [name=complainant]", FULL_ID)
    page.click("#complaints-search button.primary")
    assert FULL_ID not in page.url and shown(page) == {"TSA0001"}
    page.click(f"#complaint-{cases['a']}-open")
    assert "id_hash=" in page.url and f"case={cases['a']}" in page.url
    assert "投诉 TSA0001" in page.inner_text("#detail-pane") and shown(page) == {"TSA0001"}
    page.fill("#detail-pane textarea[name=note]", "请尽快处理")
    page.click("#detail-pane button:text-is('督办')")
    assert "id_hash=" in page.url  # back on the same filtered list
    assert "已督办" in page.inner_text("#flash") and "督办中" in page.inner_text("#detail-pane")
    page.click("#detail-close")
    assert page.locator("#detail-pane").inner_text() == "" and shown(page) == {"TSA0001"}
