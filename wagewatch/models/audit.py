"""审计日志: who did what, when, to which object, from which address; each entry hash-chained to the one before."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from wagewatch.extensions import db
from wagewatch.models._types import BigId, UTCDateTime, utcnow


class AuditLog(db.Model):
    __tablename__ = "audit_log"
    # 操作日志 filters read newest first (ORDER BY id DESC): each filter column is indexed together with id.
    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id", "at"),
                      Index("ix_audit_log_actor_id", "actor", "id"), Index("ix_audit_log_action_id", "action", "id"),
                      Index("ix_audit_log_org_id_id", "org_id", "id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"))
    # The chain: seq orders the entries, hash = sha256(prev_hash + the entry's canonical content).
    seq: Mapped[int | None] = mapped_column(BigId, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(db.Model):
    """One row: the last link of the chain. Updating it serialises concurrent writers on both databases."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigId, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
