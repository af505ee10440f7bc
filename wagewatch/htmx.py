"""How the app answers htmx: page or fragment, a 422 on list filters, and what every htmx request gets on errors.

- `render(page, fragment, status, **ctx)`: the fragment for `HX-Request-Type: partial`, the page otherwise
  (both vary on the htmx headers).
- `invalid_filters(page, filters, shown, **ctx)`: a list's filters did not validate (422).
- `confirmed(message, events, back)`: a change succeeded: 204 + HX-Trigger (message in #flash) or 303 + flash.
- `init_app(app)` makes two rules hold for every htmx request, whatever the view:
  a redirect to the login page (expired session) or to 修改密码 becomes `HX-Redirect`, so the whole page goes
  there instead of the login form being swapped into a table; and an error banner (errors/_banner.html) is
  retargeted to `#flash` (HX-Retarget / HX-Reswap) instead of replacing the element the request targeted.
"""
import json
from urllib.parse import urlsplit

from flask import flash, g, make_response, redirect, render_template, request, template_rendered, url_for

VARY = ("HX-Request", "HX-Request-Type")
NAVIGATE_TO = ("auth.login", "auth.change_password")
BANNER = "errors/_banner.html"


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_fragment() -> bool:
    return is_htmx() and request.headers.get("HX-Request-Type") == "partial"


def _vary(response):
    for header in VARY:
        response.vary.add(header)
    return response


def render(page: str, fragment: str, status: int = 200, **context):
    """Render the fragment for an htmx partial request and the full page otherwise.

    The page template includes the same fragment, so every URL also works without JavaScript.
    """
    template = fragment if wants_fragment() else page
    return _vary(make_response(render_template(template, **context), status))


def invalid_filters(page: str, filters: str, shown: tuple = (), **context):
    """422 for a list whose filters do not validate.

    Without JavaScript: the whole page, the fields marked, no table. For htmx: only the filter form (the partial
    `filters`, rendered with oob=True), its fields marked and the errors of parameters without a field (page,
    tab, sort) in its summary; the table and its counts stay as they were (nothing goes to the target).
    """
    if not wants_fragment():
        return render(page, page, status=422, shown=shown, **context)
    html = render_template("_shared/_invalid_filters.html", filters_template=filters, shown=shown, **context)
    response = make_response(html, 422)
    response.headers["HX-Reswap"] = "none"
    return _vary(response)


def confirmed(message: str, events: dict, back: str, level: str = "info"):
    """After a successful change: the same confirmation with JavaScript as without.

    htmx gets 204 and HX-Trigger with `events` (name → detail), `dialog-closed` and `message-flashed`
    ({"message", "level"}; app.js writes it into #flash); a plain POST gets the message flashed and a 303 to `back`.
    """
    if not wants_fragment():
        flash(message, level)
        return redirect(back, 303)
    triggers = {name: {"target": "body", **detail} for name, detail in events.items()}
    triggers["dialog-closed"] = {"target": "body"}
    triggers["message-flashed"] = {"target": "body", "message": message, "level": level}
    response = make_response("", 204)
    response.headers["HX-Trigger"] = json.dumps(triggers)
    return _vary(response)


def is_background_poll() -> bool:
    """Polling elements send X-Poll so that they do not extend the idle session timeout."""
    return request.headers.get("X-Poll") == "1"


def _navigation_target(response) -> str | None:
    if not (300 <= response.status_code < 400 and response.location):
        return None
    path = urlsplit(response.location).path
    return response.location if path in {url_for(endpoint) for endpoint in NAVIGATE_TO} else None


def _login_path() -> str:
    return url_for("auth.login")


def _note_banner(sender, template, context, **extra) -> None:
    if template.name == BANNER:
        g.htmx_error_banner = True


def init_app(app) -> None:
    template_rendered.connect(_note_banner, app)

    @app.after_request
    def htmx_answers(response):
        if not is_htmx():
            return response
        target = _navigation_target(response)
        if target:
            # fetch would follow the redirect and swap the login page into the list: navigate the page instead
            answer = make_response("", 401 if urlsplit(target).path == _login_path() else 200)
            answer.headers["HX-Redirect"] = target
            return _vary(answer)
        if g.get("htmx_error_banner") and response.status_code >= 400:
            response.headers["HX-Retarget"] = "#flash"
            response.headers["HX-Reswap"] = "innerHTML"
            _vary(response)
        return response
