"""One running export per user: a further export waits (and 我的导出 says so) until the running one ends.

A large export holds a worker and a database connection for minutes; one user asking for ten at once would
hold every worker. The turn is taken atomically on both databases: one conditional UPDATE (SQLite runs one
writer at a time), after a per-user advisory lock on PostgreSQL (two READ COMMITTED UPDATEs of different rows
would otherwise both see no running export).
"""
from sqlalchemy import and_, exists, func, select, text, update
from sqlalchemy.orm import aliased

from wagewatch.extensions import db
from wagewatch.models import ExportJob
from wagewatch.models._types import utcnow

WAITING_NOTE = "您的另一个导出正在生成，完成后本导出自动开始。"
TURN_LOCK = 7301  # the advisory lock's namespace (first key), the user id being the second


def take_turn(export: ExportJob) -> bool:
    """Mark the export running unless another export of its user runs; False leaves it waiting. Commits."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:ns, :user)"), {"ns": TURN_LOCK,
                                                                            "user": export.user_id})
    other = aliased(ExportJob)
    busy = exists().where(and_(other.user_id == export.user_id, other.status == "running", other.id != export.id))
    claimed = db.session.execute(
        update(ExportJob).where(ExportJob.id == export.id, ExportJob.status != "done",
                                ~busy)
        .values(status="running", rows=0, error=None, started_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount == 1
    if not claimed:
        db.session.execute(update(ExportJob).where(ExportJob.id == export.id, ExportJob.status != "done")
                           .values(status="waiting", error=WAITING_NOTE).execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(export)
    return claimed


def release_next(user_id: int) -> None:
    """When a user's export ends: hand the turn to their oldest waiting export (queued again, then enqueued)."""
    from jobs.exports import build_export, export_failed, rq_job_id
    from wagewatch.jobs_runner import enqueue

    running = db.session.scalar(select(func.count()).where(ExportJob.user_id == user_id,
                                                           ExportJob.status == "running"))
    if running:
        return
    waiting = db.session.scalar(select(ExportJob.id).where(ExportJob.user_id == user_id,
                                                           ExportJob.status == "waiting")
                                .order_by(ExportJob.created_at, ExportJob.id).limit(1))
    if waiting is None:
        return
    # Conditional, so of two polls releasing the same export only one enqueues it.
    moved = db.session.execute(update(ExportJob).where(ExportJob.id == waiting, ExportJob.status == "waiting")
                               .values(status="queued", error=None, started_at=utcnow())  # grace for settle_if_lost
                               .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if moved:
        outcome = enqueue("exports", build_export, waiting, on_failure=export_failed, job_id=rq_job_id(waiting))
        if not outcome.started:
            db.session.execute(update(ExportJob).where(ExportJob.id == waiting)
                               .values(status="failed", error=outcome.message, finished_at=utcnow()))
            db.session.commit()
