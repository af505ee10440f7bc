"""督办情况 transitions: the automatic push when handling is overdue, 督办 and 督办办结 by a reviewer.

Each transition is one conditional UPDATE (it changes the row only from the state the actor saw) plus an event
that the unique index uq_complaint_events_once admits once per case, so of two racing requests exactly one
wins on SQLite (which ignores FOR UPDATE) as on PostgreSQL. Functions flush; the caller commits.
"""
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from wagewatch import audit
from wagewatch.extensions import db
from wagewatch.models import Complaint, ComplaintEvent
from wagewatch.rules.complaints import ClockSettings, cutoffs

# action: (states it may start from, the state it leads to, event kind, audit action)
TRANSITIONS = {
    "supervise": (("none", "pushed"), "supervising", "supervised", "complaint_supervised"),
    "close": (("supervising",), "done", "supervision_closed", "complaint_supervision_closed"),
}
PUSH_NOTE = "企业超期未处理，系统自动推送监管"
BATCH = 500


def allowed(action: str, supervision_status: str) -> bool:
    return supervision_status in TRANSITIONS[action][0]


def transition(complaint: Complaint, action: str, note: str, expected: str | None, at: datetime) -> bool:
    """Apply 督办 / 办结督办 unless the case moved on; False (nothing written) when someone acted first.

    `expected` is the 督办情况 the reviewer's pane showed: acting on a stale pane is refused even when the new
    state would also allow the action, so nobody 督办s a case whose history they have not seen.
    """
    sources, target, kind, action_name = TRANSITIONS[action]
    if expected and expected not in sources:
        return False
    states = (expected,) if expected else sources
    try:
        with db.session.begin_nested():
            result = db.session.execute(
                update(Complaint).where(Complaint.id == complaint.id, Complaint.supervision_status.in_(states))
                .values(supervision_status=target).execution_options(synchronize_session=False))
            if result.rowcount != 1:
                return False
            db.session.add(ComplaintEvent(complaint_id=complaint.id, at=at, actor="regulator", kind=kind,
                                          note=note))
            db.session.flush()
    except IntegrityError:
        return False  # the event is already there: the other request won
    audit.record(action_name, complaint, note=note, before=expected or "", after=target)
    db.session.flush()
    db.session.refresh(complaint)
    return True


def push_overdue(at: datetime, settings: ClockSettings) -> list[int]:
    """未推送监管 → 已推送监管 for every case whose handling is overdue at `at`; returns the pushed ids.

    Runs set-based in batches; a case pushed meanwhile (or by an earlier run) is skipped by the UPDATE's
    condition, so running twice, or two runs at once, pushes each case once.
    """
    cut = cutoffs(at, settings)
    pushed: list[int] = []
    while True:
        ids = list(db.session.scalars(select(Complaint.id).where(
            Complaint.supervision_status == "none", Complaint.status == "open", Complaint.handled_at.is_(None),
            Complaint.submitted_at <= cut.handle).order_by(Complaint.id).limit(BATCH)))
        if not ids:
            return pushed
        done = list(db.session.scalars(
            update(Complaint).where(Complaint.id.in_(ids), Complaint.supervision_status == "none")
            .values(supervision_status="pushed").returning(Complaint.id)
            .execution_options(synchronize_session=False)))
        if done:
            db.session.execute(insert(ComplaintEvent), [
                {"complaint_id": i, "at": at, "actor": "system", "kind": "pushed", "note": PUSH_NOTE} for i in done])
            audit.record("complaints_pushed", object_type="complaints", actor="system", count=len(done),
                         ids=done[:50])
            db.session.flush()
        pushed += done
        if len(ids) < BATCH:
            return pushed
