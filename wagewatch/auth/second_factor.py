"""The second login step: after the password, a pending login waits in the session for a TOTP or recovery code.

The login view calls begin() instead of starting the session when needed() says so; only a verified code
turns the pending login into a session (sessions.start), so a stolen password alone opens nothing.
"""
import time

from flask import current_app, redirect, session, url_for
from sqlalchemy import select

from wagewatch import audit, crypto
from wagewatch.auth.login import MAX_FAILURES
from wagewatch.extensions import db
from wagewatch.models import User

PENDING_SECONDS = 300
KEYS = ("second_factor_uid", "second_factor_at", "second_factor_next", "second_factor_pw")


def _password_mark(user: User) -> str:
    """Ties the pending login to the password it proved, without putting any of the hash in the cookie."""
    return crypto.lookup_hash("pending-login:" + user.password_hash)[:24]


def needed(user: User) -> bool:
    """Enrolled users always; 审核 and the administrators must enrol when the platform enforces it."""
    enforced = current_app.config.get("SECOND_FACTOR_ENFORCED", True)
    return user.second_factor_enabled or (enforced and user.second_factor_required)


def begin(user: User, next_path: str):
    """Remember the password-verified user for a few minutes and ask for the code (or the enrolment)."""
    session.clear()  # nothing of an earlier session survives into the new login
    session.update(second_factor_uid=user.id, second_factor_at=int(time.time()), second_factor_next=next_path,
                   second_factor_pw=_password_mark(user))
    db.session.commit()
    if user.second_factor_enabled:
        return redirect(url_for("auth.second_factor"))
    return redirect(url_for("auth.enrol_second_factor"))


def pending_user() -> User | None:
    uid, started = session.get("second_factor_uid"), session.get("second_factor_at", 0)
    if not uid or time.time() - started > PENDING_SECONDS:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active or session.get("second_factor_pw") != _password_mark(user):
        return None  # disabled, or its password changed or was reset, since the password step
    return user


def finish() -> str:
    """Forget the pending login; return where the user wanted to go."""
    next_path = session.get("second_factor_next") or url_for("home.index")
    for key in KEYS:
        session.pop(key, None)
    return next_path


def record_lockout(username: str) -> None:
    """After a failed password: the attempt that reached the limit locked the account; the log says so once."""
    row = db.session.execute(select(User.id, User.failed_logins).where(User.username == username)).one_or_none()
    if row is not None and row.failed_logins == MAX_FAILURES:
        audit.record("user.locked", object_type="users", object_id=row.id, user_id=row.id, actor=username[:64],
                     reason="password")
