"""The orgs an administrator manages: its own org and the orgs below it, never above or beside."""
from flask import abort
from sqlalchemy import or_, select

from wagewatch.extensions import db
from wagewatch.models import Org, User

MAX_ID = 2**31 - 1


def managed_org_ids(admin):
    """A subquery of the admin's org and its descendants (the org tree is at most three levels deep)."""
    children = select(Org.id).where(Org.parent_id == admin.org_id)
    return select(Org.id).where(or_(Org.id == admin.org_id, Org.parent_id == admin.org_id,
                                    Org.parent_id.in_(children))).scalar_subquery()


def managed_orgs(admin) -> list[Org]:
    return list(db.session.scalars(select(Org).where(Org.id.in_(managed_org_ids(admin)))
                                   .order_by(Org.level, Org.region_code, Org.name)))


def org_or_404(admin, org_id) -> Org:
    if not isinstance(org_id, int) or not 0 < org_id <= MAX_ID:
        abort(404)
    org = db.session.scalars(select(Org).where(Org.id == org_id, Org.id.in_(managed_org_ids(admin)))).one_or_none()
    if org is None:
        abort(404)
    return org


def user_or_404(admin, user_id: int) -> User:
    """A user of a managed org, or 404 (a user above or beside does not exist for this admin)."""
    if not 0 < user_id <= MAX_ID:
        abort(404)
    user = db.session.scalars(select(User).where(User.id == user_id,
                                                 User.org_id.in_(managed_org_ids(admin)))).one_or_none()
    if user is None:
        abort(404)
    return user


def is_below(admin, user: User) -> bool:
    """True when the user's org is strictly below the admin's (only such an admin resets a lost device)."""
    return user.org_id != admin.org_id and user.org.level > admin.org.level
