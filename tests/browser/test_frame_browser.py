"""The page frame in a real browser: login, the manual's navigation, logout — with and without JavaScript."""
import pytest

from tests.browser.conftest import sign_in
from tests.conftest import make_user
from wagewatch.navigation import leaves

pytestmark = pytest.mark.browser
SCREENS = [item for item in leaves() if item.endpoint != "exports.index" and item.visible_to("reviewer")]


def walk_navigation(page, base_url):
    for item in SCREENS:
        page.click(f"nav.side a:text-is('{item.label}')")
        page.wait_for_url(f"{base_url}{item.path}*")
        assert page.locator("h1").first.is_visible()
        assert "出错了" not in page.content()


@pytest.mark.parametrize("fixture", ["page", "nojs_page"])
def test_login_walk_navigation_and_logout(request, fixture, live_db, live_server):
    page = request.getfixturevalue(fixture)
    make_user("walker", "652328")
    sign_in(page, live_server, "walker")
    assert "木垒县人社局" in page.inner_text("#user-org")
    walk_navigation(page, live_server)
    page.click("header button:text-is('退出')")
    page.wait_for_url(f"{live_server}/auth/login*")
    page.goto(f"{live_server}/")
    assert "/auth/login" in page.url


def test_no_console_errors_or_csp_violations(page, live_db, live_server):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    make_user("cspcheck")
    sign_in(page, live_server, "cspcheck")
    page.goto(f"{live_server}/help")
    page.wait_for_load_state("networkidle")
    assert errors == []
