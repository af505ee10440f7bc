"""欠薪投诉监控 queries: the filtered list, the case with its evidence and timeline; shared by views, export, job.

Every statement starts from scope.restrict(…, Complaint): a complaint carries its project's region and industry
(or its own when it matches no project), so nothing here can reach another jurisdiction.
"""
from dataclasses import dataclass
from datetime import date, datetime

from flask import abort
from sqlalchemy import and_, false, func, or_, select, union
from sqlalchemy.orm import joinedload, selectinload

from wagewatch import clock, keyset, listing, scope
from wagewatch.extensions import db
from wagewatch.models import (
    AttendanceDay,
    Complaint,
    ComplaintEvent,
    Employment,
    Org,
    Payroll,
    PayrollLine,
    Project,
    Region,
    Worker,
)
from wagewatch.orgs import region_chain
from wagewatch.rules.complaint_checks import window_start
from wagewatch.rules.complaints import ClockSettings, cutoffs
from wagewatch.settings import rule_settings

ORDER = keyset.Keyset((Complaint.submitted_at, True), (Complaint.id, True))  # newest first (ix_complaints_submitted)
MAX_ID = 2**31 - 1


def now() -> datetime:
    return clock.now()


def clock_settings() -> ClockSettings:
    return ClockSettings.from_rules(rule_settings())


def _pending_late(c) -> list:
    """Conditions 'a step still owed started before its cutoff', one per R3 step; c holds the step cutoffs."""
    return [
        and_(Complaint.read_at.is_(None), Complaint.submitted_at <= c["read"]),
        and_(Complaint.handled_at.is_(None), Complaint.submitted_at <= c["handle"]),
        and_(Complaint.closed_at.is_(None), Complaint.submitted_at <= c["close"]),
        and_(Complaint.appeal_status != "none", Complaint.appealed_at.is_not(None),
             Complaint.appeal_read_at.is_(None), Complaint.appealed_at <= c["read"]),
        and_(Complaint.appeal_status != "none", Complaint.appealed_at.is_not(None),
             Complaint.appeal_handled_at.is_(None), Complaint.appealed_at <= c["handle"]),
    ]


def timeliness_condition(state: str, at: datetime, settings: ClockSettings):
    """超时情况 as SQL, the same verdict as rules.complaints.timeliness (a test compares them case by case)."""
    cut = cutoffs(at, settings)
    overdue = and_(Complaint.status != "closed",
                   or_(*_pending_late({"read": cut.read, "handle": cut.handle, "close": cut.close})))
    soon_any = and_(Complaint.status != "closed",
                    or_(*_pending_late({"read": cut.read_soon, "handle": cut.handle_soon, "close": cut.close_soon})))
    if state == "overdue":
        return overdue
    if state == "soon":
        # An open case owes its closing, so one not yet overdue was submitted after the close cutoff: that bound
        # adds nothing to the verdict but lets the submitted_at index pick the last close_days of cases.
        return and_(soon_any, ~overdue, Complaint.submitted_at > cut.close)
    # Nothing owed is late or close to it (due soon includes overdue). Written as closed OR recent: an open case
    # with its closing not yet due soon was submitted after close_soon, so two indexes can answer it.
    return or_(Complaint.status == "closed", and_(Complaint.submitted_at > cut.close_soon, ~soon_any))


def _covered_regions(org: Org) -> list[str]:
    """Regions whose nearest org of this kind (and industry) is `org`: an unmatched complaint there is its case."""
    same = select(Org.region_code).where(Org.kind == org.kind)
    same = same.where(Org.industry == org.industry) if org.industry else same.where(Org.industry.is_(None))
    held = set(db.session.scalars(same))
    codes = db.session.scalars(select(Region.code).where(
        or_(Region.code == org.region_code, Region.parent_code == org.region_code,
            org.region_code == "650000")))
    return [code for code in codes
            if next((c for c in region_chain(code) if c in held), None) == org.region_code]


def _org_condition(column, org_id: str):
    org = db.session.get(Org, int(org_id))
    if org is None:
        return false()
    unmatched = and_(Complaint.project_id.is_(None), Complaint.region_code.in_(_covered_regions(org)))
    if org.kind == "industry":
        unmatched = and_(unmatched, Complaint.industry == org.industry)
    # A UNION of two indexed lookups (project_id, region_code) instead of an OR, which only a full scan answers.
    matched = select(Complaint.id).where(Complaint.project_id.in_(select(Project.id).where(column == org.id)))
    return Complaint.id.in_(union(matched, select(Complaint.id).where(unmatched)))


def _complainant_condition(filters: dict):
    """By keyed hash for a full ID or phone number (never decrypted), else the name contains the text."""
    if filters.get("id_hash"):
        return Complaint.complainant_id_hash == filters["id_hash"]
    if filters.get("phone_hash"):
        return Complaint.complainant_phone_hash == filters["phone_hash"]
    return Complaint.complainant_name.contains(filters["complainant"], autoescape=True)


