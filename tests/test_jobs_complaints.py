"""push_overdue_complaints: the automatic push to supervision when handling is overdue (R3), on schedule and by hand."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from jobs.complaints import push_overdue_complaints
from tests.complaint_factories import make_complaint
from tests.concurrency import together
from wagewatch.complaints import queries, supervision
from wagewatch.extensions import db
from wagewatch.models import Complaint, ComplaintEvent

NOW = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)
HANDLE = timedelta(days=3)


def _state(complaint_id):
    db.session.expire_all()
    return db.session.get(Complaint, complaint_id).supervision_status


def _pushed_events():
    return db.session.scalar(select(func.count()).select_from(ComplaintEvent).where(ComplaintEvent.kind == "pushed"))


def test_push_exactly_at_the_handle_deadline(app, frozen_clock):
    frozen_clock.set(NOW)
    due = make_complaint(submitted_at=NOW - HANDLE).id
    almost = make_complaint(submitted_at=NOW - HANDLE + timedelta(seconds=1)).id
    read_only = make_complaint(submitted_at=NOW - HANDLE - timedelta(hours=1), read_at=NOW - HANDLE).id
    handled = make_complaint(submitted_at=NOW - 10 * HANDLE, status="handled", read_at=NOW - 9 * HANDLE,
                             handled_at=NOW - 8 * HANDLE).id
    supervised = make_complaint(submitted_at=NOW - 10 * HANDLE, supervision_status="supervising").id
    db.session.commit()
    assert push_overdue_complaints()["pushed"] == 2
    assert {i: _state(i) for i in (due, almost, read_only, handled, supervised)} == {
        due: "pushed", almost: "none", read_only: "pushed", handled: "none", supervised: "supervising"}
    frozen_clock.advance(seconds=1)
    assert push_overdue_complaints()["pushed"] == 1 and _state(almost) == "pushed"


def test_the_push_is_in_the_timeline_and_runs_once(app, hx, login, frozen_clock):
    frozen_clock.set(NOW)
    complaint_id = make_complaint(submitted_at=NOW - 4 * HANDLE).id
    db.session.commit()
    assert push_overdue_complaints()["pushed"] == 1
    assert push_overdue_complaints()["pushed"] == 0
    assert _pushed_events() == 1
    login()
    html = hx.get(f"/complaints/{complaint_id}/pane").text
    assert "系统 · 推送监管" in html and supervision.PUSH_NOTE in html and "已推送监管" in html


def test_two_runs_at_once_push_each_case_once(any_app, frozen_clock):
    frozen_clock.set(NOW)
    for n in range(30):
        make_complaint(submitted_at=NOW - HANDLE - timedelta(minutes=n), events=False)
    db.session.commit()
    results = []

    def run():
        with any_app.app_context():
            try:
                results.append(len(supervision.push_overdue(NOW, queries.clock_settings())))
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - the loser of a race may fail; it must not double-push
                db.session.rollback()
                results.append(error)
            finally:
                db.session.remove()

    together(2, run)
    db.session.expire_all()
    assert _pushed_events() == 30
    assert db.session.scalar(select(func.count()).select_from(Complaint)
                             .where(Complaint.supervision_status == "pushed")) == 30
    if all(isinstance(r, int) for r in results):
        assert sum(results) == 30


def test_scheduled_beside_the_nightly_aggregation():
    from rq import cron

    from jobs import schedule

    registered = {entry["name"]: entry for entry in cron._job_data_registry}
    entry = registered["push_overdue_complaints"]
    assert entry["queue_name"] == "nightly" and entry["cron"] == f"*/{schedule.PUSH_EVERY_MINUTES} * * * *"
    assert "aggregate_attendance" in registered


def test_runnable_by_hand(app, frozen_clock):
    frozen_clock.set(NOW)
    make_complaint(submitted_at=NOW - 2 * HANDLE)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["complaints", "push"])
    assert result.exit_code == 0 and "已推送监管 1 件" in result.output
