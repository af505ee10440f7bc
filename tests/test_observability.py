"""Request ids, JSON log lines and the web statement timeout on PostgreSQL."""
import json
import logging

from sqlalchemy import text

from wagewatch.extensions import db
from wagewatch.observability import JsonFormatter


def test_every_response_carries_a_request_id(client):
    first = client.get("/auth/login").headers["X-Request-ID"]
    second = client.get("/auth/login").headers["X-Request-ID"]
    assert len(first) == 16 and first != second


def test_a_sane_proxy_request_id_is_kept_and_a_strange_one_replaced(client):
    assert client.get("/auth/login", headers={"X-Request-ID": "nginx-4f2a9c1e"}).headers["X-Request-ID"] \
        == "nginx-4f2a9c1e"
    replaced = client.get("/auth/login", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 16


def test_log_lines_are_json_with_the_request_id(app):
    with app.test_request_context("/projects/approvals"):
        app.preprocess_request()
        record = logging.LogRecord("wagewatch.requests", logging.INFO, __file__, 1, "request", None, None)
        record.status, record.duration_ms = 200, 12.5
        line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "request" and line["status"] == 200 and line["duration_ms"] == 12.5
    assert len(line["request_id"]) == 16


def test_web_requests_get_a_statement_timeout_on_postgresql(pg_app):
    with pg_app.test_request_context("/"):
        pg_app.preprocess_request()
        assert db.session.scalar(text("SHOW statement_timeout")) == "10s"
        db.session.rollback()
    assert db.session.scalar(text("SHOW statement_timeout")) == "0"  # jobs and the pool are not limited
