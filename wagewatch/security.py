"""Response headers every page carries: a strict CSP (no inline script or style, no eval) and no-store."""
from flask import current_app, request
from flask_login import current_user

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; connect-src 'self'")


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
    app.after_request(set_security_headers)
