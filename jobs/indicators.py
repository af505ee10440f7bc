"""refresh_indicators: recompute R1 per project and store the month's 数据通报 figures (after the aggregation)."""
from jobs import app_context
from wagewatch.bulletin.compute import snapshot
from wagewatch.extensions import db
from wagewatch.realname.compute import refresh


def refresh_indicators() -> dict:
    """Idempotent: both steps rewrite what they computed before, in one transaction."""
    with app_context():
        projects = refresh()
        figures = snapshot()
        db.session.commit()
        return {"projects": projects, "bulletin_figures": figures}


def store_bulletin(today: str) -> dict:
    """The 数据通报 figures of the month of `today` (ISO date), asked for by the month's first page view (the
    nightly job then rewrites them): region-wide this takes seconds, too long for a web request. The day is the
    asking request's, so a job that waited past midnight at a month's end still stores the month it was for."""
    from datetime import date

    with app_context():
        figures = snapshot(date.fromisoformat(today))
        db.session.commit()
        return {"bulletin_figures": figures}
