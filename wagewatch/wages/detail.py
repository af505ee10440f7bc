"""工资代发实时进度明细 of one visible project-month: its sheets, a sheet's lines, and the evidence of each flag.

The project is checked against the user's scope first (404 otherwise); everything after reads by that id.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import case, func, or_, select

from wagewatch import scope
from wagewatch.extensions import db
from wagewatch.listing import OffsetPage, clamp
from wagewatch.models import (
    AttendanceDay,
    Employment,
    Payroll,
    PayrollLine,
    Project,
    Team,
    WageAccount,
    Worker,
)
from wagewatch.rules import wages as rules
from wagewatch.wages.queries import attendance_workers

CENT = Decimal("0.01")
LINES_PER_PAGE = 50
EVIDENCE_TITLES = {
    "NOT_ON_SHEET": "有考勤但未列入工资单的工人（发薪人数不足 / 逾期未足额发放的依据）",
    "UNPAID_ON_SHEET": "有考勤、列入工资单但尚未发放成功的工人",
    "PAID_NO_ATTENDANCE": "已发薪但当月无考勤的工人",
    "PAY_BELOW_MIN": "出勤满月而应发低于最低工资的工人",
    "PAY_OUTLIER": "当月工资超过上限的工人",
}


@dataclass(frozen=True)
class Sheet:
    id: int
    payroll_no: str
    team: str | None
    submitted_at: datetime
    workers: int
    amount_due: Decimal
    amount_paid: Decimal
    pending: int
    paid: int
    failed: int
    retrying: int
    last_result_at: datetime | None


@dataclass(frozen=True)
class LineRow:
    id: int
    payroll_id: int
    name: str
    id_masked: str
    days_attended: int
    days_worked: int
    amount_due: Decimal
    amount_paid: Decimal | None
    pay_status: str
    is_back_pay: bool
    fail_reason: str | None
    paid_at: datetime | None

    @property
    def status_label(self) -> str:
        return rules.WORKER_STATES[self.pay_status]


@dataclass(frozen=True)
class EvidenceRow:
    name: str
    id_masked: str
    item: rules.Evidence

    @property
    def state_label(self) -> str:
        return rules.WORKER_STATES[self.item.state] if self.item.state else "未列入工资单"


def load_project(user, project_id: int) -> Project:
    return scope.get_project_or_404(user, project_id)


def sheets(project_id: int, month: str) -> list[Sheet]:
    def count(status):
        return func.coalesce(func.sum(case((PayrollLine.pay_status == status, 1), else_=0)), 0)

    paid_amount = func.coalesce(func.sum(case((PayrollLine.pay_status == "paid", PayrollLine.amount_paid))), 0)
    stmt = select(Payroll.id, Payroll.payroll_no, Team.name, Payroll.submitted_at, func.count(PayrollLine.id),
                  func.coalesce(func.sum(PayrollLine.amount_due), 0), paid_amount, count("pending"), count("paid"),
                  count("failed"), count("retrying"), func.max(PayrollLine.paid_at)) \
        .outerjoin(Team, Team.id == Payroll.team_id).outerjoin(PayrollLine, PayrollLine.payroll_id == Payroll.id) \
        .where(Payroll.project_id == project_id, Payroll.month == month) \
        .group_by(Payroll.id, Payroll.payroll_no, Team.name, Payroll.submitted_at) \
        .order_by(Payroll.submitted_at, Payroll.id)
    found = []
    for row in db.session.execute(stmt):
        values = list(row)
        values[5], values[6] = Decimal(values[5]).quantize(CENT), Decimal(values[6]).quantize(CENT)
        found.append(Sheet(*values))
    return found


def sheet_of(project_id: int, month: str, payroll_id: int) -> Payroll | None:
    return db.session.scalars(select(Payroll).where(Payroll.id == payroll_id, Payroll.project_id == project_id,
                                                    Payroll.month == month)).one_or_none()


def lines_statement(project_id: int, month: str, payroll_id: int | None = None):
    """Lines of the project-month (or of one sheet) with the worker and their attendance days in the month."""
    att = attendance_workers([project_id], month).subquery("att")
    stmt = select(PayrollLine.id, PayrollLine.payroll_id, Worker.name, Worker.id_number_masked,
                  func.coalesce(att.c.days, 0), PayrollLine.days_worked, PayrollLine.amount_due,
                  PayrollLine.amount_paid, PayrollLine.pay_status, PayrollLine.is_back_pay, PayrollLine.fail_reason,
                  PayrollLine.paid_at) \
        .join(Payroll, Payroll.id == PayrollLine.payroll_id).join(Worker, Worker.id == PayrollLine.worker_id) \
        .outerjoin(att, att.c.worker_id == PayrollLine.worker_id) \
        .where(Payroll.project_id == project_id, Payroll.month == month)
    if payroll_id is not None:
        stmt = stmt.where(PayrollLine.payroll_id == payroll_id)
    return stmt.order_by(PayrollLine.payroll_id, Worker.name, PayrollLine.id)


def lines(project_id: int, month: str, payroll_id: int | None = None) -> list[LineRow]:
    return [LineRow(*row) for row in db.session.execute(lines_statement(project_id, month, payroll_id))]


def lines_page(project_id: int, month: str, payroll_id: int, number: int) -> OffsetPage:
    """One page of a sheet's lines (a 500-worker sheet opens LINES_PER_PAGE at a time)."""
    total = db.session.scalar(select(func.count()).where(PayrollLine.payroll_id == payroll_id))
    number = clamp(number, total, LINES_PER_PAGE)
    stmt = lines_statement(project_id, month, payroll_id).limit(LINES_PER_PAGE) \
        .offset((number - 1) * LINES_PER_PAGE)
    return OffsetPage([LineRow(*row) for row in db.session.execute(stmt)], number, total, LINES_PER_PAGE)


