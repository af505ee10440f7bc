"""The benches' opt-in X-Query-Count / Server-Timing headers: present and right when asked for, absent otherwise."""
from sqlalchemy import event

from tests.conftest import base_config, build_schema, make_user, sign_in
from wagewatch import create_app
from wagewatch.extensions import db


def _app(tmp_path, **extra):
    app = create_app({**base_config(tmp_path, f"sqlite:///{tmp_path / 'qc.sqlite3'}"), **extra})
    build_schema(app)
    return app


def test_header_counts_the_statements_of_the_request(tmp_path):
    app = _app(tmp_path, COUNT_QUERIES=True)
    seen = []
    with app.app_context():
        client = app.test_client()
        sign_in(client, make_user("counted", "650000", "hr", None, "viewer"))
        event.listen(db.engine, "before_cursor_execute", lambda *args: seen.append(1))
        response = client.get("/")

    assert response.status_code == 200
    assert int(response.headers["X-Query-Count"]) == len(seen) > 0
    assert response.headers["Server-Timing"].startswith("app;dur=") and ", cpu;dur=" in response.headers["Server-Timing"]


def test_no_header_unless_asked(tmp_path, monkeypatch):
    monkeypatch.delenv("WAGEWATCH_COUNT_QUERIES", raising=False)
    app = _app(tmp_path)
    with app.app_context():
        client = app.test_client()
        sign_in(client, make_user("uncounted", "650000", "hr", None, "viewer"))
        response = client.get("/")
    assert response.status_code == 200
    assert "X-Query-Count" not in response.headers and "Server-Timing" not in response.headers
