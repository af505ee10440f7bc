"""工资单, 工资单明细, and the precomputed R2 figures of each project-month (工资代发实时进度)."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wagewatch.extensions import db
from wagewatch.models._types import BigId, Money, UTCDateTime, utcnow

PAY_STATUSES = {"pending": "未发", "paid": "已发", "failed": "发放失败", "retrying": "重新发放中"}


class Payroll(db.Model):
    __tablename__ = "payrolls"
    __table_args__ = (Index("ix_payrolls_project_month", "project_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payroll_no: Mapped[str] = mapped_column(String(64), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    month: Mapped[str] = mapped_column(String(7))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PayrollLine(db.Model):
    __tablename__ = "payroll_lines"
    __table_args__ = (
        UniqueConstraint("payroll_id", "worker_id", name="uq_payroll_lines_payroll_worker"),
        Index("ix_payroll_lines_worker", "worker_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    payroll_id: Mapped[int] = mapped_column(ForeignKey("payrolls.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    days_worked: Mapped[int] = mapped_column(Integer)
    amount_due: Mapped[Decimal] = mapped_column(Money)
    amount_paid: Mapped[Decimal | None] = mapped_column(Money)
    is_back_pay: Mapped[bool] = mapped_column(Boolean, default=False)
    pay_status: Mapped[str] = mapped_column(String(16), default="pending")
    fail_reason: Mapped[str | None] = mapped_column(String(200))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bank_batch_no: Mapped[str | None] = mapped_column(String(64))


class WageProgress(db.Model):
    """R2 of one project-month as computed by jobs/wages.py (refreshed when sheets or bank results arrive, and
    nightly): the figures, the status and the flags, so the 工资代发实时进度 list filters and sorts in SQL."""

    __tablename__ = "wage_progress"
    __table_args__ = (
        UniqueConstraint("project_id", "month", name="uq_wage_progress_project_month"),
        Index("ix_wage_progress_month_status", "month", "status"),
        Index("ix_wage_progress_month_colour", "month", "colour"),  # the 首页 red / orange counts
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    month: Mapped[str] = mapped_column(String(7))
    employed: Mapped[int] = mapped_column(Integer, default=0)
    attended: Mapped[int] = mapped_column(Integer, default=0)
    on_payroll: Mapped[int] = mapped_column(Integer, default=0)
    paid: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    retrying: Mapped[int] = mapped_column(Integer, default=0)
    pending: Mapped[int] = mapped_column(Integer, default=0)
    attended_paid: Mapped[int] = mapped_column(Integer, default=0)
    below_min: Mapped[int] = mapped_column(Integer, default=0)
    outliers: Mapped[int] = mapped_column(Integer, default=0)
    paid_no_attendance: Mapped[int] = mapped_column(Integer, default=0)
    has_account: Mapped[bool] = mapped_column(Boolean, default=True)
    amount_due: Mapped[Decimal] = mapped_column(Money, default=0)
    amount_paid: Mapped[Decimal] = mapped_column(Money, default=0)
    ratio: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    abnormal: Mapped[bool] = mapped_column(Boolean, default=False)
    flags: Mapped[list] = mapped_column(JSON, default=list)  # [{"code", "colour", "reason"}], in R2's order
    flag_codes: Mapped[str] = mapped_column(String(120), default="")  # ",PAY_LATE,PAY_COVERAGE," for filtering
    colour: Mapped[str | None] = mapped_column(String(8))  # the most serious flag colour; None without flags
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
