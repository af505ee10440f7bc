"""工资单 and 工资单明细."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
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
