"""打卡记录 and 考勤日报, plus the aggregation watermark."""
from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Identity,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column

from wagewatch import partitions
from wagewatch.extensions import db
from wagewatch.models._types import BigId, UTCDateTime, utcnow

DAY_STATUSES = {"normal": "正常", "single": "单次打卡"}


class Punch(db.Model):
    """A device punch. On PostgreSQL the table is partitioned by Beijing month of punched_at (wagewatch/partitions.py),
    so the primary key and the natural key carry punched_at; SQLite keeps one table whose key is the id alone."""

    __tablename__ = "punches"
    __table_args__ = (
        PrimaryKeyConstraint("id", "punched_at", name="pk_punches"),
        UniqueConstraint("worker_id", "project_id", "punched_at", "device_id", name="uq_punches_natural"),
        Index("ix_punches_received_at", "received_at"),
        Index("ix_punches_project_punched", "project_id", "punched_at"),
        {"postgresql_partition_by": partitions.PARTITION_BY},
    )

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    punched_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


partitions.listen(Punch.__table__)


@compiles(PrimaryKeyConstraint, "sqlite")
def _sqlite_primary_key(constraint, compiler, **kw):
    """On SQLite the punches' key is the id alone, so it stays the rowid and keeps numbering itself (a composite
    key would not); punched_at is in the key only because PostgreSQL's partitions require it."""
    if constraint.table is not None and constraint.table.name == "punches":
        return "CONSTRAINT pk_punches PRIMARY KEY (id)"
    return compiler.visit_primary_key_constraint(constraint, **kw)


class AttendanceDay(db.Model):
    """One worker's day on one project, derived from punches by jobs/aggregation.py and by nothing else.

    No foreign keys: every row is computed from punches, whose own foreign keys already guarantee the project
    and the worker; per-row FK triggers cost the nightly aggregation as much as writing the rows themselves.
    """

    __tablename__ = "attendance_days"
    __table_args__ = (
        UniqueConstraint("project_id", "worker_id", "day", name="uq_attendance_days_natural"),
        # A project's days in order, and a region's pages read project by project (worker last: keyset order).
        Index("ix_attendance_days_project_day", "project_id", "day", "worker_id"),
        Index("ix_attendance_days_worker_day", "worker_id", "day"),
        # 人员考勤日报表 lists a date range across many projects newest first (keyset on day, project, worker).
        Index("ix_attendance_days_day_project_worker", "day", "project_id", "worker_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(Integer)
    worker_id: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)
    first_in: Mapped[datetime] = mapped_column(UTCDateTime)
    last_out: Mapped[datetime] = mapped_column(UTCDateTime)
    punches: Mapped[int] = mapped_column(Integer)
    work_minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    # When the row was first written: a punch received after it arrived late and corrected this day.
    first_aggregated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AggregationRun(db.Model):
    """One run of the 考勤日报 aggregation: when, how, rows written, and the error if it failed.

    `until` is the watermark a successful incremental or full run leaves: punches received after it are still
    to do. A failed run (or a --day run) leaves it empty, so the next run starts from the last good one.
    """

    __tablename__ = "aggregation_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    mode: Mapped[str] = mapped_column(String(16), default="incremental")  # incremental | all | day
    day: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | succeeded | failed
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    days_written: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
