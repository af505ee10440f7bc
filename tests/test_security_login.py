"""Login lockout under parallel guesses, on SQLite and PostgreSQL; unknown and locked accounts look alike."""
import re
import statistics
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, make_user
from wagewatch.auth import passwords
from wagewatch.auth.login import BAD_CREDENTIALS, MAX_FAILURES
from wagewatch.extensions import db
from wagewatch.models import User
from wagewatch.models._types import utcnow

WRONG = "Wrong-Pass-123"


def post_login(client, username, password):
    return client.post("/auth/login", data={"username": username, "password": password})


def burst(app, attempts):
    """Send every (username, password) at once, each from its own client and thread; return the statuses."""
    barrier, statuses = threading.Barrier(len(attempts)), [None] * len(attempts)

    def send(index, username, password):
        client = app.test_client()
        barrier.wait()
        statuses[index] = post_login(client, username, password).status_code

    threads = [threading.Thread(target=send, args=(i, *attempt)) for i, attempt in enumerate(attempts)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    return statuses


def reload(username):
    db.session.expire_all()
    return db.session.scalars(select(User).where(User.username == username)).one()


def test_parallel_failures_each_count_and_lock(any_app):
    make_user("guessed")
    statuses = burst(any_app, [("guessed", WRONG)] * 12)
    assert statuses == [422] * 12
    user = reload("guessed")
    assert user.failed_logins == 12
    assert user.locked_until is not None and user.locked_until > utcnow()
    assert post_login(any_app.test_client(), "guessed", PASSWORD).status_code == 422


def test_right_password_in_a_locking_burst_does_not_log_in(any_app, monkeypatch):
    # At argon2's real cost every attempt of the burst is counted while the hashes run, as in an attack; the
    # suite's cheap hash would let the last request finish before the others start.
    monkeypatch.setitem(any_app.config, "PASSWORD_HASH_FAST", False)
    make_user("burst")
    statuses = burst(any_app, [("burst", WRONG)] * 12 + [("burst", PASSWORD)])
    assert statuses == [422] * 13
    user = reload("burst")
    assert user.failed_logins == 13 and user.locked_until > utcnow()


def test_four_failures_then_the_right_password_logs_in_and_resets(any_app):
    make_user("careless")
    client = any_app.test_client()
    for _ in range(MAX_FAILURES - 1):
        assert post_login(client, "careless", WRONG).status_code == 422
    assert post_login(client, "careless", PASSWORD).status_code == 302
    user = reload("careless")
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_an_expired_lock_starts_a_new_count(app, client):
    make_user("patient")
    for _ in range(MAX_FAILURES):
        post_login(client, "patient", WRONG)
    user = reload("patient")
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert post_login(client, "patient", WRONG).status_code == 422
    user = reload("patient")
    assert (user.failed_logins, user.locked_until) == (1, None)
    assert post_login(client, "patient", PASSWORD).status_code == 302


def normalise(html, username):
    return re.sub(r'(X-CSRFToken": "|value=")[^"]+', "", html.replace(username, "X"))


@pytest.fixture
def locked_user(app):
    user = make_user("lockedout")
    user.failed_logins, user.locked_until = MAX_FAILURES, utcnow() + timedelta(minutes=10)
    db.session.commit()
    return user


def test_unknown_and_locked_answer_alike(locked_user, client):
    unknown = post_login(client, "nobody", PASSWORD)
    locked = post_login(client, "lockedout", PASSWORD)
    wrong = post_login(client, "lockedout", WRONG)
    assert unknown.status_code == locked.status_code == wrong.status_code == 422
    assert BAD_CREDENTIALS in unknown.text
    assert normalise(unknown.text, "nobody") == normalise(locked.text, "lockedout") == normalise(wrong.text,
                                                                                                  "lockedout")


def test_every_failure_runs_the_password_hash(locked_user, client, monkeypatch):
    make_user("inactive").active = False
    db.session.commit()
    calls, real = [], passwords.hasher()

    class Spy:
        def verify(self, *args):
            calls.append(1)
            return real.verify(*args)

    monkeypatch.setattr(passwords, "hasher", lambda: Spy())
    for username in ("nobody", "lockedout", "inactive"):
        calls.clear()
        post_login(client, username, PASSWORD)
        assert calls == [1], username


@pytest.fixture
def real_cost(app, monkeypatch):
    """argon2 at its production cost, for the timing test: the hash must dominate as it does in production."""
    monkeypatch.setitem(app.config, "PASSWORD_HASH_FAST", False)


def test_unknown_and_locked_take_alike_long(real_cost, locked_user, client):
    def median(username):
        times = []
        for _ in range(7):
            start = time.perf_counter()
            post_login(client, username, PASSWORD)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    median("nobody")  # warm up
    unknown, locked = median("nobody"), median("lockedout")
    assert 0.5 < locked / unknown < 2, (unknown, locked)


def test_the_lock_is_shown_to_administrators(locked_user, app):
    runner = app.test_cli_runner()
    shown = runner.invoke(args=["user", "show", "lockedout"])
    assert shown.exit_code == 0 and "已锁定至" in shown.output and f"连续登录失败 {MAX_FAILURES} 次" in shown.output
    unlocked = runner.invoke(args=["user", "unlock", "lockedout"])
    assert unlocked.exit_code == 0
    assert "状态：正常" in runner.invoke(args=["user", "show", "lockedout"]).output
    assert post_login(app.test_client(), "lockedout", PASSWORD).status_code == 302
