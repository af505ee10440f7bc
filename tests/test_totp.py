"""Second factor: enrolment with the secret as text and an inline SVG QR code, ±1 step, replay refused,
single-use hashed recovery codes, rate limit, a lockout that parallel guesses cannot exceed, device reset."""
import re
import threading
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, make_user
from wagewatch.auth import totp
from wagewatch.extensions import db
from wagewatch.models import AuditLog, RecoveryCode, User, UserSession
from wagewatch.models._types import utcnow


@pytest.fixture
def enforced(app):
    app.config["SECOND_FACTOR_ENFORCED"] = True
    yield app
    app.config["SECOND_FACTOR_ENFORCED"] = False


def password_step(client, username):
    return client.post("/auth/login", data={"username": username, "password": PASSWORD})


def enrol(client, username):
    """Log in with the password, read the secret off the enrolment page, confirm; returns (secret, codes)."""
    assert password_step(client, username).headers["Location"].endswith("/auth/second-factor/enrol")
    page = client.get("/auth/second-factor/enrol")
    secret = re.search(r'id="totp-secret" class="token">([A-Z2-7]+)<', page.text).group(1)
    done = client.post("/auth/second-factor/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200, done.text
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.text)
    return secret, codes


def code_at(secret, steps_from_now):
    totp_ = pyotp.TOTP(secret)
    return totp_.generate_otp(totp_.timecode(utcnow()) + steps_from_now)


def test_reviewer_must_enrol_and_page_shows_secret_and_svg(enforced, client):
    make_user("rev", "652328")
    response = password_step(client, "rev")
    assert response.headers["Location"].endswith("/auth/second-factor/enrol")
    assert client.get("/").status_code == 302  # no session yet: the password alone opens nothing
    page = client.get("/auth/second-factor/enrol")
    assert page.status_code == 200 and '<svg' in page.text and 'class="segno"' in page.text
    assert "<script" not in page.text.split("</head>")[1]  # no JavaScript library draws the code
    secret = re.search(r'id="totp-secret" class="token">([A-Z2-7]+)<', page.text).group(1)
    user = db.session.scalars(select(User).where(User.username == "rev")).one()
    assert secret.encode() not in user.totp_secret  # stored encrypted
    wrong = client.post("/auth/second-factor/enrol", data={"code": "000000"})
    assert wrong.status_code == 422 and "不正确" in wrong.text
    done = client.post("/auth/second-factor/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert "恢复码" in done.text and client.get("/").status_code == 200
    db.session.refresh(user)
    assert user.second_factor_enabled
    assert len(db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()) == 10


def test_viewer_second_factor_is_optional(enforced, client):
    make_user("view", "652328", role="viewer")
    assert password_step(client, "view").status_code == 302 and client.get("/").status_code == 200
    assert client.get("/auth/second-factor/enrol").status_code == 200  # may enrol from a signed-in session


def test_drift_of_one_step_and_replay(enforced, app):
    make_user("rev", "652328")
    secret, _codes = enrol(app.test_client(), "rev")
    for steps, ok in ((-1, True), (1, True), (2, False), (-2, False)):
        user = db.session.scalars(select(User).where(User.username == "rev")).one()
        user.totp_last_step = None
        db.session.commit()
        client = app.test_client()
        password_step(client, "rev")
        answer = client.post("/auth/second-factor", data={"code": code_at(secret, steps)})
        assert (answer.status_code == 302) is ok, steps
        db.session.execute(User.__table__.update().values(second_factor_failures=0))
        db.session.commit()
    # The code just used is refused a second time, even in another browser.
    user = db.session.scalars(select(User).where(User.username == "rev")).one()
    user.totp_last_step = None
    db.session.commit()
    code = pyotp.TOTP(secret).now()
    first, second = app.test_client(), app.test_client()
    password_step(first, "rev")
    password_step(second, "rev")
    assert first.post("/auth/second-factor", data={"code": code}).status_code == 302
    replay = second.post("/auth/second-factor", data={"code": code})
    assert replay.status_code == 422 and "不正确" in replay.text


def test_recovery_codes_are_hashed_and_single_use(enforced, app):
    make_user("rev", "652328")
    _secret, codes = enrol(app.test_client(), "rev")
    assert len(codes) == 10
    stored = [r.code_hash for r in db.session.scalars(select(RecoveryCode))]
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in stored)
    client = app.test_client()
    password_step(client, "rev")
    assert client.post("/auth/second-factor", data={"code": codes[0].upper()}).status_code == 302
    again = app.test_client()
    password_step(again, "rev")
    assert again.post("/auth/second-factor", data={"code": codes[0]}).status_code == 422
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "second_factor.recovery_used")).one()


def test_pending_login_expires(enforced, app, client, monkeypatch):
    make_user("rev", "652328")
    password_step(client, "rev")
    import time as time_module
    later = time_module.time() + 301
    monkeypatch.setattr("wagewatch.auth.second_factor.time.time", lambda: later)
    assert client.get("/auth/second-factor/enrol").headers["Location"].endswith("/auth/login")


