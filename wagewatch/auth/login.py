"""The login decision: lockout counted in the database, one answer for unknown user and wrong password."""
from datetime import timedelta

from sqlalchemy import select

from wagewatch.auth import passwords
from wagewatch.extensions import db
from wagewatch.models import User
from wagewatch.models._types import utcnow

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
BAD_CREDENTIALS = "用户名或密码错误"
LOCKED = "该账户因连续登录失败已被锁定15分钟，请稍后再试"


def authenticate(username: str, password: str) -> tuple[User | None, str | None]:
    """Return (user, None) on success or (None, message) on failure; commits the failure count."""
    user = db.session.scalars(select(User).where(User.username == username)).one_or_none()
    now = utcnow()
    if user is not None and user.locked_until and user.locked_until > now:
        return None, LOCKED
    if user is None or not user.active:
        passwords.verify(None, password)
        return None, BAD_CREDENTIALS
    if not passwords.verify(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until, user.failed_logins = now + LOCK_FOR, 0
        db.session.commit()
        return None, LOCKED if user.locked_until and user.locked_until > now else BAD_CREDENTIALS
    user.failed_logins, user.locked_until = 0, None
    return user, None
