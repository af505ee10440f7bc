"""build_export: stream an export's rows from the database into an xlsx file, reporting progress."""
import os
from datetime import timedelta
from pathlib import Path

from flask import current_app
from rq import get_current_job
from sqlalchemy import text, update
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from xlsxwriter.exceptions import XlsxWriterException

from jobs import app_context
from wagewatch.extensions import db
from wagewatch.jobs_runner import TIMEOUTS, job_state, queue_name
from wagewatch.models import ExportJob, User
from wagewatch.models._types import utcnow

PROGRESS_EVERY = 1000
PROGRESS_LOCK_TIMEOUT_MS = 2000
MAX_ATTEMPTS = 4  # the first run and rq's Retry(max=3)
INTERRUPTED = "导出进程意外中断，重试3次后仍未完成，请重新导出。"
OUT_OF_SCOPE = "导出的数据已不在您的管辖范围内，或您已无权导出。"
UNKNOWN_KIND = "不支持的导出类型。"
UNSCOPED = "此导出类型未声明数据范围，不能导出。"
NO_RIGHT = "导出人已无权导出此数据。"
UNWRITABLE = "导出文件无法写入（存储空间已满或导出目录不可写），请联系系统管理员。"
BAD_CHARACTERS = "筛选条件无效：含有无法查询的字符。"
WRITE_FAILED = "生成文件时出错：有单元格未能写入，为免数据缺失，未生成文件。"
LOST = "后台任务已中断，导出未能完成，请重新导出。"
# rq kills an export after its job timeout; an export still 'running' well after that has lost its worker.
STALE_AFTER = timedelta(seconds=TIMEOUTS["exports"] + 5 * 60)
LOST_GRACE = timedelta(seconds=60)  # between the commit of the row and its enqueue, the job is not in Redis yet


class ExportRefused(Exception):
    """The user lost the right to the data or the scope changed: trying again cannot help."""


def export_path(export_dir: str, export_id: int) -> Path:
    return Path(export_dir) / f"export-{export_id}.xlsx"


def rq_job_id(export_id: int) -> str:
    """A fixed rq job id per export, so a status poll can ask Redis whether its job still exists."""
    return f"{queue_name('exports')}-export-{export_id}"


def build_export(export_id: int) -> str:
    """Build one export; returns its final status.

    Safe to run again: a finished export is left alone, an unfinished one is rebuilt into the same file.
    """
    # Imported here: the exports blueprint imports this module, and the registry lives in that package.
    from wagewatch.exports.registry import EXPORTS
    from wagewatch.exports.turns import take_turn

    with app_context() as app:
        export = db.session.get(ExportJob, export_id)
        if export is None or export.status == "done":
            return export.status if export else "missing"
        spec = EXPORTS.get(export.kind)
        if spec is None or not spec.scope:  # a kind that declares no scope is denied
            return _finish(export, "failed", error=UNKNOWN_KIND if spec is None else UNSCOPED)
        if not take_turn(export):
            return "waiting"  # another export of this user runs; it hands the turn on when it ends
        # 'running' before the turn means an earlier attempt died (worker killed): start over, counting it.
        export.attempts += 1
        if export.attempts > MAX_ATTEMPTS:
            return _finish(export, "failed", error=INTERRUPTED)
        user = db.session.get(User, export.user_id)
        refusal = _refusal(spec, user, export)
        if refusal:
            return _finish(export, "failed", error=refusal)
        export.org_id = user.org_id  # the scope the file is built for; download checks it again
        # Every write to the export's row is committed before the rows stream: progress is written on a
        # second connection, which would wait forever for a row lock still held by this one.
        db.session.commit()
        try:
            count = _write(app.config["EXPORT_DIR"], export, spec, user)
        except Exception as error:  # noqa: BLE001 - any failure becomes a Chinese reason on the export
            db.session.rollback()
            app.logger.exception("export %s failed", export_id)
            return _failed_attempt(export_id, error)
        export = db.session.get(ExportJob, export_id)
        export.rows = count
        return _finish(export, "done")


def _refusal(spec, user, export: ExportJob) -> str | None:
    """Why the export may not be built for its user any more, or None."""
    if user is None or not user.active or (spec.needs_reviewer and not user.can_review):
        return NO_RIGHT
    if export.org_id is not None and export.org_id != user.org_id:
        return OUT_OF_SCOPE
    return None


