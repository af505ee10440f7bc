"""The login decision: attempts counted atomically in the database, one answer for every failure.

Every attempt is counted *before* the password is checked, in one UPDATE that commits at once, so parallel
guesses each count (N attempts → N) whatever the database; a right password only logs in when no other attempt
was counted while it was being checked and the account is not locked. Unknown, inactive and locked accounts
run the same statement, the same password hash and get the same message, so none can be told apart.
"""
from datetime import timedelta

from sqlalchemy import and_, case, literal, or_, update

from wagewatch import clock
from wagewatch.auth import passwords
from wagewatch.extensions import db
from wagewatch.models import User
from wagewatch.models._types import UTCDateTime

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
# One message for an unknown name, a wrong password and a locked account: it tells the user about the lock
# without telling an attacker which of the three happened.
BAD_CREDENTIALS = "用户名或密码错误。连续输错5次将锁定账户15分钟，如已锁定请稍后再试或联系本单位管理员。"


def _at(moment):
    return literal(moment, UTCDateTime())


def _count_attempt(username: str, now):
    """Count one attempt; a lock that has run out starts a new count. Returns the row or None."""
    expired = and_(User.locked_until.is_not(None), User.locked_until <= _at(now))
    stmt = (update(User).where(User.username == username)
            .values(failed_logins=case((expired, 1), else_=User.failed_logins + 1),
                    locked_until=case((expired, None), else_=User.locked_until))
            .returning(User.id, User.failed_logins, User.locked_until, User.password_hash, User.active))
    row = db.session.execute(stmt, execution_options={"synchronize_session": False}).one_or_none()
    db.session.commit()  # visible to parallel attempts before the slow hash below
    return row


def _lock_if_due(user_id: int | None, now) -> None:
    db.session.execute(update(User).where(User.id == user_id, User.failed_logins >= MAX_FAILURES,
                                          or_(User.locked_until.is_(None), User.locked_until <= _at(now)))
                       .values(locked_until=_at(now + LOCK_FOR)), execution_options={"synchronize_session": False})


def _clear_if_alone(user_id: int, attempt: int, now) -> bool:
    """Reset the count, only if this attempt is still the last one counted and the account is not locked."""
    result = db.session.execute(
        update(User).where(User.id == user_id, User.failed_logins == attempt,
                           or_(User.locked_until.is_(None), User.locked_until <= _at(now)))
        .values(failed_logins=0, locked_until=None), execution_options={"synchronize_session": False})
    return result.rowcount == 1


def authenticate(username: str, password: str) -> tuple[User | None, str | None]:
    """Return (user, None) on success or (None, message) on failure. The caller commits."""
    now = clock.now()
    row = _count_attempt(username, now)
    locked = row is not None and row.locked_until is not None and row.locked_until > now
    usable = row is not None and row.active and not locked
    # The hash runs on every path, against a dummy hash when there is no usable account, so that every
    # failure takes as long as a wrong password.
    right = passwords.verify(row.password_hash if usable else None, password)
    if not usable:
        _lock_if_due(None, now)  # the same statement as a wrong password's, matching no row
        return None, BAD_CREDENTIALS
    if right and row.failed_logins <= MAX_FAILURES and _clear_if_alone(row.id, row.failed_logins, now):
        return db.session.get(User, row.id), None
    _lock_if_due(row.id, now)
    return None, BAD_CREDENTIALS
