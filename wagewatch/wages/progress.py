"""工资代发实时进度 list: stored project-month rows (wage_progress) of visible projects, filtered, sorted, paged.

Every statement joins Project and goes through scope.restrict, so other jurisdictions are never reached.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Numeric, cast, func, select

from wagewatch import listing as lists
from wagewatch import scope
from wagewatch.extensions import db
from wagewatch.models import Enterprise, Project, Region, RuleSetting, WageProgress

RATIO_TYPE = Numeric(7, 4)
# 发薪比例 is empty for a month without attendance: those rows come last either way, and the key stays non-null
# so the pager can seek on it. The CAST gives the key numeric affinity on SQLite, which binds the pager's
# key as text: a bare coalesce() would compare a number with text there and find nothing after page 1.
RATIO_UP = cast(func.coalesce(WageProgress.ratio, 9), RATIO_TYPE).label("ratio_key")
RATIO_DOWN = cast(func.coalesce(WageProgress.ratio, -1), RATIO_TYPE).label("ratio_key")
KEYS = {
    "ratio": lists.Keyset((RATIO_UP, False), (WageProgress.id, False)),
    "-ratio": lists.Keyset((RATIO_DOWN, True), (WageProgress.id, True)),
    "amount_due": lists.Keyset((WageProgress.amount_due, False), (WageProgress.id, False)),
    "-amount_due": lists.Keyset((WageProgress.amount_due, True), (WageProgress.id, True)),
    "amount_paid": lists.Keyset((WageProgress.amount_paid, False), (WageProgress.id, False)),
    "-amount_paid": lists.Keyset((WageProgress.amount_paid, True), (WageProgress.id, True)),
}


@dataclass(frozen=True)
class Summary:
    total: int
    computed_at: datetime | None  # the oldest figures shown: "数据更新于"
    rules_changed_at: datetime | None = None  # an administrator changed a wage.* threshold after that

    @property
    def rules_newer(self) -> bool:
        return bool(self.computed_at and self.rules_changed_at and self.rules_changed_at > self.computed_at)


def filtered(user, filters: dict):
    """Visible project-months of the month matching the filters (filters hold the form's strings)."""
    stmt = scope.restrict(select(WageProgress).join(Project, Project.id == WageProgress.project_id), user) \
        .where(WageProgress.month == filters["month"])
    if "project_id" in filters:
        stmt = stmt.where(WageProgress.project_id == int(filters["project_id"]))
    if "region" in filters:
        stmt = stmt.where(scope.region_filter(Project, filters["region"]))
    if "industry" in filters:
        stmt = stmt.where(Project.industry == filters["industry"])
    if "project_status" in filters:  # 工程状态 is an approved project's (a pending one has none yet), as 数据通报 reads it
        stmt = stmt.where(Project.review_status == "approved", Project.status == filters["project_status"])
    if "status" in filters:
        stmt = stmt.where(WageProgress.status == filters["status"])
    if filters.get("abnormal") == "1":
        stmt = stmt.where(WageProgress.abnormal.is_(True))
    if filters.get("attended") == "1":
        stmt = stmt.where(WageProgress.attended > 0)
    if "colour" in filters:
        stmt = stmt.where(WageProgress.colour == filters["colour"])
    if "flag" in filters:
        stmt = stmt.where(WageProgress.flag_codes.contains(f",{filters['flag']},"))
    return stmt


def count(user, filters: dict) -> int:
    """How many rows the list shows with these filters (the 首页 counts read it)."""
    return db.session.scalar(filtered(user, filters).with_only_columns(func.count()))


def summary(user, filters: dict) -> Summary:
    stmt = filtered(user, filters).with_only_columns(func.count(), func.min(WageProgress.computed_at))
    total, oldest = db.session.execute(stmt).one()
    changed = db.session.scalar(select(func.max(RuleSetting.changed_at)).where(
        RuleSetting.code.startswith("wage."), RuleSetting.changed_by.is_not(None)))
    return Summary(total, oldest, changed)


@dataclass(frozen=True)
class Row:
    progress: WageProgress
    name: str
    code: str
    region: str
    contractor: str
    payday: int


def listing(user, filters: dict, sort: str):
    """The rows with what the table shows beside the figures, in the chosen order (the id breaks ties)."""
    return _with_names(filtered(user, filters)).order_by(*KEYS[sort].order_by())


def _with_names(stmt):
    return stmt.join(Enterprise, Enterprise.id == Project.contractor_id) \
        .outerjoin(Region, Region.code == Project.region_code) \
        .add_columns(Project.name, Project.code, func.coalesce(Region.name, Project.region_code), Enterprise.name,
                     Project.payday)


def page(user, filters: dict, sort: str, wanted: lists.PageRequest, total: int) -> lists.Page:
    """One page by keyset on the narrow (sort key, id) rows; only the page's 20 rows are then read whole —
    sorting 8,000 whole rows (flags and all) spilled to disk and cost a deep page 100 ms more."""
    order = KEYS[sort]

    def load(rows):
        ids = [row[0] for row in rows]
        stmt = _with_names(select(WageProgress).join(Project, Project.id == WageProgress.project_id)) \
            .where(WageProgress.id.in_(ids))
        found = {row[0].id: Row(*row) for row in db.session.execute(stmt)}
        return [found[i] for i in ids]

    narrow = filtered(user, filters).with_only_columns(WageProgress.id)
    return lists.paginate(narrow, order, wanted, total=total, load=load)


def rows_for_export(user, filters: dict, sort: str):
    """Every matching row, streamed, in the page's order."""
    for row in db.session.execute(listing(user, filters, sort).execution_options(yield_per=1000)):
        yield Row(*row)
