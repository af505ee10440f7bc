"""Request and response hygiene: the Host checked before routing, control characters taken out of every query and
form value, and the headers every page carries (a strict CSP, no-store)."""
import re

from flask import Request, current_app, request
from flask_login import current_user
from werkzeug.exceptions import BadRequest
from werkzeug.utils import cached_property

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


# C0 and C1 control characters but tab and line breaks (kept for multi-line text).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_controls(pairs):
    return [(key, CONTROL.sub("", value) if isinstance(value, str) else value) for key, value in pairs]


class CleanRequest(Request):
    """Every form of the app, present and future, reads `request.args` or `request.form`: stripping control
    characters (NUL…) here is the one place that keeps them out of every filter and every typed value.
    PostgreSQL refuses NUL in text outright, and none belongs in a filter or a name. What is left is validated
    as usual: `region=6523\x00x` becomes `6523x`, which names no region, and answers 422 beside its field.
    Request bodies of the JSON API are not touched: they are validated field by field.
    """

    @cached_property
    def args(self):
        return self.parameter_storage_class(strip_controls(Request.args.fget(self).items(multi=True)))

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None:
            self.__dict__["form"] = self.parameter_storage_class(strip_controls(form.items(multi=True)))


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
    app.request_class = CleanRequest
    app.wsgi_app = HostGuard(app.wsgi_app)
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_bad_host)
    app.after_request(set_security_headers)
