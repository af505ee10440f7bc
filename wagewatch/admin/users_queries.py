"""用户管理 queries and changes; every change ends the user's sessions where the issue says so."""
from datetime import UTC, datetime

from sqlalchemy import func, or_, select, update

from wagewatch import audit
from wagewatch.admin.orgs import managed_org_ids
from wagewatch.auth import passwords, sessions
from wagewatch.extensions import db
from wagewatch.listing import PER_PAGE, clamp
from wagewatch.listing import OffsetPage as Page
from wagewatch.models import RecoveryCode, User
from wagewatch.models._types import utcnow

# A reset password counts as expired, so the login hook makes the user choose a new one at once.
MUST_CHANGE = datetime(1970, 1, 1, tzinfo=UTC)


def users_page(admin, filters: dict, number: int) -> Page:
    stmt = select(User).where(User.org_id.in_(managed_org_ids(admin)))
    if filters.get("q"):
        stmt = stmt.where(User.username.icontains(filters["q"], autoescape=True))
    if filters.get("org"):
        stmt = stmt.where(User.org_id == int(filters["org"]))
    if filters.get("role"):
        stmt = stmt.where(User.role == filters["role"])
    state, now = filters.get("state"), utcnow()
    if state == "active":
        stmt = stmt.where(User.active.is_(True))
    elif state == "disabled":
        stmt = stmt.where(User.active.is_(False))
    elif state == "locked":
        stmt = stmt.where(or_(User.locked_until > now, User.second_factor_locked_until > now))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    number = clamp(number, total)
    items = list(db.session.scalars(stmt.order_by(User.username).limit(PER_PAGE).offset((number - 1) * PER_PAGE)))
    return Page(items=items, number=number, total=total)


def is_locked(user: User) -> bool:
    now = utcnow()
    return any(until is not None and until > now for until in (user.locked_until, user.second_factor_locked_until))


def end_sessions(user: User, action: str, **details) -> None:
    sessions.revoke_all(user.id)
    audit.record(action, user, username=user.username, **details)


def change_org_role(user: User, org_id: int, role: str) -> bool:
    """Returns True when something changed; a role change ends the user's sessions at once."""
    before = (user.org_id, user.role)
    if before == (org_id, role):
        return False
    user.org_id, user.role = org_id, role
    db.session.flush()
    end_sessions(user, "user.updated", org_id=[before[0], org_id], role=[before[1], role])
    return True


def set_active(user: User, active: bool) -> bool:
    """Conditional UPDATE: two admins clicking 停用 at once record one change."""
    done = db.session.execute(update(User).where(User.id == user.id, User.active.is_(not active))
                              .values(active=active).execution_options(synchronize_session=False)).rowcount
    if done:
        db.session.refresh(user)
        if active:
            audit.record("user.enabled", user, username=user.username)
        else:
            end_sessions(user, "user.disabled")
    return bool(done)


def unlock(user: User) -> None:
    user.failed_logins, user.locked_until = 0, None
    user.second_factor_failures, user.second_factor_locked_until = 0, None
    audit.record("user.unlocked", user, username=user.username)


def reset_password(user: User, password: str) -> None:
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = MUST_CHANGE
    user.failed_logins, user.locked_until = 0, None
    end_sessions(user, "user.password_reset")


def reset_second_factor(user: User) -> None:
    """A lost device: the user enrols again at the next login; old recovery codes stop working."""
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    user.second_factor_failures, user.second_factor_locked_until = 0, None
    db.session.execute(update(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
                       .values(used_at=utcnow()))
    end_sessions(user, "second_factor.reset")
