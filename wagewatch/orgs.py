"""Derive a project's 人社监管单位 and 行业监管单位: the nearest org of that kind at or above its region."""
from sqlalchemy import select

from wagewatch.extensions import db
from wagewatch.models import Org
from wagewatch.models._types import prefecture_of


def region_chain(region_code: str) -> list[str]:
    """The region itself, its prefecture, then the autonomous region (nearest first)."""
    chain = [region_code]
    prefecture = prefecture_of(region_code)
    if prefecture and prefecture not in chain:
        chain.append(prefecture)
    if "650000" not in chain:
        chain.append("650000")
    return chain


def nearest_org(region_code: str, kind: str, industry: str | None = None) -> Org | None:
    chain = region_chain(region_code)
    stmt = select(Org).where(Org.region_code.in_(chain), Org.kind == kind)
    stmt = stmt.where(Org.industry == industry) if industry else stmt.where(Org.industry.is_(None))
    found = {org.region_code: org for org in db.session.scalars(stmt)}
    return next((found[code] for code in chain if code in found), None)


def supervising_orgs(region_code: str, industry: str) -> tuple[Org | None, Org | None]:
    return nearest_org(region_code, "hr"), nearest_org(region_code, "industry", industry)
