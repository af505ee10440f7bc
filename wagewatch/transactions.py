"""One transaction per request: services flush, the request commits once after the view succeeded.

Committing at the end, after the template rendered, means a view can read relationships of objects it just
changed (no expired attributes meet `lazy="raise"`), and a view that answers with an error (4xx/5xx) leaves
nothing half-written. The intake API keeps its own explicit commits: its idempotency protocol decides when.
Views that hand work to a job commit before enqueueing (the job must see the row) — the one exception.
"""
from flask import request

from wagewatch.extensions import db


def init_app(app) -> None:
    @app.after_request
    def commit_or_roll_back(response):
        if request.blueprint == "api":
            return response
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response
