"""Idempotency-Key: claimed before the work, in its transaction; one body per key, the first answer replayed.

A request with a key first inserts its record (unique per client and key), then does the work, then writes
the answer into the record and commits both at once. A second request with the same key waits at that insert
until the first one ends (PostgreSQL waits on the unique index, SQLite on its write lock): if the first
committed, the second replays its answer or, for another body, answers 409 having stored nothing; if the first
failed, its claim went with it and the second does the work itself. Errors store nothing, so a retry is
evaluated again.
"""
import hashlib

from flask import g, jsonify, request
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
    db.session.rollback()  # nothing of this request is kept (and SQLite's write lock is let go)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _claim(client_id: int, key: str, digest: str):
    """Insert this request's record; return None when claimed, or the answer to give instead."""
    for _attempt in range(3):
        record = IdempotencyRecord(client_id=client_id, key=key, request_hash=digest, status_code=0, response={})
        db.session.add(record)
        try:
            db.session.flush()
        except IntegrityError:  # another request holds the key, and has committed
            db.session.rollback()
            found = _lookup(client_id, key)
            if found is not None:
                return _replay(found, digest)
            continue  # its record is gone again (expired and purged): claim it anew
        g.idempotency_claim = record
        return None
    raise ApiError(409, "idempotency_conflict", "该Idempotency-Key正被另一个请求使用，请稍后重试")


def claimed() -> bool:
    return "idempotency_claim" in g


def retrying(work, *args):
    """Run work that stores a document by its natural key; if a concurrent request stored the same key first
    (a unique violation), run it again: it now finds the stored row and compares with it.

    With a claimed Idempotency-Key the work runs in a savepoint, so undoing it keeps the claim. Without one
    the whole transaction starts over (on SQLite a savepoint opened before any write would hold a read lock
    that can deadlock against another writer).
    """
    if not claimed():
        try:
            return work(*args)
        except IntegrityError:
            db.session.rollback()
            return work(*args)
    try:
        with db.session.begin_nested():
            return work(*args)
    except IntegrityError:
        return work(*args)


def run(client, view, args, kwargs):
    """Run a view that returns (payload, status) and flushes its work; commit the work with the claim."""
    key = request.headers.get("Idempotency-Key")
    if request.method not in WRITES or key is None:
        payload, status = view(*args, **kwargs)
        db.session.commit()
        return respond(payload, status)
    key = key.strip()
    if not key or len(key) > MAX_KEY:
        raise invalid([{"field": "Idempotency-Key", "message": f"Idempotency-Key长度应为1至{MAX_KEY}个字符"}])
    body = parse_body()
    digest = hashlib.sha256(request.method.encode() + b" " + request.path.encode() + b"\n"
                            + canonical(body)).hexdigest()
    answered = _claim(client.id, key, digest)
    if answered is not None:
        return answered
    payload, status = view(*args, **kwargs)
    record = g.pop("idempotency_claim")
    if status >= 300:  # only successful answers are kept
        db.session.rollback()
        return respond(payload, status)
    record.status_code, record.response = status, payload
    db.session.commit()
    return respond(payload, status)
