"""A Host header that is no host name answers 400 with the usual headers; error pages need no URL adapter."""
import logging

import pytest
from flask.globals import request_ctx
from werkzeug.test import EnvironBuilder, run_wsgi_app

from wagewatch.errors import MESSAGES, render_error
from wagewatch.security import BadHost, valid_host

BAD_HOSTS = ["a" * 300, "a" * 64 + ".example.com", "a..b", "xn--", "exa mple.com", "example.com:80:90", "[::1",
             "%00", "a\x01b", "example.com:abc", "-bad-.com", "host:99999", "é.example.com", ".", ":80"]


def get(app, path, host, headers=None):
    """Straight through the WSGI stack: the test client itself cannot build a URL from such a Host."""
    environ = EnvironBuilder(path, headers={"Host": host, **(headers or {})}).get_environ()
    body, status, response_headers = run_wsgi_app(app, environ, buffered=True)
    return int(status.split()[0]), response_headers, b"".join(body).decode()


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_a_malformed_host_answers_400_with_the_security_headers(app, host, caplog):
    with caplog.at_level(logging.ERROR):
        status, headers, body = get(app, "/auth/login", host)
    assert status == 400
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert BadHost.message in body and "<html" in body
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_malformed_host_on_the_api_answers_its_error_shape(app):
    status, headers, body = get(app, "/api/v1/health", "a" * 300)
    assert status == 400 and headers["Content-Type"].startswith("application/json")
    assert '"code":"malformed_json"' in body.replace(" ", "") and "Host" in body


def test_a_malformed_host_in_an_htmx_request_answers_the_banner(app):
    status, headers, body = get(app, "/auth/login", "a..b", {"HX-Request": "true", "HX-Request-Type": "partial"})
    assert status == 400 and "<html" not in body and BadHost.message in body
    assert "Content-Security-Policy" in headers


@pytest.mark.parametrize("host", ["localhost", "localhost:5000", "wagewatch.example.gov.cn", "example.com.",
                                  "127.0.0.1:8000", "[::1]:8080", "xn--fiqs8s.example:443"])
def test_real_hosts_are_served(app, host):
    assert valid_host(host)
    assert get(app, "/auth/login", host)[0] == 200


@pytest.mark.parametrize("status", sorted(MESSAGES))
def test_every_error_page_renders_without_a_url_adapter(app, status):
    with app.test_request_context("/projects/approvals"):
        request_ctx.url_adapter = None
        html, code = render_error(status)
    assert code == status and MESSAGES[status] in html and "<html" in html


@pytest.mark.parametrize("status", sorted(MESSAGES))
def test_every_error_page_renders_outside_a_request(app, status):
    html, code = render_error(status)
    assert code == status and MESSAGES[status] in html


def test_an_unexpected_error_answers_the_plain_500_page_with_headers(app, client, monkeypatch, caplog):
    def boom():
        raise RuntimeError("broken")

    monkeypatch.setitem(app.view_functions, "auth.login", boom)
    with caplog.at_level(logging.ERROR):
        response = client.get("/auth/login")
    assert response.status_code == 500 and MESSAGES[500] in response.text
    assert "Content-Security-Policy" in response.headers
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1  # logged once, with its cause
