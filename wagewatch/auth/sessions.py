"""Server-side login sessions: idle and absolute limits, revocation at logout and password change."""
import secrets
from datetime import timedelta

from flask import session
from sqlalchemy import update

from wagewatch import policy
from wagewatch.audit import client_address
from wagewatch.extensions import db, login_manager
from wagewatch.htmx import is_background_poll
from wagewatch.models import User, UserSession
from wagewatch.models._types import utcnow

TOUCH_EVERY = timedelta(seconds=60)


def start(user: User) -> UserSession:
    record = UserSession(id=secrets.token_urlsafe(32), user_id=user.id, address=client_address())
    db.session.add(record)
    session.clear()
    session["sid"] = record.id
    session["_user_id"] = str(user.id)
    session.permanent = True
    return record


def revoke_all(user_id: int, keep: str | None = None) -> None:
    stmt = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    if keep:
        stmt = stmt.where(UserSession.id != keep)
    db.session.execute(stmt.values(revoked_at=utcnow()))


def end() -> None:
    sid = session.get("sid")
    if sid:
        db.session.execute(update(UserSession).where(UserSession.id == sid).values(revoked_at=utcnow()))
    session.clear()


def _expired(record: UserSession, now) -> bool:
    idle = timedelta(minutes=policy.value("session.idle_minutes"))  # 安全策略, default from the environment
    absolute = timedelta(hours=policy.value("session.absolute_hours"))
    return record.revoked_at is not None or now - record.last_seen_at > idle or now - record.created_at > absolute


@login_manager.user_loader
def load_user(user_id: str):
    sid = session.get("sid")
    if not sid:
        return None
    record = db.session.get(UserSession, sid)
    now = utcnow()
    if record is None or str(record.user_id) != user_id or _expired(record, now) or not record.user.active:
        session.clear()
        return None
    if not is_background_poll() and now - record.last_seen_at > TOUCH_EVERY:
        touch(sid, now)
    return record.user


def touch(sid: str, now) -> None:
    """Write last_seen_at on a connection of its own, so loading the user never commits the request's work."""
    with db.engine.begin() as connection:
        connection.execute(update(UserSession).where(UserSession.id == sid).values(last_seen_at=now))
