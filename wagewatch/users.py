"""Create regulators: shared by `flask user create`, the demo data and the tests."""
from sqlalchemy import select

from wagewatch.auth.passwords import hash_password, policy_errors
from wagewatch.extensions import db
from wagewatch.models import Org, User
from wagewatch.models.orgs import ROLE_ALIASES, ROLES


class UserError(ValueError):
    pass


def find_org(region_code: str, kind: str, industry: str | None) -> Org:
    stmt = select(Org).where(Org.region_code == region_code, Org.kind == kind)
    stmt = stmt.where(Org.industry == industry) if kind == "industry" else stmt.where(Org.industry.is_(None))
    org = db.session.scalars(stmt).one_or_none()
    if org is None:
        raise UserError(f"找不到监管机构：区划 {region_code} / {kind} / {industry or '-'}（请先运行 flask setup）")
    return org


def create_user(username: str, password: str, org: Org, role: str, check_policy: bool = True) -> User:
    role = ROLE_ALIASES.get(role, role)
    if role not in ROLES:
        raise UserError(f"角色必须是 {', '.join(ROLES)} 之一")
    if db.session.scalars(select(User).where(User.username == username)).first():
        raise UserError(f"用户名 {username} 已存在")
    errors = policy_errors(password, username) if check_policy else []
    if errors:
        raise UserError("；".join(errors))
    user = User(username=username, password_hash=hash_password(password), org_id=org.id, role=role)
    db.session.add(user)
    db.session.flush()
    return user
