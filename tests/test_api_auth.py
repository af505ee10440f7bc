"""Tokens, scopes, the per-client rate limit, the CLI for clients, health and 405 answers."""
from sqlalchemy import select

from tests.test_api_support import Api, api, assert_error, project_body  # noqa: F401
from wagewatch.extensions import db
from wagewatch.models import ApiClient


def test_missing_token_is_401_json(client):
    response = client.post("/api/v1/projects", json=project_body())
    assert_error(response, 401, "unauthorized", "缺少访问令牌")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_wrong_token_is_401(app):
    response = app.test_client().post("/api/v1/projects", json=project_body(),
                                      headers={"Authorization": "Bearer ww_not-a-real-token"})
    assert_error(response, 401, "unauthorized", "访问令牌无效")


def test_revoked_token_is_401(app, api):
    client = db.session.get(ApiClient, api.client_id)
    client.active = False
    db.session.commit()
    assert_error(api.post("/projects", project_body()), 401, "unauthorized")


def test_missing_scope_is_403(app):
    bank_only = Api(app, scopes=["bank"])
    assert_error(bank_only.post("/projects", project_body()), 403, "forbidden", "projects")


def test_rate_limit_per_client(app, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    busy, calm = Api(app), Api(app)
    answers = [busy.post("/attendance/punches", []).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = busy.post("/attendance/punches", [])
    assert_error(limited, 429, "rate_limited", "请求过于频繁")
    assert int(limited.headers["Retry-After"]) >= 1
    assert calm.post("/attendance/punches", []).status_code == 200  # another client is not affected


def test_cli_creates_token_once_and_stores_only_its_hash(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["api-client", "create", "--name", "乌什县农行", "--scopes", "bank,payrolls"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("ww_")
    client = db.session.scalars(select(ApiClient).where(ApiClient.name == "乌什县农行")).one()
    assert token not in (client.token_hash, client.scopes) and len(client.token_hash) == 64
    http = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    assert http.post("/api/v1/payrolls/NOPE/bank-results", json={}, headers=auth).status_code == 404
    assert http.post("/api/v1/projects", json={}, headers=auth).status_code == 403
    result = runner.invoke(args=["api-client", "revoke", "乌什县农行"])
    assert result.exit_code == 0, result.output
    assert http.post("/api/v1/payrolls/NOPE/bank-results", json={}, headers=auth).status_code == 401


def test_cli_rejects_unknown_scope(app):
    result = app.test_cli_runner().invoke(args=["api-client", "create", "--name", "x", "--scopes", "admin"])
    assert result.exit_code != 0 and "权限范围" in result.output


def test_health_needs_no_token(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "absent"}


def test_health_reports_redis_down(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    assert client.get("/api/v1/health").get_json()["redis"] == "down"


def test_health_reports_redis_ok(app, client, monkeypatch, redis_url):
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    assert client.get("/api/v1/health").get_json()["redis"] == "ok"


def test_unsupported_method_is_405_with_allow(api):
    response = api.call("delete", "/projects")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert response.get_json()["error"]["message"]


def test_unknown_path_is_json_404(api):
    assert_error(api.post("/nothing", {}), 404, "not_found")
