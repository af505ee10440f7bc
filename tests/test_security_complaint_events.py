"""Complaint events under parallel requests, on SQLite and PostgreSQL: stored once, each step taken once."""
import threading
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests.test_api_support import Api, complaint_body, new_id
from wagewatch.extensions import db
from wagewatch.models import Complaint, ComplaintEvent

RACERS = 10
PATH = "/api/v1/complaints/TS2022051500001/events"


def send_all(app, api, bodies):
    barrier, answers = threading.Barrier(len(bodies)), [None] * len(bodies)

    def send(index, body):
        http = app.test_client()
        barrier.wait()
        response = http.post(PATH, json=body, headers={"Authorization": f"Bearer {api.token}"})
        answers[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=send, args=(i, b)) for i, b in enumerate(bodies)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    return answers


def stored_events(kind):
    db.session.expire_all()
    return db.session.scalars(select(ComplaintEvent).where(ComplaintEvent.kind == kind)).all()


@pytest.fixture
def case(any_app):
    api = Api(any_app)
    assert api.post("/complaints", complaint_body(new_id(), complaint_no="TS2022051500001")).status_code == 201
    return any_app, api


def test_identical_events_at_once_are_stored_once(case):
    app, api = case
    body = {"kind": "enterprise_read", "at": "2022-07-16T09:00:00+08:00", "note": "已阅"}
    answers = send_all(app, api, [body] * RACERS)
    assert sorted(status for status, _body in answers) == [200] * (RACERS - 1) + [201], answers
    assert len(stored_events("enterprise_read")) == 1


def test_one_step_raced_by_different_events_is_taken_once(case):
    app, api = case
    bodies = [{"kind": "enterprise_read", "at": f"2022-07-16T09:{i:02d}:00+08:00"} for i in range(RACERS)]
    answers = send_all(app, api, bodies)
    assert sorted(status for status, _body in answers) == [201] + [409] * (RACERS - 1), answers
    winner = next(body for status, body in answers if status == 201)
    [event] = stored_events("enterprise_read")
    db.session.expire_all()
    complaint = db.session.scalars(select(Complaint)).one()
    assert complaint.read_at == event.at
    assert complaint.read_at.isoformat() == winner["read_at"]


def test_a_later_event_does_not_overwrite_the_recorded_time(case):
    _app, api = case
    first = api.post("/complaints/TS2022051500001/events", {"kind": "enterprise_read",
                                                            "at": "2022-07-16T09:00:00+08:00"})
    later = api.post("/complaints/TS2022051500001/events", {"kind": "enterprise_read",
                                                            "at": "2022-07-17T09:00:00+08:00"})
    assert (first.status_code, later.status_code) == (201, 409)
    db.session.expire_all()
    assert db.session.scalars(select(Complaint)).one().read_at.isoformat() == "2022-07-16T01:00:00+00:00"


def test_the_database_refuses_a_second_copy_of_an_event(case):
    complaint = db.session.scalars(select(Complaint)).one()
    at = datetime.fromisoformat("2022-07-16T09:00:00+08:00")
    db.session.add(ComplaintEvent(complaint_id=complaint.id, at=at, actor="enterprise", kind="enterprise_read"))
    db.session.commit()
    db.session.add(ComplaintEvent(complaint_id=complaint.id, at=at, actor="enterprise", kind="enterprise_read"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
