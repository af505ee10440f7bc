"""R4 facts read set-based, and the monthly figures stored per (county, industry) by the nightly job.

`records()` and `complaints()` are the one place the facts are read: the stored figures and every 未达成项目清单
come from them, so a count on the page and the rows of its file agree (as of the same computation).
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, select, text
from sqlalchemy.orm import aliased

from wagewatch import clock
from wagewatch.extensions import db
from wagewatch.models import BulletinFigure, Complaint, Enterprise, Org, Project, ProjectRealname, WageAccount
from wagewatch.realname.compute import fill_missing, in_force
from wagewatch.rules import bulletin as r4
from wagewatch.rules.wages import last_passed_month, month_span
from wagewatch.settings import rule_settings
from wagewatch.wages.queries import month_verdicts


@dataclass(frozen=True)
class ProjectRecord:
    id: int
    region_code: str
    industry: str
    name: str
    code: str
    hr_org: str
    industry_org: str
    contractor: str
    facts: r4.ProjectFacts
    amount_due: Decimal
    amount_paid: Decimal
    flags: tuple  # R2 flag labels of the wage month, when it is not 按月足额

    @property
    def verdicts(self) -> dict[str, bool]:
        found = r4.achieved(self.facts)
        if self.amount_due:
            found["bank_pay"] = self.amount_paid >= self.amount_due
        return found


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def wage_month_for(month: str, today: date) -> str:
    """The wage month of bulletin month M: the last month whose payday had passed on M's last computed day."""
    return last_passed_month(min(today, month_span(month)[1]))


def records(conditions: list, wage_month: str, today: date) -> list[ProjectRecord]:
    """Every approved 在建 project matching `conditions` (scope and region) with its R4 facts."""
    fill_missing()
    settings = rule_settings()
    hr_org, industry_org, contractor = aliased(Org), aliased(Org), aliased(Enterprise)
    stmt = select(Project.id, Project.region_code, Project.industry, Project.name, Project.code, hr_org.name,
                  industry_org.name, contractor.name, WageAccount.id.is_not(None), Project.deposit_form,
                  ProjectRealname.compliant, Project.notice_board_posted_on.is_not(None),
                  Project.labour_officer_name) \
        .join(ProjectRealname, ProjectRealname.project_id == Project.id) \
        .outerjoin(WageAccount, WageAccount.project_id == Project.id) \
        .outerjoin(hr_org, hr_org.id == Project.hr_org_id) \
        .outerjoin(industry_org, industry_org.id == Project.industry_org_id) \
        .join(contractor, contractor.id == Project.contractor_id) \
        .where(in_force(), *conditions).order_by(Project.region_code, Project.id)
    rows = db.session.execute(stmt).all()
    ids = select(Project.id).where(in_force(), *conditions)
    wages = month_verdicts(ids, wage_month, today, settings) if rows else {}
    found = []
    for (pid, region, industry, name, code, hr_name, industry_name, contractor_name, account, deposit, realname,
         notice, officer) in rows:
        fig, verdict = wages.get(pid, (None, None))
        full_pay = (not verdict.abnormal) if fig is not None and fig.attended else None
        facts = r4.ProjectFacts(bool(account), deposit, bool(realname), bool(notice),
                                bool(officer and officer.strip()), full_pay)
        flags = tuple(flag.label for flag in verdict.flags) if full_pay is False else ()
        found.append(ProjectRecord(pid, region, industry, name, code, hr_name or "", industry_name or "",
                                   contractor_name, facts, fig.amount_due if fig else Decimal(0),
                                   fig.amount_paid if fig else Decimal(0), flags))
    return found


def complaints(conditions: list, wage_month: str) -> list[Complaint]:
    """Complaints submitted in the wage month (Beijing days) matching `conditions`."""
    first, last = month_span(wage_month)
    start, end = clock.day_bounds(first)[0], clock.day_bounds(last)[1]
    stmt = select(Complaint).where(Complaint.submitted_at >= start, Complaint.submitted_at < end, *conditions) \
        .order_by(Complaint.submitted_at, Complaint.id)
    return list(db.session.scalars(stmt))


def complaint_verdicts(complaint: Complaint, now: datetime, settings: dict) -> dict[str, bool]:
    found = {}
    on_time = r4.complaint_on_time(complaint.submitted_at, complaint.closed_at, now,
                                   settings["complaint.close_days"])
    if on_time is not None:
        found["complaint"] = on_time
    if complaint.supervision_status in ("supervising", "done"):
        found["supervised"] = False  # a count: each supervised complaint is one row of its list
    return found


def figures_of(projects: list[ProjectRecord], cases: list[Complaint], now: datetime,
               settings: dict) -> dict[tuple, dict[str, r4.Figure]]:
    """{(region_code, industry): {indicator: Figure}} from the records."""
    out: dict[tuple, dict] = {}
    for record in projects:
        figures = out.setdefault((record.region_code, record.industry), {})
        r4.add_figures(figures, "projects", True)
        for key, ok in record.verdicts.items():
            if key == "bank_pay":
                r4.add_figures(figures, key, ok, record.amount_paid, record.amount_due)
            else:
                r4.add_figures(figures, key, ok)
    for case in cases:
        figures = out.setdefault((case.region_code, case.industry), {})
        for key, ok in complaint_verdicts(case, now, settings).items():
            if key == "supervised":
                figures[key] = figures.get(key, r4.Figure()) + r4.Figure(Decimal(1), Decimal(1), 1)
            else:
                r4.add_figures(figures, key, ok)
    return out


SNAPSHOT_LOCK = 0x5757_4255  # any constant of ours: the advisory lock that runs one snapshot at a time


def serialise_snapshots() -> None:
    """A snapshot deletes the month's rows and writes them again: two at once (the nightly job and a first
    view's job) would both insert. On PostgreSQL the second waits for the first's commit, then rewrites; SQLite
    lets one writer in at a time anyway."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SNAPSHOT_LOCK})


def snapshot(today: date | None = None) -> int:
    """Store the current month's figures for every (county, industry); returns rows written. Caller commits."""
    today = today or clock.beijing_today()
    serialise_snapshots()
    month = month_of(today)
    wage_month = wage_month_for(month, today)
    now, settings = clock.now(), rule_settings()
    grouped = figures_of(records([], wage_month, today), complaints([], wage_month), now, settings)
    db.session.execute(delete(BulletinFigure).where(BulletinFigure.month == month))
    rows = []
    for (region, industry), figures in grouped.items():
        for key, figure in figures.items():
            row = BulletinFigure(month=month, wage_month=wage_month, indicator=key, industry=industry,
                                 numerator=figure.numerator, denominator=figure.denominator,
                                 failing=figure.failing, computed_at=now)
            row.set_region(region)
            rows.append(row)
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)
