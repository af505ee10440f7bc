"""record(): the one way to write the audit log; every entry is hash-chained to the one before it.

The chain head is a single row. record() first bumps its sequence with an UPDATE, which takes the row's write
lock (PostgreSQL row lock, SQLite database lock) until the transaction ends: concurrent writers queue behind it
and each reads the hash its predecessor committed, so the chain never forks.
"""
import hashlib
import json

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from wagewatch.extensions import db
from wagewatch.models import AuditChainHead, AuditLog, User
from wagewatch.models._types import utcnow

GENESIS = "0" * 64
HEAD_ID = 1


def client_address() -> str | None:
    return request.remote_addr if has_request_context() else None


def canonical(entry: AuditLog) -> str:
    """The content a hash covers, in one fixed spelling (keys sorted, times in UTC ISO form)."""
    return json.dumps({
        "seq": entry.seq, "at": entry.at.isoformat(), "user_id": entry.user_id, "org_id": entry.org_id,
        "actor": entry.actor, "action": entry.action, "object_type": entry.object_type,
        "object_id": entry.object_id, "address": entry.address, "details": entry.details,
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def link_hash(prev_hash: str, entry: AuditLog) -> str:
    return hashlib.sha256((prev_hash + "\n" + canonical(entry)).encode()).hexdigest()


def _claim_next() -> tuple[int, str]:
    """Lock the chain head and return (next seq, previous hash)."""
    for _attempt in range(2):
        bumped = db.session.execute(update(AuditChainHead).where(AuditChainHead.id == HEAD_ID)
                                    .values(seq=AuditChainHead.seq + 1))
        if bumped.rowcount:
            head = db.session.execute(select(AuditChainHead.seq, AuditChainHead.last_hash)
                                      .where(AuditChainHead.id == HEAD_ID)).one()
            return head.seq, head.last_hash
        try:  # the first entry ever: create the head (a parallel first writer makes this fail; then update)
            with db.session.begin_nested():
                db.session.add(AuditChainHead(id=HEAD_ID, seq=0, last_hash=GENESIS))
        except IntegrityError:
            pass
    raise RuntimeError("audit chain head unavailable")


def _plain(details: dict) -> dict:
    """Details as they read back from the JSON column, so the hash is computed over what is stored."""
    return json.loads(json.dumps(details, ensure_ascii=False, default=str))


def record(action: str, obj=None, *, object_type: str | None = None, object_id=None, actor: str | None = None,
           user_id: int | None = None, **details) -> AuditLog:
    """Add an audit row to the current transaction; the caller commits with its own change."""
    org_id = None
    if user_id is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        user_id = current_user.id
        actor = actor or current_user.username
        org_id = current_user.org_id
    elif user_id is not None:
        org_id = db.session.scalar(select(User.org_id).where(User.id == user_id))
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    seq, prev_hash = _claim_next()
    entry = AuditLog(at=utcnow(), user_id=user_id, org_id=org_id, actor=(actor or "system")[:64], action=action,
                     object_type=object_type, object_id=None if object_id is None else str(object_id)[:64],
                     address=client_address(), details=_plain(details), seq=seq, prev_hash=prev_hash)
    # Stored timestamps keep microseconds on both databases; hash what will read back.
    entry.hash = link_hash(prev_hash, entry)
    db.session.add(entry)
    db.session.execute(update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(last_hash=entry.hash))
    return entry
