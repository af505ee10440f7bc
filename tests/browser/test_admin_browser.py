"""系统管理 in Chromium: stored XSS (markup, event handlers, injected hx- attributes) stays inert text on every
screen that shows it again; 用户管理 works without JavaScript and filters with htmx."""
import pytest

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401  (same browser launch as the other tests)
from tests.conftest import PASSWORD, make_user
from tests.factories import ProjectFactory
from wagewatch import audit
from wagewatch.api.auth import issue_client
from wagewatch.extensions import db
from wagewatch.models import RuleSetting

pytestmark = pytest.mark.browser
PAYLOADS = (
    '<img src=x onerror="window.__xss=1">',
    'x" hx-post="/auth/logout" hx-trigger="load" onfocus="window.__xss=1" autofocus x="',
    '<div hx-post="/auth/logout" hx-trigger="load" hx-target="body">hx</div>',
    "<script>window.__xss=1</script>",
)


def log_in(page, base, username):
    page.goto(f"{base}/auth/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/auth/login" not in page.url


def assert_inert(page, url, visible_text):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None, url
    injected = page.evaluate("""() => [...document.querySelectorAll('[hx-trigger=load], [onerror], [onfocus], img[src=x]')]
                                     .map(e => e.outerHTML)""")
    assert injected == [], (url, injected)
    assert "/auth/login" not in page.url, url  # no injected request logged the user out
    assert visible_text in page.inner_text("main"), url


@pytest.fixture
def stored_payloads(live_db):
    """Every payload stored through text fields that the 系统管理 and business screens show again."""
    for n, payload in enumerate(PAYLOADS):
        issue_client(f"{payload[:56]}{n}", ["bank"])
        ProjectFactory(name=f"工程{payload}", region="652328")
        audit.record("login_failed", object_type="users", actor=payload[:64])
    setting = db.session.get(RuleSetting, "wage.min_monthly")
    setting.reason = " ".join(PAYLOADS)[:200]
    db.session.commit()
    yield
    setting = db.session.get(RuleSetting, "wage.min_monthly")
    setting.reason = None
    db.session.commit()


def test_stored_xss_is_inert_in_chromium(browser, live_server, stored_payloads):
    screens = {
        "sysadmin": ["/admin/clients"],
        "secadmin": ["/admin/settings"],
        "auditor": ["/admin/audit", "/admin/audit?action=login_failed"],
        "reviewer": ["/projects/approvals?tab=pending"],
    }
    for role, urls in screens.items():
        make_user(f"xss_{role}", role=role)
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        try:
            log_in(page, live_server, f"xss_{role}")
            for url in urls:
                assert_inert(page, f"{live_server}{url}", "<img src=x")
        finally:
            context.close()


@pytest.mark.parametrize("fixture", ["page", "nojs_page"])
def test_user_management_with_and_without_javascript(request, fixture, live_db, live_server):
    page = request.getfixturevalue(fixture)
    make_user("b_sys", "652300", role="sysadmin")
    make_user("b_target", "652328", role="viewer")
    log_in(page, live_server, "b_sys")
    page.goto(f"{live_server}/admin/users")
    page.fill("input[name=q]", "b_target")
    page.click("#users-search button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "b_target" in page.inner_text("#users-table") and "b_sys" not in page.inner_text("#users-table")
    assert "q=b_target" in page.url
    page.click("#users-table a:text-is('b_target')")
    page.wait_for_load_state("networkidle")
    page.click("#user-disable")
    page.wait_for_load_state("networkidle")
    assert "已停用用户 b_target" in page.inner_text("#flash")
    assert "已停用" in page.inner_text("main")


def test_enrolment_draws_the_qr_code_without_csp_errors(page, live_db, live_app, live_server):
    import re

    import pyotp

    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    live_app.config["SECOND_FACTOR_ENFORCED"] = True
    try:
        make_user("b_audit", role="auditor")
        page.goto(f"{live_server}/auth/login")
        page.fill("input[name=username]", "b_audit")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server}/auth/second-factor/enrol")
        box = page.locator("#totp-qr svg").bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100
        secret = page.inner_text("#totp-secret")
        assert re.fullmatch(r"[A-Z2-7]{32}", secret)
        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        page.click("button[type=submit]")
        assert page.locator("#recovery-codes li").count() == 10
        page.click("text=我已保存，继续")
        page.wait_for_url(f"{live_server}/admin/")
        assert errors == []
    finally:
        live_app.config["SECOND_FACTOR_ENFORCED"] = False


@pytest.mark.parametrize("fixture", ["page", "nojs_page"])
def test_rule_setting_and_audit_filter_with_and_without_javascript(request, fixture, live_db, live_server):
    page = request.getfixturevalue(fixture)
    make_user("b_sec", role="secadmin")
    make_user("b_aud", role="auditor")
    log_in(page, live_server, "b_sec")
    try:
        page.goto(f"{live_server}/admin/settings/complaint.read_days")
        page.fill("input[name=value]", "x")
        page.fill("textarea[name=reason]", "测试")
        page.click("#setting-form button[type=submit]")
        assert "请输入整数" in page.inner_text("#setting-form")
        page.fill("input[name=value]", "2")
        page.click("#setting-form button[type=submit]")
        page.wait_for_url(f"{live_server}/admin/settings")
        assert "已由 1 改为 2" in page.inner_text("#flash")
        page.click("header button:text-is('退出')")
        log_in(page, live_server, "b_aud")
        page.goto(f"{live_server}/admin/audit")
        page.select_option("select[name=action]", "rule_setting.changed")
        page.click("#audit-search button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "修改规则参数" in page.inner_text("#audit-table") and "action=rule_setting.changed" in page.url
        assert "共 1 条" in page.inner_text("#audit-table")
    finally:
        setting = db.session.get(RuleSetting, "complaint.read_days")
        db.session.refresh(setting)
        setting.value, setting.previous_value, setting.reason, setting.changed_by = "1", None, None, None
        db.session.commit()