def test_second_step_is_rate_limited(enforced, app):
    app.config["SECOND_FACTOR_RATE_LIMIT"] = "3 per minute"
    try:
        make_user("ratelimited", "652328")
        enrol(app.test_client(), "ratelimited")
        client = app.test_client()
        password_step(client, "ratelimited")
        statuses = [client.post("/auth/second-factor", data={"code": "123456"}).status_code for _ in range(4)]
        assert statuses[-1] == 429
    finally:
        app.config["SECOND_FACTOR_RATE_LIMIT"] = "1000 per minute"


def test_five_wrong_codes_lock_and_are_audited(enforced, app):
    make_user("rev", "652328")
    secret, _ = enrol(app.test_client(), "rev")
    client = app.test_client()
    password_step(client, "rev")
    answers = [client.post("/auth/second-factor", data={"code": "000000"}) for _ in range(5)]
    assert "锁定" in answers[-1].text
    locked = client.post("/auth/second-factor", data={"code": pyotp.TOTP(secret).now()})
    assert locked.status_code == 422 and "锁定" in locked.text  # even the right code, while locked
    user = db.session.scalars(select(User).where(User.username == "rev")).one()
    assert timedelta(minutes=14) < user.second_factor_locked_until - utcnow() <= timedelta(minutes=15)
    actions = [e.action for e in db.session.scalars(select(AuditLog).order_by(AuditLog.seq))]
    assert actions.count("second_factor.failed") == 4 and "second_factor.locked" in actions


@pytest.mark.pg
def test_parallel_guesses_cannot_exceed_the_limit(pg_app):
    pg_app.config["SECOND_FACTOR_ENFORCED"] = True
    try:
        user = make_user("parallel", "652328")
        secret = totp.new_secret()
        from wagewatch import crypto
        user.totp_secret, user.totp_enabled_at = crypto.encrypt(secret), utcnow()
        db.session.commit()
        uid = user.id
        checked = []

        def guess():
            with pg_app.app_context():
                for _ in range(5):
                    if totp.claim_attempt(uid):
                        checked.append(1)
                        totp.attempt_failed(uid)
                        db.session.commit()
                db.session.remove()

        threads = [threading.Thread(target=guess) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(checked) == totp.MAX_FAILURES  # 40 parallel guesses, 5 ever checked
        db.session.expire_all()
        assert db.session.get(User, uid).second_factor_locked_until > utcnow()
    finally:
        pg_app.config["SECOND_FACTOR_ENFORCED"] = False


def test_lost_device_reset_by_higher_org_only(enforced, app, client):
    make_user("mulei_rev", "652328")
    enrol(app.test_client(), "mulei_rev")
    target = db.session.scalars(select(User).where(User.username == "mulei_rev")).one()
    same_org = make_user("mulei_sys", "652328", role="sysadmin")
    higher = make_user("cj_sys", "652300", role="sysadmin")
    for admin in (same_org, higher):
        admin.totp_secret, admin.totp_enabled_at = None, None
    app.config["SECOND_FACTOR_ENFORCED"] = False
    peer = app.test_client()
    password_step(peer, "mulei_sys")
    assert peer.post(f"/admin/users/{target.id}/second-factor/reset").status_code == 403
    password_step(client, "cj_sys")
    assert "user-reset-2fa" in client.get(f"/admin/users/{target.id}").text
    assert client.post(f"/admin/users/{target.id}/second-factor/reset").status_code == 303
    db.session.refresh(target)
    assert not target.second_factor_enabled and target.totp_secret is None
    assert db.session.scalars(select(UserSession).where(UserSession.user_id == target.id,
                                                        UserSession.revoked_at.is_(None))).first() is None
    app.config["SECOND_FACTOR_ENFORCED"] = True
    again = app.test_client()
    assert password_step(again, "mulei_rev").headers["Location"].endswith("/auth/second-factor/enrol")


def test_cli_resets_a_region_level_device(enforced, app):
    make_user("xj_rev")
    enrol(app.test_client(), "xj_rev")
    result = app.test_cli_runner().invoke(args=["user", "reset-second-factor", "xj_rev"])
    assert result.exit_code == 0
    assert not db.session.scalars(select(User).where(User.username == "xj_rev")).one().second_factor_enabled


def test_production_refuses_optional_second_factor():
    from wagewatch.config import ConfigError, check_production
    with pytest.raises(ConfigError, match="SECOND_FACTOR"):
        check_production({"WAGEWATCH_ENV": "production", "SECRET_KEY": "a" * 40, "WAGEWATCH_DATA_KEY": "b" * 40,
                          "SECOND_FACTOR_ENFORCED": False})


def test_a_password_reset_voids_a_pending_second_step(enforced, app, client):
    from wagewatch.admin.users_queries import reset_password

    make_user("rev", "652328")
    enrol(app.test_client(), "rev")
    password_step(client, "rev")
    assert client.get("/auth/second-factor").status_code == 200
    reset_password(db.session.scalars(select(User).where(User.username == "rev")).one(), "Kunlun-Temp-77")
    db.session.commit()
    assert client.get("/auth/second-factor").headers["Location"].endswith("/auth/login")