@dataclass(frozen=True)
class MonthReview:
    """R2 of the project-month computed now from its rows: (Figures, Verdict) or None without any data, and
    the named workers behind each worker-level flag."""

    result: tuple | None
    evidence: dict


def review(project: Project, month: str, today, settings: dict) -> MonthReview:
    """One project's month through the pure rules (the list's SQL gives the same figures; a test holds them
    equal): its lines and attendance read once serve both the figures and the evidence."""
    rule_lines = [rules.Line(*row) for row in db.session.execute(
        select(PayrollLine.worker_id, PayrollLine.days_worked, PayrollLine.amount_due, PayrollLine.amount_paid,
               PayrollLine.pay_status, PayrollLine.is_back_pay, PayrollLine.payroll_id, PayrollLine.paid_at)
        .join(Payroll, Payroll.id == PayrollLine.payroll_id)
        .where(Payroll.project_id == project.id, Payroll.month == month))]
    first, last = rules.month_span(month)
    attended = dict(db.session.execute(
        select(AttendanceDay.worker_id, func.count()).where(AttendanceDay.project_id == project.id,
                                                            AttendanceDay.day.between(first, last))
        .group_by(AttendanceDay.worker_id)).all())
    if not rule_lines and not attended:
        return MonthReview(None, {})
    employed = db.session.scalar(select(func.count(func.distinct(Employment.worker_id))).where(
        Employment.project_id == project.id, Employment.joined_on <= last,
        or_(Employment.left_on.is_(None), Employment.left_on >= first)))
    has_account = db.session.scalar(select(WageAccount.id).where(WageAccount.project_id == project.id)) is not None
    fig = rules.figures(rule_lines, attended, employed, has_account, settings)
    result = (fig, rules.evaluate(fig, month, project.payday, today, settings))
    return MonthReview(result, _named(rules.evidence(rule_lines, attended, settings)))


def _named(found: dict) -> dict[str, list[EvidenceRow]]:
    coverage = found.pop("PAY_COVERAGE")
    found["NOT_ON_SHEET"] = [item for item in coverage if item.state is None]
    found["UNPAID_ON_SHEET"] = [item for item in coverage if item.state is not None]
    found = {code: found[code] for code in EVIDENCE_TITLES if found.get(code)}
    ids = {item.worker_id for items in found.values() for item in items}
    people = {wid: (name, masked) for wid, name, masked in db.session.execute(
        select(Worker.id, Worker.name, Worker.id_number_masked).where(Worker.id.in_(ids)))} if ids else {}
    return {code: [EvidenceRow(*people[item.worker_id], item) for item in items] for code, items in found.items()}
