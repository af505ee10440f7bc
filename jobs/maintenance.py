"""Nightly housekeeping.

purge_old_exports: delete export files older than `export.keep_days` (default 7) and say so on the export;
fail exports that never finished, so none shows 排队中/生成中 forever.
purge_expired_records: delete idempotency records past `api.idempotency_keep_days` and login sessions that
ended more than `session.keep_days` ago, so neither table grows without bound.
"""
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, or_, select, update

from jobs import app_context
from wagewatch.exports.scrub import scrub_plain_numbers
from wagewatch.extensions import db
from wagewatch.models import ExportJob, IdempotencyRecord, UserSession
from wagewatch.models._types import utcnow
from wagewatch.settings import rule_settings

EXPIRED = "文件已超过保留期限，已删除，请重新导出。"
ABANDONED = "导出长时间未完成，已停止，请重新导出。"
UNFINISHED_AFTER = timedelta(days=1)  # far beyond rq's job timeout and its retries


def purge_old_exports() -> dict:
    """Idempotent: an export whose file is gone is marked once; stray files in EXPORT_DIR are removed too."""
    with app_context() as app:
        keep_days = int(rule_settings()["export.keep_days"])
        cutoff = utcnow() - timedelta(days=keep_days)
        export_dir = Path(app.config["EXPORT_DIR"])
        stmt = select(ExportJob).where(ExportJob.created_at < cutoff, ExportJob.file.is_not(None))
        deleted = 0
        for export in db.session.scalars(stmt):
            (export_dir / export.file).unlink(missing_ok=True)
            export.file, export.status, export.error = None, "failed", EXPIRED
            deleted += 1
        abandoned = db.session.execute(
            update(ExportJob).where(ExportJob.status.in_(("queued", "waiting", "running")),
                                    ExportJob.created_at < utcnow() - UNFINISHED_AFTER)
            .values(status="failed", error=ABANDONED, finished_at=utcnow())).rowcount
        scrub_plain_numbers()  # parameters stored before numbers were hashed
        db.session.commit()
        strays = 0
        if export_dir.is_dir():  # files a crashed attempt left behind (.part) or rows deleted by hand
            for path in export_dir.iterdir():
                if path.is_file() and path.stat().st_mtime < cutoff.timestamp():
                    path.unlink(missing_ok=True)
                    strays += 1
        return {"exports_expired": deleted, "exports_abandoned": max(abandoned, 0), "stray_files": strays,
                "keep_days": keep_days}


def purge_expired_records() -> dict:
    """Idempotent. A session has ended when it was revoked, or has been idle or alive past its limits."""
    with app_context():
        settings, now = rule_settings(), utcnow()
        key_cutoff = now - timedelta(days=int(settings["api.idempotency_keep_days"]))
        keys = db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < key_cutoff)).rowcount
        session_cutoff = now - timedelta(days=int(settings["session.keep_days"]))
        idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
        absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
        sessions = db.session.execute(delete(UserSession).where(or_(
            UserSession.revoked_at < session_cutoff,
            UserSession.last_seen_at < session_cutoff - idle,
            UserSession.created_at < session_cutoff - absolute))).rowcount
        db.session.commit()
        return {"idempotency_records": max(keys, 0), "sessions": max(sessions, 0)}
