"""R2 figures of many project-months at once: a few grouped SQL statements, never one query per project.

API (shared with 数据通报 and the refresh job):
- `month_figures(project_ids, month, settings) -> dict[project_id, rules.wages.Figures]`
    project_ids: a list of ids or a select/scalar subquery of Project.id (e.g. scope.project_ids(user)).
    Projects with neither attendance nor payroll lines in the month are absent from the answer.
- `month_verdicts(project_ids, month, today, settings) -> dict[project_id, (Figures, Verdict)]`
    the same plus each project's payday, through rules.wages.evaluate.
Both run 5 statements whatever the number of projects; tests hold them equal to rules.wages.figures().
"""
from decimal import Decimal

from sqlalchemy import and_, case, func, literal, or_, select

from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Employment, Payroll, PayrollLine, Project, WageAccount
from wagewatch.models._types import Money
from wagewatch.rules import wages as rules

ZERO = Decimal("0.00")
SHEET_FIELDS = ("on_payroll", "paid", "failed", "retrying", "pending", "amount_due", "amount_paid", "below_min",
                "outliers", "paid_no_attendance")


def _ids_condition(column, project_ids):
    if isinstance(project_ids, (list, tuple, set, frozenset)):
        return column.in_(list(project_ids))
    return column.in_(project_ids)


def _money_sum(expr):
    return func.coalesce(func.sum(expr), literal(0, Money)).cast(Money)


def worker_lines(project_ids, month: str):
    """One row per (project, worker) with their lines of the month merged, and the worker's state (R2)."""
    regular = PayrollLine.is_back_pay.is_(False)
    is_paid = PayrollLine.pay_status == "paid"
    n_lines, n_paid = func.count(), func.sum(case((is_paid, 1), else_=0))
    paid_amount = _money_sum(case((is_paid, PayrollLine.amount_paid), else_=None))
    regular_due = _money_sum(case((regular, PayrollLine.amount_due), else_=None))
    state = case(
        (or_(n_paid == n_lines, and_(paid_amount > 0, paid_amount >= regular_due)), "paid"),
        (func.sum(case((PayrollLine.pay_status == "failed", 1), else_=0)) > 0, "failed"),
        (func.sum(case((PayrollLine.pay_status == "retrying", 1), else_=0)) > 0, "retrying"),
        else_="pending")
    return select(
        Payroll.project_id.label("project_id"), PayrollLine.worker_id.label("worker_id"),
        func.coalesce(func.sum(case((regular, PayrollLine.days_worked), else_=0)), 0).label("days"),
        regular_due.label("regular_due"), _money_sum(PayrollLine.amount_due).label("amount_due"),
        paid_amount.label("amount_paid"), state.label("state"),
        func.count(func.distinct(PayrollLine.payroll_id)).label("sheets"),
    ).join(Payroll, Payroll.id == PayrollLine.payroll_id) \
        .where(Payroll.month == month, _ids_condition(Payroll.project_id, project_ids)) \
        .group_by(Payroll.project_id, PayrollLine.worker_id)


def attendance_workers(project_ids, month: str):
    """One row per (project, worker) with attendance days in the month."""
    first, last = rules.month_span(month)
    return select(AttendanceDay.project_id.label("project_id"), AttendanceDay.worker_id.label("worker_id"),
                  func.count().label("days")) \
        .where(_ids_condition(AttendanceDay.project_id, project_ids), AttendanceDay.day.between(first, last)) \
        .group_by(AttendanceDay.project_id, AttendanceDay.worker_id)


def month_figures(project_ids, month: str, settings: dict) -> dict[int, rules.Figures]:
    first, last = rules.month_span(month)
    w, a = worker_lines(project_ids, month).subquery("w"), attendance_workers(project_ids, month).subquery("a")
    paid = w.c.state == "paid"

    def count_if(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    sheet_rows = db.session.execute(
        select(w.c.project_id, func.count(), count_if(paid), count_if(w.c.state == "failed"),
               count_if(w.c.state == "retrying"), count_if(w.c.state == "pending"),
               _money_sum(w.c.amount_due), _money_sum(w.c.amount_paid),
               count_if(and_(w.c.days >= settings["wage.full_month_days"],
                             w.c.regular_due < settings["wage.min_monthly"])),
               count_if(w.c.regular_due > settings["wage.outlier_monthly"]),
               count_if(and_(w.c.amount_paid > 0, a.c.worker_id.is_(None))))
        .select_from(w).outerjoin(a, and_(a.c.project_id == w.c.project_id, a.c.worker_id == w.c.worker_id))
        .group_by(w.c.project_id))
    attendee_rows = db.session.execute(
        select(a.c.project_id, func.count(), count_if(paid))
        .select_from(a).outerjoin(w, and_(w.c.project_id == a.c.project_id, w.c.worker_id == a.c.worker_id))
        .group_by(a.c.project_id))
    found: dict[int, dict] = {}
    for pid, *values in sheet_rows:
        found[pid] = dict(zip(SHEET_FIELDS, values, strict=True))
        found[pid]["amount_due"], found[pid]["amount_paid"] = (Decimal(found[pid]["amount_due"]),
                                                               Decimal(found[pid]["amount_paid"]))
    for pid, attended, attended_paid in attendee_rows:
        found.setdefault(pid, {}).update(attended=attended, attended_paid=attended_paid)
    if not found:
        return {}
    employed = dict(db.session.execute(
        select(Employment.project_id, func.count(func.distinct(Employment.worker_id)))
        .where(Employment.project_id.in_(list(found)), Employment.joined_on <= last,
               or_(Employment.left_on.is_(None), Employment.left_on >= first))
        .group_by(Employment.project_id)).all())
    with_account = set(db.session.scalars(select(WageAccount.project_id)
                                          .where(WageAccount.project_id.in_(list(found)))))
    return {pid: rules.Figures(employed=employed.get(pid, 0), has_account=pid in with_account, **values)
            for pid, values in found.items()}


def month_verdicts(project_ids, month: str, today, settings: dict) -> dict[int, tuple]:
    figs = month_figures(project_ids, month, settings)
    paydays = dict(db.session.execute(select(Project.id, Project.payday).where(Project.id.in_(list(figs)))).all()) \
        if figs else {}
    return {pid: (fig, rules.evaluate(fig, month, paydays[pid], today, settings)) for pid, fig in figs.items()}
