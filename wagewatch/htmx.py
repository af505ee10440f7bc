"""One helper decides between a full page and the fragment htmx asked for."""
from flask import make_response, render_template, request

VARY = ("HX-Request", "HX-Request-Type")


def wants_fragment() -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Request-Type") == "partial"


def render(page: str, fragment: str, status: int = 200, **context):
    """Render the fragment for an htmx partial request and the full page otherwise.

    The page template includes the same fragment, so every URL also works without JavaScript.
    """
    template = fragment if wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    for header in VARY:
        response.vary.add(header)
    return response


def is_background_poll() -> bool:
    """Polling elements send X-Poll so that they do not extend the idle session timeout."""
    return request.headers.get("X-Poll") == "1"
