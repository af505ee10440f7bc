"""欠薪投诉 and 投诉流转."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, validates

from wagewatch import crypto
from wagewatch.extensions import db
from wagewatch.models._types import BigId, Money, RegionScoped, UTCDateTime, utcnow
from wagewatch.models.search import trigram_index

COMPLAINT_TYPES = ["拖欠工资", "克扣工资", "未签劳动合同", "其他"]
COMPLAINT_STATUSES = {"open": "投诉中", "handled": "企业已处理", "closed": "已办结"}
APPEAL_STATUSES = {"none": "暂无", "open": "申诉中", "handled": "申诉已处理"}
SUPERVISION_STATUSES = {"none": "未推送监管", "pushed": "已推送监管", "supervising": "督办中", "done": "督办办结"}
EVENT_KINDS = ["submitted", "enterprise_read", "enterprise_handled", "appealed", "appeal_read", "appeal_handled",
               "closed", "pushed", "supervised", "supervision_closed"]


class Complaint(RegionScoped, db.Model):
    __tablename__ = "complaints"
    __table_args__ = (Index("ix_complaints_submitted", "submitted_at", "id"),
                      # a county, prefecture or industry user's list, newest first, seeks on one of these
                      Index("ix_complaints_region_submitted", "region_code", "submitted_at", "id"),
                      Index("ix_complaints_prefecture_submitted", "prefecture_code", "submitted_at", "id"),
                      Index("ix_complaints_industry_submitted", "industry", "submitted_at", "id"),
                      # 投诉编号 is searched by its beginning: a pattern-ops index serves LIKE 'TS2026…%' on PostgreSQL
                      Index("ix_complaints_no_prefix", "complaint_no",
                            postgresql_ops={"complaint_no": "varchar_pattern_ops"}),
                      # 工程名称, 总包单位 and 投诉人 are "contains" searches: trigram indexes on PostgreSQL
                      trigram_index("ix_complaints_project_name_trgm", "project_name"),
                      trigram_index("ix_complaints_contractor_name_trgm", "contractor_name"),
                      trigram_index("ix_complaints_complainant_name_trgm", "complainant_name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_no: Mapped[str] = mapped_column(String(32), unique=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    project_name: Mapped[str] = mapped_column(String(200))
    contractor_name: Mapped[str | None] = mapped_column(String(200))
    complainant_name: Mapped[str] = mapped_column(String(64))
    complainant_id_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    complainant_id_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    complainant_id_masked: Mapped[str | None] = mapped_column(String(11))
    complainant_phone: Mapped[str | None] = mapped_column(String(11), index=True)
    # Keyed hash of the phone, so a search URL can name the phone without containing it (see validates below).
    complainant_phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    type: Mapped[str] = mapped_column(String(16))
    amount_claimed: Mapped[Decimal | None] = mapped_column(Money)
    workers_involved: Mapped[int] = mapped_column(Integer, default=1)
    description: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    appealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appeal_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appeal_handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    appeal_status: Mapped[str] = mapped_column(String(16), default="none", index=True)
    supervision_status: Mapped[str] = mapped_column(String(16), default="none", index=True)
    checks: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @validates("complainant_phone")
    def _hash_phone(self, _key, value):
        self.complainant_phone_hash = crypto.lookup_hash(value) if value else None
        return value


# 推送监管, 督办 and 督办办结 happen at most once per case: two racing requests cannot both record one.
ONCE_PER_CASE = ("pushed", "supervised", "supervision_closed")
_ONCE = text("kind IN ('pushed', 'supervised', 'supervision_closed')")


class ComplaintEvent(db.Model):
    __tablename__ = "complaint_events"
    # An event is its case, kind and time: the same event sent twice (even at once) is stored once; the
    # supervision steps happen at most once per case whatever their time.
    __table_args__ = (Index("ix_complaint_events_complaint_at", "complaint_id", "at"),
                      UniqueConstraint("complaint_id", "kind", "at", name="uq_complaint_events_identity"),
                      Index("uq_complaint_events_once", "complaint_id", "kind", unique=True,
                            sqlite_where=_ONCE, postgresql_where=_ONCE))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
