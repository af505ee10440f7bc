"""CSRF stays on here: forms and htmx requests without the token are refused."""
import re

import pytest

from tests.conftest import PASSWORD, make_user


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


def token_from(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_login_without_token_is_refused(csrf_app, client):
    make_user("csrfuser")
    response = client.post("/auth/login", data={"username": "csrfuser", "password": PASSWORD})
    assert response.status_code == 400 and "安全令牌" in response.text


def test_login_with_token_works_and_htmx_header_carries_it(csrf_app, client):
    make_user("csrfuser")
    token = token_from(client.get("/auth/login").text)
    response = client.post("/auth/login", data={"username": "csrfuser", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    home = client.get("/").text
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', home).group(1)
    assert client.post("/auth/logout").status_code == 400
    assert client.post("/auth/logout", headers={"X-CSRFToken": header_token}).status_code == 302


@pytest.mark.parametrize("action", ["review", "status", "export"])
def test_every_state_changing_action_needs_the_token(app, client, login, action):
    from tests.factories import ProjectFactory
    from wagewatch.extensions import db

    project = ProjectFactory(region="652328", review_status="pending" if action == "review" else "approved")
    db.session.commit()
    login(region="652328")
    url, data = {
        "review": (f"/projects/{project.id}/review", {"decision": "approved", "reason": ""}),
        "status": (f"/projects/{project.id}/status", {"status": "in_progress", "reason": "开工"}),
        "export": ("/exports", {"kind": "projects"}),
    }[action]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(url, data=data).status_code == 400
        token = re.search(r'"X-CSRFToken": "([^"]+)"', client.get("/").text).group(1)
        accepted = client.post(url, data=data, headers={"X-CSRFToken": token})
        assert accepted.status_code in (303, 204), accepted.status_code
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