def filtered(user, filters: dict, at: datetime | None = None, settings: ClockSettings | None = None):
    """Visible complaints matching the filter bar (values as the URL holds them)."""
    stmt = scope.restrict(select(Complaint), user, Complaint)
    if "no" in filters:
        stmt = stmt.where(Complaint.complaint_no.startswith(filters["no"].upper(), autoescape=True))
    if "project" in filters:
        stmt = stmt.where(Complaint.project_name.contains(filters["project"], autoescape=True))
    if "contractor" in filters:
        stmt = stmt.where(Complaint.contractor_name.contains(filters["contractor"], autoescape=True))
    if "hr_org" in filters:
        stmt = stmt.where(_org_condition(Project.hr_org_id, filters["hr_org"]))
    if "industry" in filters:
        stmt = stmt.where(Complaint.industry == filters["industry"])
    if "industry_org" in filters:
        stmt = stmt.where(_org_condition(Project.industry_org_id, filters["industry_org"]))
    if {"complainant", "id_hash", "phone_hash"} & filters.keys():
        stmt = stmt.where(_complainant_condition(filters))
    if "type" in filters:
        stmt = stmt.where(Complaint.type == filters["type"])
    if "region" in filters:
        stmt = stmt.where(scope.region_filter(Complaint, filters["region"]))
    if "timeliness" in filters:
        stmt = stmt.where(timeliness_condition(filters["timeliness"], at or now(), settings or clock_settings()))
    if "supervision" in filters:
        stmt = stmt.where(Complaint.supervision_status == filters["supervision"])
    if "submitted_from" in filters:
        stmt = stmt.where(Complaint.submitted_at >= clock.day_bounds(date.fromisoformat(filters["submitted_from"]))[0])
    if "submitted_to" in filters:
        stmt = stmt.where(Complaint.submitted_at < clock.day_bounds(date.fromisoformat(filters["submitted_to"]))[1])
    if filters.get("category") == "complaint":
        stmt = stmt.where(Complaint.appeal_status == "none")
    elif filters.get("category") == "appeal":
        stmt = stmt.where(Complaint.appeal_status.in_(("open", "handled")))  # an IN can use the index
    return stmt


def ordered(stmt):
    """Newest first; the id breaks ties so the order is stable (the export streams in the screen's order)."""
    return stmt.order_by(*ORDER.order_by())


def list_page(user, filters: dict, wanted: listing.PageRequest, at: datetime, settings: ClockSettings) -> listing.Page:
    """One page, read by seeking on (submitted_at, id), never OFFSET; counted on ids alone, up to the cap."""
    stmt = filtered(user, filters, at, settings)
    total = listing.count(stmt.with_only_columns(Complaint.id))
    return listing.paginate(stmt, ORDER, wanted, total=total, load=_with_region_names)


def _with_region_names(rows) -> list[tuple]:
    """(complaint, region name) for a page's rows; the names in one small query, not a join in every seek."""
    cases = [row[0] for row in rows]
    codes = {case.region_code for case in cases}
    found = db.session.execute(select(Region.code, Region.name).where(Region.code.in_(codes)))
    names = {code: name for code, name in found}
    return [(case, names.get(case.region_code)) for case in cases]


def case_id_of(raw) -> int | None:
    raw = str(raw or "")
    if not (raw.isascii() and raw.isdecimal()) or not 0 < int(raw) <= MAX_ID:
        return None
    return int(raw)


def load_case(user, complaint_id: int) -> Complaint:
    """One visible complaint or 404."""
    if not 0 < complaint_id <= MAX_ID:
        abort(404)
    return scope.get_or_404(user, Complaint, complaint_id)


def load_project(complaint: Complaint) -> Project | None:
    """The case's project (in scope with the case itself), with what the pane shows of it."""
    if complaint.project_id is None:
        return None
    return db.session.scalars(select(Project).where(Project.id == complaint.project_id).options(
        selectinload(Project.contractor), selectinload(Project.hr_org).lazyload(Org.region),
        selectinload(Project.industry_org).lazyload(Org.region), selectinload(Project.region),
        joinedload(Project.wage_account))).one_or_none()


def timeline(complaint: Complaint) -> list[ComplaintEvent]:
    return list(db.session.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id)
                                   .order_by(ComplaintEvent.at, ComplaintEvent.id)))


def region_name(code: str | None) -> str:
    return (db.session.scalar(select(Region.name).where(Region.code == code)) if code else None) or (code or "")


@dataclass(frozen=True)
class Evidence:
    """What the platform holds about the complainant on the case's project in the three months before it."""

    window: tuple[date, date]
    on_roster: bool
    attendance_days: list[AttendanceDay]
    payments: list[tuple]  # (month, days_worked, amount_due, amount_paid, pay_status)


def evidence(complaint: Complaint) -> Evidence | None:
    if complaint.project_id is None:
        return None
    day = clock.beijing_day(complaint.submitted_at)
    start = window_start(day)
    worker_id = db.session.scalar(select(Worker.id).where(Worker.id_number_hash == complaint.complainant_id_hash))
    if worker_id is None:
        return Evidence((start, day), False, [], [])
    on_roster = db.session.scalar(select(func.count()).select_from(Employment).where(
        Employment.project_id == complaint.project_id, Employment.worker_id == worker_id)) > 0
    days = list(db.session.scalars(select(AttendanceDay).where(
        AttendanceDay.project_id == complaint.project_id, AttendanceDay.worker_id == worker_id,
        AttendanceDay.day >= start, AttendanceDay.day <= day).order_by(AttendanceDay.day.desc())))
    payments = db.session.execute(
        select(Payroll.month, PayrollLine.days_worked, PayrollLine.amount_due, PayrollLine.amount_paid,
               PayrollLine.pay_status).join(Payroll, Payroll.id == PayrollLine.payroll_id)
        .where(Payroll.project_id == complaint.project_id, PayrollLine.worker_id == worker_id,
               Payroll.month >= f"{start:%Y-%m}", Payroll.month <= f"{day:%Y-%m}")
        .order_by(Payroll.month.desc())).all()
    return Evidence((start, day), on_roster, days, list(payments))
