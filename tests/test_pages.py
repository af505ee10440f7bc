"""Every page of the frame: budgets of DESIGN §8, security headers, no inline script/style, 建设中 screens."""
import gzip
import re

import brotli
import pytest

from wagewatch.navigation import leaves

PAGE_BUDGET = 14 * 1024
STATIC_BUDGET = 40 * 1024
SKIP_PREFIXES = ("/api/", "/assets/", "/static/", "/auth/logout")


def simple_get_pages(app):
    """Every GET route without URL arguments: later screens are checked as soon as they exist."""
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(SKIP_PREFIXES):
            yield rule.rule


def test_every_page_meets_the_budgets_and_the_csp(app, client, login):
    login()
    checked = []
    for path in simple_get_pages(app):
        response = client.get(path, headers={"Accept-Encoding": "br"})
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        body = brotli.decompress(response.data) if response.headers.get("Content-Encoding") == "br" else response.data
        assert len(brotli.compress(body)) <= PAGE_BUDGET, path
        html = body.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script on {path}"
        assert not re.search(r"\sstyle=|\son[a-z]+=|<style", html), f"inline style or handler on {path}"
        assert "hx-on" not in html, path
        checked.append(path)
    assert {"/", "/help", "/auth/password"} <= set(checked)


def test_pages_are_compressed(client, login):
    login()
    assert client.get("/help", headers={"Accept-Encoding": "br"}).headers["Content-Encoding"] == "br"
    response = client.get("/help", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "常见问题" in gzip.decompress(response.data).decode()


def test_security_headers(client, login):
    assert "script-src 'self'" in client.get("/auth/login").headers["Content-Security-Policy"]
    login()
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "style-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"


def test_static_files_are_fingerprinted_cached_and_small(app, client):
    manifest = app.extensions["asset_manifest"]
    assert "vendor/htmx-4.0.1.min.js" in manifest and "vendor/htmx-4.0.1.LICENSE.txt" in manifest
    total = 0
    for logical, fingerprinted in manifest.items():
        if logical.endswith(".txt"):
            continue
        response = client.get(f"/assets/{fingerprinted}", headers={"Accept-Encoding": "br"})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        total += len(response.data)
    assert total <= STATIC_BUDGET
    assert client.get("/assets/css/app.0000000000.css").status_code == 404


def test_login_page_links_fingerprinted_assets(app, client):
    html = client.get("/auth/login").text
    assert app.extensions["asset_manifest"]["css/app.css"] in html
    assert "/static/" not in html


@pytest.mark.parametrize("item", [i for i in leaves()], ids=lambda i: i.path)
def test_every_navigation_entry_answers(client, login, item):
    login(role=item.roles[0])  # each entry for a role that sees it (三员分立)
    response = client.get(item.path)
    assert response.status_code == 200, item.path
    assert "出错了" not in response.text


def test_unbuilt_screens_say_so(app, client, login):
    login()
    unbuilt = [item for item in leaves() if app.view_functions[item.endpoint].__name__ == "view"]
    for item in unbuilt:
        assert "建设中" in client.get(item.path).text


def test_help_shows_support_contacts(app, client, login):
    login()
    assert "0991-3655106" in client.get("/help").text
    app.config["SUPPORT_PHONES"] = "0991-0000000"
    try:
        assert "0991-0000000" in client.get("/help").text
    finally:
        app.config["SUPPORT_PHONES"] = "0991-3655106、0991-3689589、0991-3689591"


def test_missing_page_is_a_friendly_404(client, login):
    login()
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "不在您的管辖范围内" in response.text
    fragment = client.get("/no/such/page", headers={"HX-Request": "true", "HX-Request-Type": "partial"})
    assert fragment.status_code == 404 and "<html" not in fragment.text and "error-banner" in fragment.text


def test_the_platform_carries_the_manuals_name(client):
    html = client.get("/auth/login").text
    assert "新疆农民工工资支付监控预警平台" in html and "监管端" in html
