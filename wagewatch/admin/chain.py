"""Walk the audit hash chain (flask audit verify) and purge old entries (never younger than 6 months)."""
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, func, select

from wagewatch import audit
from wagewatch.extensions import db
from wagewatch.models import AuditChainHead, AuditLog
from wagewatch.models._types import utcnow

KEEP_MONTHS = 6


@dataclass
class Verdict:
    checked: int
    broken_id: int | None = None
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify() -> Verdict:
    """Recompute every hash in seq order; the first entry whose content, link or place is wrong is named.

    The first remaining entry's prev_hash is taken as given (older entries may have been purged); after it
    each entry must follow its predecessor with no gap in seq and carry its predecessor's hash.
    """
    stmt = select(AuditLog).order_by(AuditLog.seq).execution_options(yield_per=1000)
    prev: AuditLog | None = None
    checked = 0
    for entry in db.session.scalars(stmt):
        if entry.seq is None or entry.hash is None:
            return Verdict(checked, entry.id, entry.seq, "缺少链字段")
        if prev is not None and entry.seq != prev.seq + 1:
            return Verdict(checked, entry.id, entry.seq, f"序号不连续（上一条为 {prev.seq}），中间的记录被删除")
        if prev is not None and entry.prev_hash != prev.hash:
            return Verdict(checked, entry.id, entry.seq, "与上一条记录的哈希不衔接")
        if audit.link_hash(entry.prev_hash or "", entry) != entry.hash:
            return Verdict(checked, entry.id, entry.seq, "内容与哈希不符，记录被修改")
        prev, checked = entry, checked + 1
    head = db.session.get(AuditChainHead, audit.HEAD_ID)
    if head is not None and prev is not None and (head.seq != prev.seq or head.last_hash != prev.hash):
        return Verdict(checked, prev.id, prev.seq, f"链尾在第 {head.seq} 条，其后的记录被删除")
    return Verdict(checked)


def six_months_before(today: date) -> date:
    month, year = today.month - KEEP_MONTHS, today.year
    if month <= 0:
        month, year = month + 12, year - 1
    day = min(today.day, 28) if month == 2 else min(today.day, 30 if month in (4, 6, 9, 11) else 31)
    return date(year, month, day)


class PurgeRefused(ValueError):
    pass


def purge(before: date, actor: str = "cli") -> int:
    """Delete entries older than `before`; refused when that would remove anything younger than 6 months."""
    limit = six_months_before(utcnow().date())
    if before > limit:
        raise PurgeRefused(f"只能清除 {limit.isoformat()} 之前的记录：操作日志至少保留6个月")
    cutoff = datetime(before.year, before.month, before.day, tzinfo=UTC)
    count = db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.at < cutoff))
    db.session.execute(delete(AuditLog).where(AuditLog.at < cutoff))
    audit.record("audit.purged", object_type="audit_log", actor=actor, before=before.isoformat(), count=count)
    return count
