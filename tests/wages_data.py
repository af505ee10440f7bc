"""Test data for 工资管理: payroll sheets, lines and attendance of a project-month, built through the models."""
from datetime import UTC, date, datetime
from decimal import Decimal

from tests.factories import ProjectFactory, TeamFactory, employ, make_worker
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Payroll, PayrollLine, WageAccount
from wagewatch.rules.wages import Line

MONTH = "2026-09"
SUBMITTED = datetime(2026, 10, 10, 2, 0, tzinfo=UTC)
PAID_AT = datetime(2026, 10, 15, 3, 0, tzinfo=UTC)


def add_account(project) -> None:
    db.session.add(WageAccount(project_id=project.id, bank_name="中国农业银行木垒县支行", account_no_enc=b"x",
                               account_no_hash=f"h{project.id}", account_no_masked="**** 1234",
                               account_name=f"{project.name}农民工工资专用账户"))


def attend(project, worker, days: int, month: str = MONTH) -> None:
    year, number = int(month[:4]), int(month[5:])
    for day in range(1, days + 1):
        at = datetime(year, number, day, 1, 0, tzinfo=UTC)
        db.session.add(AttendanceDay(project_id=project.id, worker_id=worker.id, day=date(year, number, day),
                                     first_in=at, last_out=at.replace(hour=10), punches=2, work_minutes=540,
                                     status="normal"))


def sheet(project, number: str, lines: list[tuple], team=None, month: str = MONTH) -> Payroll:
    """lines: (worker, days, due, status, paid amount or None, back pay?, fail reason)."""
    payroll = Payroll(payroll_no=number, project_id=project.id, month=month, team_id=team.id if team else None,
                      submitted_at=SUBMITTED, status="submitted")
    db.session.add(payroll)
    db.session.flush()
    for worker, days, due, status, paid, back, reason in lines:
        db.session.add(PayrollLine(payroll_id=payroll.id, worker_id=worker.id, days_worked=days,
                                   amount_due=Decimal(due), amount_paid=Decimal(paid) if paid else None,
                                   pay_status=status, is_back_pay=back, fail_reason=reason,
                                   paid_at=PAID_AT if status != "pending" else None,
                                   bank_batch_no="B1" if status != "pending" else None))
    db.session.flush()
    return payroll


def rule_lines(payrolls: list[Payroll]) -> list[Line]:
    return [Line(l.worker_id, l.days_worked, l.amount_due, l.amount_paid, l.pay_status, l.is_back_pay,
                 l.payroll_id, l.paid_at)
            for p in payrolls for l in db.session.query(PayrollLine).filter_by(payroll_id=p.id)]


def build_month(name="木垒县第一中学教学楼", region="652328", trade="housing", account=True):
    """A project whose month holds every R2 case: paid, failed, retried, 补发, two sheets, below the minimum,
    over 50,000, paid without attendance, attended and on no sheet."""
    project = ProjectFactory(name=name, region=region, trade=trade, review_status="approved", status="in_progress")
    if account:
        add_account(project)
    rebar, masons = TeamFactory(project_id=project.id, name="钢筋班"), TeamFactory(project_id=project.id, name="砌筑班")
    w = [make_worker(f"{name[:2]}工人{i}") for i in range(8)]
    for worker in w:
        employ(project, worker, rebar, joined_on=date(2026, 1, 1))
    for worker in w[:7]:
        attend(project, worker, 22)
    a = sheet(project, f"GZ-{project.code}-01", [
        (w[0], 22, "5280.00", "paid", "5280.00", False, None),
        (w[1], 22, "5280.00", "failed", None, False, "账户已冻结"),
        (w[2], 24, "1500.00", "paid", "1500.00", False, None),        # below 1,900 for a full month
        (w[3], 22, "56800.00", "paid", "56800.00", False, None),      # over 50,000
        (w[4], 11, "2640.00", "paid", "2640.00", False, None),        # also on sheet b
        (w[5], 22, "5280.00", "retrying", None, False, "户名不符"),
        (w[7], 20, "4800.00", "paid", "4800.00", False, None),        # paid, no attendance
    ], rebar)
    b = sheet(project, f"GZ-{project.code}-02", [
        (w[4], 11, "2640.00", "paid", "2640.00", False, None),
        (w[1], 22, "5280.00", "pending", None, True, None),           # 补发 not yet paid
    ], masons)
    # w[6] attended and is on no sheet
    db.session.flush()
    return project, w, [a, b]


def build_clean(name="木垒县人民医院门诊楼", region="652328", trade="housing", workers=3, amount="4400.00"):
    """A project whose month is fully paid to everyone who attended: 已足额发放, no flag."""
    project = ProjectFactory(name=name, region=region, trade=trade, review_status="approved", status="in_progress")
    add_account(project)
    people = [make_worker(f"{name[:2]}全额{i}") for i in range(workers)]
    for worker in people:
        employ(project, worker, None, joined_on=date(2026, 1, 1))
        attend(project, worker, 22)
    sheet(project, f"GZ-{project.code}-01", [(w, 22, amount, "paid", amount, False, None) for w in people])
    return project, people
