"""首页 as the regulator's desk: counts of what needs action in the user's jurisdiction, each with its list."""
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import func, select

from wagewatch import clock, listing, scope
from wagewatch.bulletin.compute import month_of
from wagewatch.bulletin.queries import ensure_current
from wagewatch.complaints import queries as complaints
from wagewatch.extensions import db
from wagewatch.home.blueprint import bp
from wagewatch.models import BulletinFigure, Complaint, Project
from wagewatch.realname import queries as realname
from wagewatch.rules.bulletin import BY_KEY, Figure
from wagewatch.rules.wages import last_passed_month
from wagewatch.wages.progress import count

HEADLINES = ("realname", "full_pay", "overall", "complaint")
COMPLAINT_FILTERS = {"overdue": ("timeliness", "overdue"), "due-soon": ("timeliness", "soon"),
                     "supervising": ("supervision", "supervising")}
COMPLAINT_LABELS = {"overdue": "投诉已超时", "due-soon": "投诉即将超时", "supervising": "督办中"}


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int
    url: str


def complaint_counts(user) -> dict[str, int]:
    """已超时 / 即将超时 / 督办中 with the 欠薪投诉监控 list's own filter conditions, so each count is its total."""
    return {key: listing.count(complaints.filtered(user, {name: value}).with_only_columns(Complaint.id))
            for key, (name, value) in COMPLAINT_FILTERS.items()}


def wage_warnings(user, month: str) -> dict[str, int]:
    """Project-months of the 工资代发实时进度 list whose most serious flag is red / orange: that list's own
    `colour` filter, so each count is the total of the list it links to."""
    return {colour: count(user, {"month": month, "colour": colour}) for colour in ("red", "orange")}


def stored(user, month: str) -> tuple[dict[str, Figure], str | None]:
    """The current bulletin's figures summed over the user's jurisdiction, and their wage month."""
    stmt = scope.restrict(select(BulletinFigure.indicator, func.sum(BulletinFigure.numerator),
                                 func.sum(BulletinFigure.denominator), func.sum(BulletinFigure.failing),
                                 func.max(BulletinFigure.wage_month))
                          .where(BulletinFigure.month == month).group_by(BulletinFigure.indicator),
                          user, BulletinFigure)
    figures, wage_month = {}, None
    for key, num, den, failing, wmonth in db.session.execute(stmt):
        figures[key] = Figure(num or 0, den or 0, int(failing or 0))
        wage_month = wage_month or wmonth
    return figures, wage_month


@bp.app_template_global("desk")
def desk(user) -> dict:
    """What the 首页 partial shows; it asks for it only when rendered."""
    today = clock.beijing_today()
    month = month_of(today)
    ensure_current(today)
    figures, wage_month = stored(user, month)
    pending = db.session.scalar(scope.restrict(select(func.count()).select_from(Project)
                                               .where(Project.review_status == "pending"), user)) or 0
    cases = complaint_counts(user)
    wage_month = wage_month or last_passed_month(today)
    flags = wage_warnings(user, wage_month)
    # Every count uses its list's own filter conditions, so it equals the total of the list it links to.
    counts = [
        Count("pending", "未审核工程", pending, url_for("projects.approvals", tab="pending")),
        Count("realname", "实名制未达标工程", realname.count(user, {"compliance": "failed"}),
              url_for("realname.index", compliance="failed")),
        Count("flag-red", f"{wage_month} 工资红色预警", flags["red"],
              url_for("wages.progress", month=wage_month, colour="red")),
        Count("flag-orange", f"{wage_month} 工资橙色预警", flags["orange"],
              url_for("wages.progress", month=wage_month, colour="orange")),
        *(Count(key, COMPLAINT_LABELS[key], cases[key], url_for("complaints.index", **{name: value}))
          for key, (name, value) in COMPLAINT_FILTERS.items()),
    ]
    headlines = [(BY_KEY[key], figures.get(key)) for key in HEADLINES]
    return {"counts": counts, "headlines": headlines, "month": month}
