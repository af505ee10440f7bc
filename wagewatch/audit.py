"""record(): the one way to write the audit log."""
from flask import has_request_context, request
from flask_login import current_user

from wagewatch.extensions import db
from wagewatch.models import AuditLog


def client_address() -> str | None:
    return request.remote_addr if has_request_context() else None


def record(action: str, obj=None, *, object_type: str | None = None, object_id=None, actor: str | None = None,
           user_id: int | None = None, **details) -> AuditLog:
    """Add an audit row to the current transaction; the caller commits with its own change."""
    if user_id is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        user_id = current_user.id
        actor = actor or current_user.username
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    entry = AuditLog(user_id=user_id, actor=actor or "system", action=action, object_type=object_type,
                     object_id=None if object_id is None else str(object_id), address=client_address(),
                     details=details)
    db.session.add(entry)
    return entry
