"""Login, lockout, sessions, password policy and expiry."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, make_user
from wagewatch.auth.login import BAD_CREDENTIALS
from wagewatch.auth.passwords import policy_errors
from wagewatch.extensions import db
from wagewatch.models import AuditLog, User, UserSession
from wagewatch.models._types import utcnow


def post_login(client, username, password):
    return client.post("/auth/login", data={"username": username, "password": password})


def test_login_page_renders(client):
    page = client.get("/auth/login")
    assert page.status_code == 200
    assert 'name="username"' in page.text and 'name="password"' in page.text


def test_login_and_logout(app, client):
    make_user("muleiren", "652328")
    assert post_login(client, "muleiren", PASSWORD).status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and "木垒县人社局" in home.text
    assert home.headers["Cache-Control"] == "no-store"
    client.post("/auth/logout")
    assert client.get("/").status_code == 302
    assert db.session.scalars(select(UserSession)).one().revoked_at is not None


def test_anonymous_is_sent_to_login(client):
    response = client.get("/projects/approvals")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_unknown_user_and_wrong_password_answer_alike(app, client):
    make_user("realuser")
    unknown = post_login(client, "nobody", PASSWORD)
    wrong = post_login(client, "realuser", "Wrong-Pass-123")
    assert unknown.status_code == wrong.status_code == 422
    assert BAD_CREDENTIALS in unknown.text and BAD_CREDENTIALS in wrong.text
    def normalise(html, username):
        return re.sub(r'(X-CSRFToken": "|value=")[^"]+', "", html.replace(username, "X"))

    assert normalise(unknown.text, "nobody") == normalise(wrong.text, "realuser")


def test_five_failures_lock_for_fifteen_minutes(app, client):
    make_user("locked")
    for _ in range(5):
        post_login(client, "locked", "Wrong-Pass-123")
    user = db.session.scalars(select(User).where(User.username == "locked")).one()
    assert user.locked_until is not None
    assert timedelta(minutes=14) < user.locked_until - utcnow() <= timedelta(minutes=15)
    response = post_login(client, "locked", PASSWORD)
    assert BAD_CREDENTIALS in response.text and response.status_code == 422
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert post_login(client, "locked", PASSWORD).status_code == 302


def test_idle_session_expires(app, client):
    make_user("idle")
    post_login(client, "idle", PASSWORD)
    record = db.session.scalars(select(UserSession)).one()
    record.last_seen_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    assert client.get("/").status_code == 302


def test_absolute_session_limit(app, client):
    make_user("longday")
    post_login(client, "longday", PASSWORD)
    record = db.session.scalars(select(UserSession)).one()
    record.created_at = utcnow() - timedelta(hours=12, minutes=1)
    db.session.commit()
    assert client.get("/").status_code == 302


def test_background_poll_does_not_extend_idle_time(app, client):
    make_user("poller")
    post_login(client, "poller", PASSWORD)
    record = db.session.scalars(select(UserSession)).one()
    before = utcnow() - timedelta(minutes=10)
    record.last_seen_at = before
    db.session.commit()
    client.get("/", headers={"X-Poll": "1"})
    db.session.refresh(record)
    assert record.last_seen_at == before
    client.get("/")
    db.session.refresh(record)
    assert record.last_seen_at > before


def test_password_change_revokes_other_sessions(app):
    make_user("changer")
    first, second = app.test_client(), app.test_client()
    post_login(first, "changer", PASSWORD)
    post_login(second, "changer", PASSWORD)
    response = first.post("/auth/password", data={"current": PASSWORD, "new": "Tianshan#2027x",
                                                  "confirm": "Tianshan#2027x"})
    assert response.status_code == 302
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302


def test_password_change_rejects_weak_password(app, client):
    make_user("weak")
    post_login(client, "weak", PASSWORD)
    response = client.post("/auth/password", data={"current": PASSWORD, "new": "password", "confirm": "password"})
    assert response.status_code == 422
    assert "至少三类" in response.text


def test_expired_password_forces_change(app, client):
    user = make_user("old")
    user.password_changed_at = utcnow() - timedelta(days=91)
    db.session.commit()
    response = post_login(client, "old", PASSWORD)
    assert response.headers["Location"].endswith("/auth/password")
    assert client.get("/").headers["Location"].endswith("/auth/password")


@pytest.mark.parametrize("password,ok", [
    ("Tianshan#2027x", True), ("short1A", False), ("alllowercase1", False), ("P@ssw0rd", False),
    ("Aa123456", False), ("ABCdef123", True),
])
def test_password_policy(password, ok):
    assert (policy_errors(password) == []) is ok


def test_login_is_audited(app, client):
    make_user("audited")
    post_login(client, "audited", PASSWORD)
    post_login(client, "audited", "bad-password-1A")
    actions = [a.action for a in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert actions == ["login", "login_failed"]


def test_login_rate_limited_per_address(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [post_login(client, "nobody", "x").status_code for _ in range(4)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    assert codes[-1] == 429


def test_logout_needs_post(app, client, login):
    login()
    assert client.get("/auth/logout").status_code == 405


@pytest.mark.parametrize("target,expected", [
    ("/projects/approvals?tab=approved", "/projects/approvals?tab=approved"),
    ("//evil.example/x", "/"), ("/\\evil.example", "/"), ("https://evil.example", "/"), ("/ok\\..", "/"),
])
def test_login_only_returns_to_paths_on_this_site(app, client, target, expected):
    make_user("nexter")
    response = client.post("/auth/login", query_string={"next": target},
                           data={"username": "nexter", "password": PASSWORD})
    assert response.headers["Location"] == expected