def _write(export_dir: str, export: ExportJob, spec, user) -> int:
    path = export_path(export_dir, export.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    try:
        count = _write_rows(partial, spec, user, export)
        os.replace(partial, path)  # a download never sees a half-written file
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    export.file = path.name
    return count


def _write_rows(partial: Path, spec, user, export: ExportJob) -> int:
    from wagewatch.exports.writer import ExportWriter

    writer = ExportWriter(str(partial), spec.title, spec.headers)
    progress = _progress_writer(export.id)
    try:
        for row in spec.rows(user, dict(export.params or {})):
            writer.write(row)
            if writer.total % PROGRESS_EVERY == 0:
                progress(writer.total)
    finally:
        writer.close()
    return writer.total


def _progress_writer(export_id: int):
    """Progress goes through its own short transaction, so the row stream's server-side cursor stays open.

    SQLite cannot write while the same database is being read, so there progress is only written at the end.
    """
    if db.engine.dialect.name == "sqlite":
        return lambda count: None

    def write(count: int) -> None:
        # Belt and braces: should the row ever be locked again, progress is skipped, the export never hangs.
        with Session(db.engine) as session:
            try:
                session.execute(text(f"SET LOCAL lock_timeout = '{PROGRESS_LOCK_TIMEOUT_MS}ms'"))
                session.execute(update(ExportJob).where(ExportJob.id == export_id).values(rows=count))
                session.commit()
            except OperationalError:
                session.rollback()
                current_app.logger.warning("export %s: progress not written, its row is locked", export_id)

    return write


def _finish(export: ExportJob, status: str, error: str | None = None) -> str:
    """The export ends; the user's next waiting export, if any, gets its turn."""
    from wagewatch.exports.turns import release_next

    export.status, export.error, export.finished_at = status, error, utcnow()
    user_id = export.user_id
    db.session.commit()
    release_next(user_id)
    return status


def reason_of(error: Exception) -> tuple[str, bool]:
    """A Chinese reason for the export, and whether trying again could help (not for scope or bad filters)."""
    from wagewatch.exports.writer import WriteFailed

    if isinstance(error, ExportRefused):
        return error.args[0], False
    if isinstance(error, WriteFailed):
        return WRITE_FAILED, False
    if isinstance(error, HTTPException):
        return OUT_OF_SCOPE, False
    if isinstance(error, DataError):
        return BAD_CHARACTERS, False
    if isinstance(error, ValueError) and error.args and isinstance(error.args[0], str):
        return f"筛选条件无效：{error.args[0]}", False
    if isinstance(error, (OSError, XlsxWriterException)):
        return UNWRITABLE, True  # a full disk may be freed before the retry
    return f"生成文件时出错（{type(error).__name__}）", True


def _failed_attempt(export_id: int, error: Exception) -> str:
    """Under RQ with retries left, re-raise a transient error so rq retries; otherwise fail with a reason."""
    export = db.session.get(ExportJob, export_id)
    reason, transient = reason_of(error)
    job = get_current_job()
    if transient and job is not None and job.retries_left:
        export.status, export.error = "queued", f"第{export.attempts}次生成失败，正在重试：{reason}"
        db.session.commit()
        raise error
    return _finish(export, "failed", error=reason)


def export_failed(job, connection, exc_type, exc_value, traceback) -> None:
    """rq failure callback: also called when a worker died mid-export; marks the export failed once rq gives up."""
    if job.retries_left:
        return
    with app_context():
        export = db.session.get(ExportJob, job.args[0])
        if export is not None and export.status != "done":
            _finish(export, "failed", error=export.error if export.status == "failed" else INTERRUPTED)


def settle_if_lost(export: ExportJob) -> ExportJob:
    """A queued or running export whose rq job is gone, or which outlived rq's timeout, is failed with a reason.

    Called when its status is shown, so no export waits forever: Redis restarted without its data, the job
    ended without telling us, or every worker died and Redis cannot be reached to say more.
    """
    if export.status == "waiting":
        from wagewatch.exports.turns import release_next

        release_next(export.user_id)  # its turn may have come while the running export's worker died
        db.session.refresh(export)
    if export.status not in ("queued", "running"):
        return export
    state = job_state(rq_job_id(export.id))
    if state == "inline":
        return export
    since = utcnow() - max(export.created_at, export.started_at or export.created_at)
    gone = state in ("missing", "finished", "failed", "stopped", "canceled") and since > LOST_GRACE
    if gone or (state in ("unreachable", "started") and since > STALE_AFTER):
        _finish(export, "failed", error=LOST)
    return export
