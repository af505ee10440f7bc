"""push_overdue_complaints (R3): cases whose handling is overdue go to their regulators (未推送监管 → 已推送监管)."""
from jobs import app_context
from wagewatch.extensions import db


def push_overdue_complaints() -> dict:
    """Push every overdue case once; safe to run at any time, twice, or twice at once (see supervision.py)."""
    from wagewatch.complaints import queries, supervision

    with app_context():
        at = queries.now()
        pushed = supervision.push_overdue(at, queries.clock_settings())
        db.session.commit()
        return {"pushed": len(pushed), "at": at.isoformat()}
