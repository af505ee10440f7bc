"""工资代发实时进度 list: stored project-month rows (wage_progress) of visible projects, filtered, sorted, paged.

Every statement joins Project and goes through scope.restrict, so other jurisdictions are never reached.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from wagewatch import scope
from wagewatch.extensions import db
from wagewatch.models import Enterprise, Project, Region, WageProgress
from wagewatch.projects.queries import PER_PAGE, Page, clamp

ORDER = {
    "ratio": (WageProgress.ratio.asc().nulls_last(),), "-ratio": (WageProgress.ratio.desc().nulls_last(),),
    "amount_due": (WageProgress.amount_due.asc(),), "-amount_due": (WageProgress.amount_due.desc(),),
    "amount_paid": (WageProgress.amount_paid.asc(),), "-amount_paid": (WageProgress.amount_paid.desc(),),
}


@dataclass(frozen=True)
class Summary:
    total: int
    computed_at: datetime | None  # the oldest figures shown: "数据更新于"


def filtered(user, filters: dict):
    """Visible project-months of the month matching the filters (filters hold the form's strings)."""
    stmt = scope.restrict(select(WageProgress).join(Project, Project.id == WageProgress.project_id), user) \
        .where(WageProgress.month == filters["month"])
    if "project_id" in filters:
        stmt = stmt.where(WageProgress.project_id == int(filters["project_id"]))
    if "q" in filters:
        stmt = stmt.where(or_(Project.name.icontains(filters["q"], autoescape=True),
                              Project.code.icontains(filters["q"], autoescape=True)))
    if "region" in filters:
        stmt = stmt.where(scope.region_filter(Project, filters["region"]))
    if "industry" in filters:
        stmt = stmt.where(Project.industry == filters["industry"])
    if "status" in filters:
        stmt = stmt.where(WageProgress.status == filters["status"])
    if filters.get("abnormal") == "1":
        stmt = stmt.where(WageProgress.abnormal.is_(True))
    if "flag" in filters:
        stmt = stmt.where(WageProgress.flag_codes.contains(f",{filters['flag']},"))
    return stmt


def summary(user, filters: dict) -> Summary:
    stmt = filtered(user, filters).with_only_columns(func.count(), func.min(WageProgress.computed_at))
    return Summary(*db.session.execute(stmt).one())


@dataclass(frozen=True)
class Row:
    progress: WageProgress
    name: str
    code: str
    region: str
    contractor: str
    payday: int


def listing(user, filters: dict, sort: str):
    """The rows with what the table shows beside the figures, in the chosen order (project id breaks ties)."""
    return filtered(user, filters).join(Enterprise, Enterprise.id == Project.contractor_id) \
        .outerjoin(Region, Region.code == Project.region_code) \
        .add_columns(Project.name, Project.code, func.coalesce(Region.name, Project.region_code), Enterprise.name,
                     Project.payday) \
        .order_by(*ORDER[sort], WageProgress.project_id)


def page(user, filters: dict, sort: str, number: int, total: int) -> Page:
    number = clamp(number, total)
    stmt = listing(user, filters, sort).limit(PER_PAGE).offset((number - 1) * PER_PAGE)
    return Page([Row(*row) for row in db.session.execute(stmt)], number, total)


def rows_for_export(user, filters: dict, sort: str):
    """Every matching row, streamed, in the page's order."""
    for row in db.session.execute(listing(user, filters, sort).execution_options(yield_per=1000)):
        yield Row(*row)
