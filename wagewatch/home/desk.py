"""首页 as the regulator's desk: counts of what needs action in the user's jurisdiction, each with its list."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import func, select

from wagewatch import clock, scope
from wagewatch.bulletin.compute import month_of
from wagewatch.bulletin.queries import ensure_current
from wagewatch.extensions import db
from wagewatch.home.blueprint import bp
from wagewatch.models import BulletinFigure, Complaint, Project
from wagewatch.realname import queries as realname
from wagewatch.rules.bulletin import BY_KEY, Figure
from wagewatch.settings import rule_settings

HEADLINES = ("realname", "full_pay", "overall", "complaint")


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int
    url: str


def complaint_deadline(complaint, settings) -> datetime:
    """The deadline of the stage an open complaint is in (R3): read, handle, then close."""
    if complaint.read_at is None:
        days = settings["complaint.read_days"]
    elif complaint.handled_at is None:
        days = settings["complaint.handle_days"]
    else:
        days = settings["complaint.close_days"]
    return complaint.submitted_at + timedelta(days=float(days))


def complaint_timeouts(user, settings) -> dict[str, int]:
    """已超时 / 即将超时 (due within complaint.due_soon_hours) among the complaints not yet closed."""
    now = clock.now()
    soon = timedelta(hours=float(settings["complaint.due_soon_hours"]))
    stmt = scope.restrict(select(Complaint.submitted_at, Complaint.read_at, Complaint.handled_at)
                          .where(Complaint.status != "closed"), user, Complaint)
    found = {"overdue": 0, "due_soon": 0}
    for row in db.session.execute(stmt):
        deadline = complaint_deadline(row, settings)
        if deadline < now:
            found["overdue"] += 1
        elif deadline - now <= soon:
            found["due_soon"] += 1
    return found


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
    settings, today = rule_settings(), clock.beijing_today()
    month = month_of(today)
    ensure_current(today)
    figures, wage_month = stored(user, month)
    pending = db.session.scalar(scope.restrict(select(func.count()).select_from(Project)
                                               .where(Project.review_status == "pending"), user)) or 0
    timeouts = complaint_timeouts(user, settings)
    supervising = db.session.scalar(scope.restrict(select(func.count()).select_from(Complaint)
                                                   .where(Complaint.supervision_status == "supervising"),
                                                   user, Complaint)) or 0
    flags = {colour: int(figures[f"flag_{colour}"].numerator) if f"flag_{colour}" in figures else 0
             for colour in ("red", "orange")}
    # The 工资代发实时进度 and 欠薪投诉监控 lists are built elsewhere: their filters `colour` (the most serious R2
    # flag colour), `timeout` and `supervision` must select exactly these rows; until they do, these links are
    # written as plain paths rather than url_for(), which would fail while those endpoints are not registered.
    counts = [
        Count("pending", "未审核工程", pending, url_for("projects.approvals", tab="pending")),
        Count("realname", "实名制未达标工程", realname.count(user, {"compliance": "failed"}),
              url_for("realname.index", compliance="failed")),
        Count("flag-red", f"{wage_month or ''} 工资红色预警", flags["red"],
              f"/wages/progress?month={wage_month or ''}&colour=red"),
        Count("flag-orange", f"{wage_month or ''} 工资橙色预警", flags["orange"],
              f"/wages/progress?month={wage_month or ''}&colour=orange"),
        Count("overdue", "投诉已超时", timeouts["overdue"], "/complaints?timeout=overdue"),
        Count("due-soon", "投诉即将超时", timeouts["due_soon"], "/complaints?timeout=due_soon"),
        Count("supervising", "督办中", supervising, "/complaints?supervision=supervising"),
    ]
    headlines = [(BY_KEY[key], figures.get(key)) for key in HEADLINES]
    return {"counts": counts, "headlines": headlines, "month": month}
