"""Opt-in per-request SQL query count and server time in response headers, for the screen and load benches.

With WAGEWATCH_COUNT_QUERIES=1 in the environment (or COUNT_QUERIES=True in the config) every response carries
`X-Query-Count` (statements the request sent to the database, the commit's included) and `Server-Timing:
app;dur=<ms>, cpu;dur=<ms>` (time from the first before-request hook to the last after-request hook, and the
worker's own CPU time in it: on a shared, loaded machine the second shows what the request costs the app). Off by default: the
production set sends neither header, and the SQLAlchemy listener is not even installed.
"""
import os
import time

from flask import g, has_request_context, request
from sqlalchemy import event

from wagewatch.extensions import db


def enabled(app) -> bool:
    return bool(app.config.get("COUNT_QUERIES", os.environ.get("WAGEWATCH_COUNT_QUERIES", "") not in ("", "0")))


# Kept on the request, not on `g`: a job run in-process inside the request has an app context (and a `g`) of its
# own, and its statements are still this request's cost.
COUNTER = "wagewatch.query_count"


def _count(*_args, **_kwargs) -> None:
    if has_request_context() and COUNTER in request.environ:
        request.environ[COUNTER] += 1


def init_app(app) -> None:
    if not enabled(app):
        return
    with app.app_context():
        if not event.contains(db.engine, "before_cursor_execute", _count):
            event.listen(db.engine, "before_cursor_execute", _count)

    def start():
        request.environ[COUNTER] = 0
        g.query_started = time.perf_counter()
        g.query_cpu = time.thread_time()

    def finish(response):
        if COUNTER in request.environ and "query_started" in g:
            response.headers["X-Query-Count"] = str(request.environ[COUNTER])
            elapsed = (time.perf_counter() - g.query_started) * 1000
            cpu = (time.thread_time() - g.query_cpu) * 1000
            response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}, cpu;dur={cpu:.1f}"
        return response

    # First before the other hooks, last after them (after-request hooks run in reverse order of registration):
    # the figures cover the whole request, the statement timeout and the request's commit included.
    app.before_request_funcs.setdefault(None, []).insert(0, start)
    app.after_request_funcs.setdefault(None, []).insert(0, finish)
