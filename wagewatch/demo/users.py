"""Demo regulators at the region, prefecture and county levels (人社 and 住建), with printable passwords."""
import random
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select

from wagewatch.auth.passwords import policy_errors
from wagewatch.extensions import db
from wagewatch.models import User
from wagewatch.models.orgs import ROLES
from wagewatch.users import create_user, find_org

# username, region, org kind, industry, role
DEMO_USERS = (
    ("xj_hr_admin", "650000", "hr", None, "sysadmin"),
    ("xj_hr_review", "650000", "hr", None, "reviewer"),
    ("xj_hr_view", "650000", "hr", None, "viewer"),
    ("xj_zj_review", "650000", "industry", "housing", "reviewer"),
    ("cj_hr", "652300", "hr", None, "reviewer"),
    ("cj_zj", "652300", "industry", "housing", "reviewer"),
    ("aks_hr", "652900", "hr", None, "reviewer"),
    ("mulei_hr", "652328", "hr", None, "reviewer"),
    ("mulei_zj", "652328", "industry", "housing", "reviewer"),
    ("wushi_hr", "652927", "hr", None, "reviewer"),
    ("wushi_zj", "652927", "industry", "housing", "viewer"),
    # 三员分立: the security and audit administrators are accounts of their own.
    ("xj_hr_security", "650000", "hr", None, "secadmin"),
    ("xj_hr_audit", "650000", "hr", None, "auditor"),
)
WORDS = "Tianshan Kunlun Bogda Kanas Turpan Sayram Tarim Pamir Altay Bosten Karamay Jeminay".split()
EXISTING = "（已存在，密码未改）"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    org: str
    role: str
    password: str  # EXISTING when the account was already there


def demo_password(rng: random.Random, username: str) -> str:
    while True:
        password = f"{rng.choice(WORDS)}-{rng.randint(1000, 9999)}{rng.choice('#!@%')}"
        if not policy_errors(password, username):
            return password


def ensure_demo_users(seed: int) -> list[DemoAccount]:
    """Create the accounts that are missing; an existing account keeps its password."""
    rng = random.Random(f"demo-users-{seed}")
    accounts = []
    for username, region, kind, industry, role in DEMO_USERS:
        password = demo_password(rng, username)
        org = find_org(region, kind, industry)
        if db.session.scalars(select(User).where(User.username == username)).first() is None:
            create_user(username, password, org, role)
        else:
            password = EXISTING
        accounts.append(DemoAccount(username, org.name, ROLES[role], password))
    return accounts


def reviewer_id() -> int | None:
    """The 自治区人社厅 reviewer signs the demo's approvals and rejections."""
    return db.session.scalars(select(User.id).where(User.username == "xj_hr_review")).first()


def _pad(text: str, width: int) -> str:
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - shown)


def table(accounts: list[DemoAccount]) -> list[str]:
    """Lines of the printed table; account rows are indented so scripts can pick them out."""
    lines = [_pad("用户名", 16) + _pad("监管机构", 22) + _pad("角色", 8) + "密码"]
    for a in accounts:
        lines.append("  " + _pad(a.username, 14) + _pad(a.org, 22) + _pad(a.role, 8) + a.password)
    return lines
