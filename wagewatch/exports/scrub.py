"""Exports requested before numbers were hashed kept a full ID number or phone in their parameters and audit
entry: rewrite them as hash + mask (personal_search.protect). Idempotent; run nightly with the export purge."""
from sqlalchemy import String, cast, or_, select

from wagewatch.extensions import db
from wagewatch.models import AuditLog, ExportJob
from wagewatch.personal_search import FIELDS, protect


def _holds_a_number(column):
    text = cast(column, String)
    return or_(*(text.like(f'%"{field.name}"%') for field in FIELDS))


def scrub_plain_numbers() -> int:
    """Rewrite every export's parameters (and its export_requested audit entry) that still hold a number."""
    exports = list(db.session.scalars(select(ExportJob).where(_holds_a_number(ExportJob.params))))
    for export in exports:
        export.params = protect(dict(export.params or {}))
    ids = [str(export.id) for export in exports]
    if ids:
        entries = select(AuditLog).where(AuditLog.object_type == "export_jobs", AuditLog.object_id.in_(ids),
                                         AuditLog.action == "export_requested")
        for entry in db.session.scalars(entries):
            details = dict(entry.details or {})
            details["params"] = protect(dict(details.get("params") or {}))
            entry.details = details
    db.session.flush()
    return len(exports)
