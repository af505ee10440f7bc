"""导出任务: one row per export a user asked for."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wagewatch.extensions import db
from wagewatch.models._types import UTCDateTime, utcnow

# waiting: another export of the same user is running (one at a time per user); it starts when that one ends.
EXPORT_STATUSES = {"queued": "排队中", "waiting": "等待中", "running": "生成中", "done": "完成", "failed": "失败"}


class ExportJob(db.Model):
    __tablename__ = "export_jobs"
    __table_args__ = (Index("ix_export_jobs_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The supervisory unit whose scope the file was built for: a user moved to another org cannot download it.
    org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"))
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[str] = mapped_column(String(300), default="")  # the filters in words, for 我的导出
    status: Mapped[str] = mapped_column(String(16), default="queued")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    file: Mapped[str | None] = mapped_column(String(255))
    filename: Mapped[str | None] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def status_label(self) -> str:
        return EXPORT_STATUSES.get(self.status, self.status)
