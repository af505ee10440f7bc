"""接口凭证: the 自治区 系统管理员 creates a client (token shown once, stored hashed), sees scopes, last use and
request counts, and revokes it; everyone else is refused."""
import re

import pytest
from sqlalchemy import select

from tests.test_api_support import project_body
from wagewatch.api.auth import token_hash
from wagewatch.extensions import db
from wagewatch.models import ApiClient, AuditLog


@pytest.mark.parametrize("role,region", [("viewer", "650000"), ("reviewer", "650000"), ("secadmin", "650000"),
                                         ("auditor", "650000"), ("sysadmin", "652300"),
                                         ("sysadmin", "650000/housing")])
def test_only_the_region_sysadmin_manages_clients(app, client, login, role, region):
    region, _, industry = region.partition("/")
    login(role=role, region=region, kind="industry" if industry else "hr", industry=industry or None)
    assert client.get("/admin/clients").status_code == 403
    assert client.post("/admin/clients", data={"name": "x", "scopes": ["bank"]}).status_code == 403


def test_create_shows_the_token_once_and_counts_its_use(app, client, hx, login):
    login(role="sysadmin")
    bad = client.post("/admin/clients", data={"name": "", "scopes": []})
    assert bad.status_code == 422 and "请输入客户端名称" in bad.text and "请至少选择一项权限" in bad.text
    assert client.post("/admin/clients", data={"name": "x", "scopes": ["root"]}).status_code == 422
    response = client.post("/admin/clients", data={"name": "乌什县支行", "scopes": ["bank", "projects"]})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    token = re.search(r'<code class="token">(ww_[^<]+)</code>', response.text).group(1)
    api_client = db.session.scalars(select(ApiClient)).one()
    assert api_client.token_hash == token_hash(token) and token not in api_client.token_hash
    assert token not in client.get("/admin/clients").text  # never shown again
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "api_client.created")).one()
    duplicate = client.post("/admin/clients", data={"name": "乌什县支行", "scopes": ["bank"]})
    assert duplicate.status_code == 422 and "已存在" in duplicate.text

    api = app.test_client()
    for _ in range(3):
        api.post("/api/v1/projects", json=project_body(), headers={"Authorization": f"Bearer {token}"})
    db.session.refresh(api_client)
    assert api_client.request_count == 3 and api_client.last_used_at is not None
    listing = hx.get("/admin/clients")
    assert "<html" not in listing.text and "工程登记" in listing.text and "银行代发" in listing.text
    assert re.search(r'class="num">3<', listing.text)

    assert client.post(f"/admin/clients/{api_client.id}/revoke").status_code == 303
    db.session.refresh(api_client)
    assert not api_client.active and api_client.revoked_at is not None
    answer = api.post("/api/v1/projects", json=project_body(), headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401
    assert "已吊销" in client.get("/admin/clients").text
    assert client.post("/admin/clients/999999/revoke").status_code == 404


def test_cli_commands_stay(app):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["api-client", "create", "--name", "cli-client", "--scopes", "bank"])
    assert created.exit_code == 0 and created.output.strip().splitlines()[-1].startswith("ww_")
    assert runner.invoke(args=["api-client", "revoke", "cli-client"]).exit_code == 0
