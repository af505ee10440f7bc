"""Test data for 数据通报: projects with chosen R4 facts, a paid or unpaid wage month, complaints of that month."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from tests.factories import ProjectFactory, employ, make_worker
from tests.wages_data import add_account, attend, sheet
from wagewatch import clock
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Complaint
from wagewatch.rules.wages import last_passed_month, month_span


def wage_month() -> str:
    return last_passed_month(clock.beijing_today())


def project(name, region="652328", trade="housing", account=True, deposit="cash", realname=True, notice=True,
            officer=True, pay=None):
    """pay: None (no attendance in the wage month), "full" (all paid) or "unpaid" (a sheet nobody was paid on)."""
    p = ProjectFactory(name=name, region=region, trade=trade, review_status="approved", status="in_progress",
                       deposit_form=deposit, labour_officer_name="王芳" if officer else None,
                       notice_board_posted_on=date(2022, 6, 1) if notice else None)
    if account:
        add_account(p)
    worker = make_worker(f"{name}工人")
    employ(p, worker)
    if realname:
        day = clock.beijing_today() - timedelta(days=1)
        at = datetime.combine(day, datetime.min.time(), UTC)
        db.session.add(AttendanceDay(project_id=p.id, worker_id=worker.id, day=day, first_in=at, last_out=at,
                                     punches=2, work_minutes=480, status="normal"))
    if pay:
        month = wage_month()
        attend(p, worker, 22, month)
        status, paid = ("paid", "6000") if pay == "full" else ("pending", None)
        sheet(p, f"PR-{p.id}", [(worker, 22, "6000", status, paid, False, None)], month=month)
    db.session.flush()
    return p


def complaint(number, region="652328", trade="housing", closed_after_days=None, supervised=False):
    """A complaint submitted on the 2nd of the wage month, closed after the given days (None: still open)."""
    first = month_span(wage_month())[0]
    at = datetime.combine(first + timedelta(days=1), datetime.min.time(), UTC)
    case = Complaint(complaint_no=number, project_name="某工程", contractor_name="某建设公司", complainant_name="张三",
                     type="拖欠工资", amount_claimed=Decimal(1000), description="", submitted_at=at,
                     status="closed" if closed_after_days is not None else "open",
                     closed_at=at + timedelta(days=closed_after_days) if closed_after_days is not None else None,
                     supervision_status="supervising" if supervised else "none", industry=trade)
    case.set_region(region)
    db.session.add(case)
    db.session.flush()
    return case
