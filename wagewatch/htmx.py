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


def invalid_filters(page: str, filters: str, shown: tuple = (), **context):
    """422 for a list whose filters do not validate.

    Without JavaScript: the whole page (fields marked, no table). For htmx: the filter form `filters` out of
    band with its fields marked, and the errors of parameters without a field (page, tab, sort) in #flash;
    the table and its counts stay as they were (nothing is swapped into the request's target).
    """
    if not wants_fragment():
        return render(page, page, status=422, shown=shown, **context)
    html = render_template("_shared/_invalid_filters.html", filters_template=filters, shown=shown, **context)
    response = make_response(html, 422)
    response.headers["HX-Reswap"] = "none"
    for header in VARY:
        response.vary.add(header)
    return response


def is_background_poll() -> bool:
    """Polling elements send X-Poll so that they do not extend the idle session timeout."""
    return request.headers.get("X-Poll") == "1"
