"""Browser fixtures: a real WageWatch server on a free port and headless Debian Chromium via Playwright."""
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, base_config, build_schema, make_user, unavailable, wipe
from wagewatch import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    app = create_app({**base_config(tmp, f"sqlite:///{tmp / 'browser.sqlite3'}"), "WTF_CSRF_ENABLED": True})
    build_schema(app)
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def live_db(live_app):
    """An app context on the live server's database, wiped before the test."""
    wipe(live_app)
    with live_app.app_context():
        yield live_app


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        unavailable(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def nojs_page(browser):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False, accept_downloads=True)
    yield context.new_page()
    context.close()


def sign_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/auth/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def signed_in(live_db, live_server):
    """signed_in(page, region=..., kind=..., industry=..., role=...) creates a user and logs the page in."""
    counter = {"n": 0}

    def _sign_in(page, role="reviewer", region="650000", kind="hr", industry=None):
        counter["n"] += 1
        username = f"browser{counter['n']}"
        make_user(username, region, kind, industry, role)
        sign_in(page, live_server, username)
        return username

    return _sign_in
