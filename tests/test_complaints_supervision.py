"""督办 and 办结督办: required notes, audit, timeline, the row refreshed in place, 409 on a stale pane, 403 for viewers,
and exactly one winner when two reviewers act at once (SQLite and PostgreSQL)."""
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.complaint_factories import make_complaint
from tests.conftest import PASSWORD, make_user
from wagewatch.extensions import db
from wagewatch.models import AuditLog, Complaint, ComplaintEvent


def _events(complaint_id: int, kind: str) -> int:
    return db.session.scalar(select(func.count()).select_from(ComplaintEvent).where(
        ComplaintEvent.complaint_id == complaint_id, ComplaintEvent.kind == kind))


def test_supervise_needs_a_note(hx, login):
    complaint = make_complaint()
    db.session.commit()
    login()
    response = hx.post(f"/complaints/{complaint.id}/supervise", data={"note": "   ", "expected": "none"})
    assert response.status_code == 422 and "请填写督办意见" in response.text
    assert response.text.lstrip().startswith('<aside id="detail-pane"')
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).supervision_status == "none"


def test_supervise_then_close_with_audit_timeline_row_and_flash(hx, login):
    complaint = make_complaint(supervision_status="pushed")
    db.session.commit()
    login()
    response = hx.post(f"/complaints/{complaint.id}/supervise", data={"note": "限三日内结清", "expected": "pushed"})
    assert response.status_code == 200
    html = response.text
    assert "监管部门 · 督办" in html and "限三日内结清" in html and "办结结果" in html and "督办意见" not in html
    assert f'<span id="complaint-{complaint.id}-supervision" class="badge supervision-supervising" hx-swap-oob="true">督办中' in html
    assert '<div id="flash" hx-swap-oob="true">' in html and "已督办" in html
    response = hx.post(f"/complaints/{complaint.id}/close-supervision", data={"note": "已整改", "expected": "supervising"})
    assert response.status_code == 200 and "督办办结" in response.text and "已整改" in response.text
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).supervision_status == "done"
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "complaints", AuditLog.object_id == str(complaint.id))
                                 .order_by(AuditLog.id)).all()
    assert actions == ["complaint_supervised", "complaint_supervision_closed"]
    assert _events(complaint.id, "supervised") == 1 and _events(complaint.id, "supervision_closed") == 1


def test_close_needs_a_result_and_an_open_supervision(hx, login):
    complaint = make_complaint()
    db.session.commit()
    login()
    assert hx.post(f"/complaints/{complaint.id}/close-supervision", data={"note": "x"}).status_code == 409
    complaint.supervision_status = "supervising"
    db.session.commit()
    response = hx.post(f"/complaints/{complaint.id}/close-supervision", data={"note": "", "expected": "supervising"})
    assert response.status_code == 422 and "请填写督办办结结果" in response.text


def test_a_stale_pane_gets_409_with_the_current_state(hx, login):
    complaint = make_complaint()
    db.session.commit()
    login()
    assert hx.post(f"/complaints/{complaint.id}/supervise", data={"note": "一", "expected": "none"}).status_code == 200
    response = hx.post(f"/complaints/{complaint.id}/supervise", data={"note": "二", "expected": "none"})
    assert response.status_code == 409
    assert 'id="complaint-conflict"' in response.text and "督办中" in response.text and "一" in response.text
    # the same pane seen before an automatic push: the state moved (未推送 → 已推送), the reviewer must look again
    other = make_complaint(supervision_status="pushed")
    db.session.commit()
    assert hx.post(f"/complaints/{other.id}/supervise", data={"note": "x", "expected": "none"}).status_code == 409
    assert _events(other.id, "supervised") == 0


def test_without_javascript_the_post_redirects_back_to_the_list_with_the_pane(client, login):
    complaint = make_complaint()
    db.session.commit()
    login()
    response = client.post(f"/complaints/{complaint.id}/supervise",
                           data={"note": "请处理", "expected": "none", "back": "/complaints?type=拖欠工资"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/complaints?type=") and f"case={complaint.id}" in response.headers["Location"]
    html = client.get(response.headers["Location"]).text
    assert "已督办" in html and '<aside id="detail-pane"' in html and "督办中" in html
    # a foreign back address is never followed
    other = make_complaint()
    db.session.commit()
    response = client.post(f"/complaints/{other.id}/supervise",
                           data={"note": "x", "expected": "none", "back": "https://evil.example/complaints"})
    assert response.headers["Location"].startswith("/complaints?case=")


def test_without_javascript_a_missing_note_shows_the_list_and_the_pane_with_the_error(client, login):
    complaint = make_complaint()
    db.session.commit()
    login()
    response = client.post(f"/complaints/{complaint.id}/supervise", data={"note": "", "expected": "none",
                                                                         "back": "/complaints"})
    assert response.status_code == 422 and "<html" in response.text and "请填写督办意见" in response.text
    assert 'id="complaints-table"' in response.text


def test_viewers_post_403(client, login):
    complaint = make_complaint()
    db.session.commit()
    login(role="viewer")
    for path in ("supervise", "close-supervision"):
        assert client.post(f"/complaints/{complaint.id}/{path}", data={"note": "x"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).supervision_status == "none"


def _signed_client(app, username: str):
    make_user(username)
    client = app.test_client()
    assert client.post("/auth/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_two_reviewers_at_once_exactly_one_wins(any_app):
    complaint_id = make_complaint().id
    db.session.commit()
    clients = [_signed_client(any_app, f"reviewer{i}") for i in range(4)]
    barrier, results = threading.Barrier(len(clients)), []

    def act(client, n):
        barrier.wait()
        response = client.post(f"/complaints/{complaint_id}/supervise", data={"note": f"督办{n}", "expected": "none"},
                               headers={"HX-Request": "true", "HX-Request-Type": "partial"})
        results.append(response.status_code)

    threads = [threading.Thread(target=act, args=(c, n)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409, 409, 409]
    db.session.expire_all()
    assert _events(complaint_id, "supervised") == 1
    assert db.session.scalar(select(func.count()).select_from(AuditLog)
                             .where(AuditLog.action == "complaint_supervised")) == 1


def test_the_event_index_admits_one_supervision_per_case(any_app):
    """Even a writer that skipped the conditional UPDATE cannot record 督办 twice."""
    complaint = make_complaint()
    db.session.commit()
    at = datetime.now(UTC)
    db.session.add(ComplaintEvent(complaint_id=complaint.id, at=at, actor="regulator", kind="supervised", note="a"))
    db.session.commit()
    db.session.add(ComplaintEvent(complaint_id=complaint.id, at=at, actor="regulator", kind="supervised", note="b"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    later = at.replace(microsecond=0) + timedelta(seconds=1)
    db.session.add(ComplaintEvent(complaint_id=complaint.id, at=at, actor="enterprise", kind="enterprise_read"))
    db.session.add(ComplaintEvent(complaint_id=complaint.id, at=later, actor="enterprise", kind="enterprise_read"))
    db.session.commit()  # other kinds at other times are the intake's business
