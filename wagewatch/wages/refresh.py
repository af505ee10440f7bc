"""Store R2 of project-months in wage_progress, so the 工资代发实时进度 list filters and sorts in SQL at region scale.

`refresh(month, project_ids=None, today=None)` recomputes one month for some projects (None: all projects)
through queries.month_verdicts and upserts the rows; rows of those projects that no longer have data in the
month are removed. It flushes; the caller (the job) commits. Idempotent: running it twice gives the same rows.
"""
from datetime import date
from decimal import Decimal

from flask import after_this_request, current_app
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from wagewatch import clock
from wagewatch.extensions import db
from wagewatch.jobs_runner import enqueue
from wagewatch.models import AttendanceDay, Payroll, Project, WageProgress
from wagewatch.rules import wages as rules
from wagewatch.settings import rule_settings
from wagewatch.wages.queries import month_verdicts

BATCH = 1000
RATIO_PLACES = Decimal("0.0001")
KEY = ("project_id", "month")


def row_of(project_id: int, month: str, fig: rules.Figures, verdict: rules.Verdict, at) -> dict:
    return {
        "project_id": project_id, "month": month, "employed": fig.employed, "attended": fig.attended,
        "on_payroll": fig.on_payroll, "paid": fig.paid, "failed": fig.failed, "retrying": fig.retrying,
        "pending": fig.pending, "attended_paid": fig.attended_paid, "below_min": fig.below_min,
        "outliers": fig.outliers, "paid_no_attendance": fig.paid_no_attendance, "has_account": fig.has_account,
        "amount_due": fig.amount_due, "amount_paid": fig.amount_paid, "due_on": verdict.due,
        # stored at the column's 4 places on every database, so the pager's key equals the stored value
        "ratio": fig.ratio.quantize(RATIO_PLACES) if fig.ratio is not None else None,
        "status": verdict.status, "abnormal": verdict.abnormal,
        "flags": [{"code": f.code, "colour": f.colour, "reason": f.reason} for f in verdict.flags],
        "flag_codes": "," + ",".join(verdict.codes) + "," if verdict.flags else "", "colour": verdict.colour,
        "computed_at": at,
    }


def _upsert(rows: list[dict]) -> None:
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    for start in range(0, len(rows), BATCH):
        stmt = insert(WageProgress).values(rows[start:start + BATCH])
        stmt = stmt.on_conflict_do_update(index_elements=list(KEY),
                                          set_={c: stmt.excluded[c] for c in rows[0] if c not in KEY})
        db.session.execute(stmt)


def refresh(month: str, project_ids: list[int] | None = None, today: date | None = None) -> int:
    """Recompute and store one month; returns the number of project-months stored."""
    at = clock.now()
    ids = project_ids if project_ids is not None else select(Project.id)
    found = month_verdicts(ids, month, today or clock.beijing_today(), rule_settings())
    rows = [row_of(pid, month, fig, verdict, at) for pid, (fig, verdict) in found.items()]
    if rows:
        _upsert(rows)
    stale = delete(WageProgress).where(WageProgress.month == month, WageProgress.computed_at < at)
    if project_ids is not None:
        stale = stale.where(WageProgress.project_id.in_(project_ids))
    db.session.execute(stale)
    db.session.flush()
    return len(rows)


def recent_months(today: date, count: int = 3) -> list[str]:
    """The current month and the `count` months before it: the ones whose status still changes with the date."""
    months, first = [], today.replace(day=1)
    for _ in range(count + 1):
        months.append(f"{first:%Y-%m}")
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    return months


def months_with_data() -> list[str]:
    """Every month from the earliest attendance day or payroll sheet to the latest (a first fill, a backfill)."""
    first_day, last_day = db.session.execute(select(func.min(AttendanceDay.day), func.max(AttendanceDay.day))).one()
    first_sheet, last_sheet = db.session.execute(select(func.min(Payroll.month), func.max(Payroll.month))).one()
    starts = [d.replace(day=1) for d in (first_day, last_day) if d]
    starts += [date.fromisoformat(m + "-01") for m in (first_sheet, last_sheet) if m]
    if not starts:
        return []
    month, end, found = min(starts), max(starts), []
    while month <= end:
        found.append(f"{month:%Y-%m}")
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return found


def refresh_after_commit(project_id: int, month: str) -> None:
    """Called by the intake views: once the request has committed the sheet or bank results (the response is
    a success), recompute that project-month."""
    @after_this_request
    def _refresh(response):
        if response.status_code < 300:
            refresh_soon(project_id, month)
        return response


def refresh_soon(project_id: int, month: str) -> None:
    """After a payroll sheet or bank results are committed: recompute that project-month in the background.

    Without Redis the job runs here, after the intake's commit; its failure must not turn an accepted intake
    into an error, so it is logged and left to the nightly refresh.
    """
    from jobs.wages import refresh_wage_progress  # jobs import the application package, not the reverse

    try:
        outcome = enqueue("nightly", refresh_wage_progress, month, [project_id])
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("wage progress refresh of project %s, %s failed", project_id, month)
        return
    if not outcome.started:
        current_app.logger.warning("wage progress refresh of project %s, %s not queued: %s", project_id, month,
                                   outcome.message)
