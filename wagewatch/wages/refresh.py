"""Store R2 of project-months in wage_progress, so the 工资代发实时进度 list filters and sorts in SQL at region scale.

`refresh(month, project_ids=None, today=None)` recomputes one month for some projects (None: all projects)
through queries.month_verdicts and upserts the rows; rows of those projects that no longer have data in the
month are removed. It flushes; the caller (the job) commits. Idempotent: running it twice gives the same rows.
"""
from datetime import date, datetime, timezone

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from wagewatch.extensions import db
from wagewatch.models import Project, WageProgress
from wagewatch.rules import wages as rules
from wagewatch.settings import rule_settings
from wagewatch.wages.queries import beijing_today, month_verdicts

BATCH = 1000
KEY = ("project_id", "month")


def row_of(project_id: int, month: str, fig: rules.Figures, verdict: rules.Verdict, at: datetime) -> dict:
    return {
        "project_id": project_id, "month": month, "employed": fig.employed, "attended": fig.attended,
        "on_payroll": fig.on_payroll, "paid": fig.paid, "failed": fig.failed, "retrying": fig.retrying,
        "pending": fig.pending, "attended_paid": fig.attended_paid, "below_min": fig.below_min,
        "outliers": fig.outliers, "paid_no_attendance": fig.paid_no_attendance, "has_account": fig.has_account,
        "amount_due": fig.amount_due, "amount_paid": fig.amount_paid, "ratio": fig.ratio, "due_on": verdict.due,
        "status": verdict.status, "abnormal": verdict.abnormal,
        "flags": [{"code": f.code, "colour": f.colour, "reason": f.reason} for f in verdict.flags],
        "flag_codes": "," + ",".join(verdict.codes) + "," if verdict.flags else "", "computed_at": at,
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
    at = datetime.now(timezone.utc)
    ids = project_ids if project_ids is not None else select(Project.id)
    found = month_verdicts(ids, month, today or beijing_today(), rule_settings())
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
