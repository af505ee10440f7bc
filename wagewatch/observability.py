"""Request ids, one structured log line per request, and a statement timeout for web requests.

Every request carries an id (the proxy's X-Request-ID when it sends a sane one, else a new one), echoed in the
response and in every log line written while it runs, so a regulator's "it failed at 10:42" can be found in the
logs of several gunicorn machines. Log lines are JSON, one per line, for the log collector. On PostgreSQL each
web request's transaction gets `statement_timeout` (WAGEWATCH_STATEMENT_TIMEOUT_MS): a runaway query answers an
error page instead of holding a worker and a connection; background jobs, which legitimately run long, do not
go through requests and keep no limit.
"""
import json
import logging
import re
import secrets
import time

from flask import current_app, g, has_request_context, request, session
from sqlalchemy import text

from wagewatch.extensions import db

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = logging.getLogger("wagewatch.requests")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request id and any `extra` fields."""

    FIELDS = ("method", "path", "status", "duration_ms", "user_id", "address")

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        if has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        for name in self.FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app) -> None:
    """JSON logs on stderr in production (gunicorn collects them); the development server keeps Flask's."""
    if app.config.get("WAGEWATCH_ENV") != "production" or app.config.get("TESTING"):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    for logger in (app.logger, log, logging.getLogger("wagewatch")):
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


def start_request() -> None:
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if REQUEST_ID.match(offered) else secrets.token_hex(8)
    g.request_started = time.perf_counter()
    limit = int(current_app.config.get("STATEMENT_TIMEOUT_MS") or 0)
    if limit and request.endpoint not in ("static", "assets.serve") and db.engine.dialect.name == "postgresql":
        # SET LOCAL ends with the request's transaction, so the connection goes back to the pool unchanged.
        db.session.execute(text(f"SET LOCAL statement_timeout = {limit:d}"))


def finish_request(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    started = g.get("request_started")
    if started is not None and request.endpoint not in ("static", "assets.serve"):
        # The user id from the signed session cookie: the request has committed by now, and reading
        # current_user again would reload the user from the database for a log line.
        log.info("request", extra={
            "method": request.method, "path": request.path, "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1), "address": request.remote_addr,
            "user_id": session.get("_user_id")})
    return response


def init_app(app) -> None:
    configure_logging(app)
    app.before_request(start_request)
    app.after_request(finish_request)
