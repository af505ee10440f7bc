"""Response headers every page carries (a strict CSP, no-store), and the Host header checked before routing."""
import re

from flask import current_app, request
from flask_login import current_user
from werkzeug.exceptions import BadRequest

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; connect-src 'self'")
HOST = re.compile(r"(?P<name>\[[0-9A-Fa-f:.]{2,45}\]|[^:\[\]]{1,254})(?::(?P<port>\d{1,5}))?")
LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")
BAD_HOST = "wagewatch.bad_host"


def valid_host(host: str) -> bool:
    """A DNS name (labels of 1–63 letters, digits, hyphens; 253 characters at most) or an IP, and a port."""
    found = HOST.fullmatch(host or "")
    if found is None or found["port"] and int(found["port"]) > 65535:
        return False
    name = found["name"]
    if name.startswith("["):
        return True
    name = name.removesuffix(".")
    return 0 < len(name) <= 253 and all(LABEL.fullmatch(label) for label in name.split("."))


class HostGuard:
    """WSGI middleware: a Host that is no host name (too long, empty labels, bytes) would make URL building fail
    before any handler runs — a bare 500 and a traceback. It is replaced by a harmless name and marked, and the
    app answers 400 through its normal error page and headers."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST")
        if host is not None and not valid_host(host):
            environ["HTTP_HOST"], environ[BAD_HOST] = "localhost", True
        return self.wsgi_app(environ, start_response)


class BadHost(BadRequest):
    message = "请求的主机名（Host）无效。"


def refuse_bad_host():
    if request.environ.get(BAD_HOST):
        raise BadHost()


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("WAGEWATCH_ENV") == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")  # production is served over https
    if request.endpoint != "assets.serve" and getattr(current_user, "is_authenticated", False):
        # Pages carry personal data: never keep them in a shared or browser cache.
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app) -> None:
    app.wsgi_app = HostGuard(app.wsgi_app)
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_bad_host)
    app.after_request(set_security_headers)
