"""RQ job functions. Each job takes ids and plain values and runs inside an application context.

A job called from a request (the in-process fallback without REDIS_URL) reuses that request's app; in an
`rq worker` process the app is built from the environment on the first call, never at import time.
"""
from contextlib import contextmanager

from flask import current_app, has_app_context

_worker_app = None


def worker_app():
    global _worker_app
    if _worker_app is None:
        from wagewatch import create_app

        _worker_app = create_app()
    return _worker_app


@contextmanager
def app_context():
    if has_app_context():
        yield current_app
        return
    app = worker_app()
    with app.app_context():
        try:
            yield app
        finally:
            from wagewatch.extensions import db

            db.session.remove()
