"""refresh_wage_progress: recompute the stored R2 figures (工资代发实时进度) of project-months.

Enqueued when a payroll sheet or bank results arrive (one project-month), and nightly after the attendance
aggregation for every project and the recent months (statuses move with the date: 未到发薪日, PAY_LATE).
"""
from jobs import app_context
from wagewatch import clock
from wagewatch.extensions import db
from wagewatch.wages import refresh


def refresh_wage_progress(month: str | None = None, project_ids: list[int] | None = None) -> int:
    with app_context():
        months = [month] if month else refresh.recent_months(clock.beijing_today())
        stored = sum(refresh.refresh(m, project_ids) for m in months)
        db.session.commit()
        return stored
