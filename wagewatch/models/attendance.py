"""打卡记录 and 考勤日报, plus the aggregation watermark."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wagewatch.extensions import db
from wagewatch.models._types import BigId, UTCDateTime, utcnow

DAY_STATUSES = {"normal": "正常", "single": "单次打卡"}


class Punch(db.Model):
    __tablename__ = "punches"
    __table_args__ = (
        UniqueConstraint("worker_id", "project_id", "punched_at", "device_id", name="uq_punches_natural"),
        Index("ix_punches_received_at", "received_at"),
        Index("ix_punches_project_punched", "project_id", "punched_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    punched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    device_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AttendanceDay(db.Model):
    __tablename__ = "attendance_days"
    __table_args__ = (
        UniqueConstraint("project_id", "worker_id", "day", name="uq_attendance_days_natural"),
        Index("ix_attendance_days_project_day", "project_id", "day"),
        Index("ix_attendance_days_worker_day", "worker_id", "day"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    day: Mapped[date] = mapped_column(Date)
    first_in: Mapped[datetime] = mapped_column(UTCDateTime)
    last_out: Mapped[datetime] = mapped_column(UTCDateTime)
    punches: Mapped[int] = mapped_column(Integer)
    work_minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))


class AggregationRun(db.Model):
    """Where the nightly aggregation stopped: punches received after `until` are still to do."""

    __tablename__ = "aggregation_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    days_written: Mapped[int] = mapped_column(Integer, default=0)
