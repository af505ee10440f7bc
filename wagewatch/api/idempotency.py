"""Idempotency-Key: the same key and body replay the first response; another body answers 409."""
import hashlib

from flask import jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wagewatch.api.body import canonical, parse_body
from wagewatch.api.errors import ApiError, invalid
from wagewatch.extensions import db
from wagewatch.models import IdempotencyRecord

WRITES = {"POST", "PUT", "PATCH"}
MAX_KEY = 64


def respond(payload, status: int):
    response = jsonify(payload)
    response.status_code = status
    return response


def _lookup(client_id: int, key: str) -> IdempotencyRecord | None:
    stmt = select(IdempotencyRecord).where(IdempotencyRecord.client_id == client_id, IdempotencyRecord.key == key)
    return db.session.scalars(stmt).one_or_none()


def _replay(record: IdempotencyRecord, digest: str):
    if record.request_hash != digest:
        raise ApiError(409, "idempotency_conflict", "该Idempotency-Key已用于另一个不同的请求")
    response = respond(record.response, record.status_code)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def run(client, view, args, kwargs):
    """Run a view that returns (payload, status) and has committed its own work.

    Only successful answers are kept: an error wrote nothing, so a retry is simply evaluated again.
    Two identical requests racing with one key both run (natural keys make that harmless); the
    unique (client, key) constraint lets exactly one record win, and the loser replays it.
    """
    key = request.headers.get("Idempotency-Key")
    if request.method not in WRITES or key is None:
        return respond(*view(*args, **kwargs))
    key = key.strip()
    if not key or len(key) > MAX_KEY:
        raise invalid([{"field": "Idempotency-Key", "message": f"Idempotency-Key长度应为1至{MAX_KEY}个字符"}])
    body = parse_body()
    digest = hashlib.sha256(request.method.encode() + b" " + request.path.encode() + b"\n"
                            + canonical(body)).hexdigest()
    found = _lookup(client.id, key)
    if found is not None:
        return _replay(found, digest)
    payload, status = view(*args, **kwargs)
    if status >= 300:
        return respond(payload, status)
    db.session.add(IdempotencyRecord(client_id=client.id, key=key, request_hash=digest, status_code=status,
                                     response=payload))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        found = _lookup(client.id, key)
        if found is None:  # pragma: no cover - the conflicting row is committed before we see the error
            raise
        return _replay(found, digest)
    return respond(payload, status)
