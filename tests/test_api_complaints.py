"""Complaints: matching, scoping columns, encrypted complainant, 系统数据核查 findings, case events in order."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import ProjectFactory
from tests.test_api_support import (  # noqa: F401
    Api, api, assert_error, complaint_body, counts, new_id, seeded_project,
)
from tests.test_api_validation import payroll
from tests.test_api_intake import bank
from wagewatch import crypto
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Complaint, ComplaintEvent, WageAccount
from wagewatch.people import find_worker
from wagewatch.rules.complaint_checks import ComplaintFacts, run_checks, window_start


def codes(answer):
    return [c["code"] for c in answer["checks"]]


def test_unmatched_complaint_is_kept_with_its_own_region(any_app):
    api = Api(any_app)
    person = new_id()
    response = api.post("/complaints", complaint_body(person, project_code="UNKNOWN01"))
    assert response.status_code == 201, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["checks"] == [{"code": "project_not_registered", "label": "工程未在平台登记"}]
    assert answer["complainant"]["id_number"] == person[:3] + "*****" + person[-3:]
    assert (answer["status"], answer["appeal_status"], answer["supervision_status"]) == ("open", "none", "none")
    complaint = db.session.scalars(select(Complaint)).one()
    assert (complaint.project_id, complaint.region_code, complaint.prefecture_code, complaint.industry) == (
        None, "654200", "654200", "housing")
    assert crypto.decrypt(complaint.complainant_id_enc) == person
    assert person.encode() not in complaint.complainant_id_enc
    assert complaint.complainant_id_hash == crypto.lookup_hash(person)
    [event] = db.session.scalars(select(ComplaintEvent)).all()
    assert (event.kind, event.actor) == ("submitted", "complainant")


def test_matched_by_name_copies_project_scope(app, api):
    project = ProjectFactory(region="652927", trade="water", name="阿克苏某水利工程")
    db.session.commit()
    answer = api.post("/complaints", complaint_body(new_id(), project_name="阿克苏某水利工程",
                                                    region_code="652900")).get_json()
    assert answer["project_code"] == project.code
    assert (answer["region_code"], answer["industry"]) == ("652927", "water")
    assert codes(answer) == ["no_wage_account", "not_on_roster"]


def test_a_name_is_matched_only_inside_the_complaints_region_and_only_when_unique(app, api):
    ProjectFactory(region="652328", name="同名住宅楼建设项目")
    db.session.commit()
    elsewhere = api.post("/complaints", complaint_body(new_id(), project_name="同名住宅楼建设项目")).get_json()
    assert (elsewhere["project_code"], elsewhere["region_code"]) == (None, "654200")  # stays with 塔城地区
    ProjectFactory(region="654201", name="同名住宅楼建设项目")
    ProjectFactory(region="654202", name="同名住宅楼建设项目")
    db.session.commit()
    ambiguous = api.post("/complaints", complaint_body(new_id(), complaint_no="TS2",
                                                       project_name="同名住宅楼建设项目")).get_json()
    assert ambiguous["project_code"] is None and codes(ambiguous) == ["project_not_registered"]
    unique = api.post("/complaints", complaint_body(new_id(), complaint_no="TS3", project_name="同名住宅楼建设项目",
                                                    region_code="654201")).get_json()
    assert unique["project_code"] is not None and unique["region_code"] == "654201"


def test_checks_with_roster_attendance_and_payments(app, api):
    project, ids = seeded_project(2)
    db.session.add(WageAccount(project_id=project.id, bank_name="农行", account_no_enc=b"x", account_no_hash="h",
                               account_no_masked="**** 1234", account_name="专户"))
    worker = find_worker(ids[0])
    at = datetime(2022, 6, 1, 1, 0, tzinfo=timezone.utc)
    db.session.add(AttendanceDay(project_id=project.id, worker_id=worker.id, day=date(2022, 6, 1), first_in=at,
                                 last_out=at, punches=2, work_minutes=480, status="normal"))
    db.session.commit()
    api.post("/payrolls", payroll(project, ids))
    api.post("/payrolls/GZ-652927-202205-01/bank-results", bank(ids[:1]))
    answer = api.post("/complaints", complaint_body(ids[0], project_code=project.code)).get_json()
    assert answer["checks"] == [{"code": "wages_paid_recently", "label": "近三个月工资已代发", "amount_paid": "5280.00",
                                 "months": [{"month": "2022-05", "amount_paid": "5280.00"}]}]
    other = api.post("/complaints", complaint_body(ids[1], complaint_no="TS2", project_code=project.code)).get_json()
    assert codes(other) == ["no_recent_attendance"]


def test_identical_repeat_is_200_and_other_content_409(app, api):
    person = new_id()
    api.post("/complaints", complaint_body(person))
    before = counts()
    assert api.post("/complaints", complaint_body(person)).status_code == 200
    assert_error(api.post("/complaints", complaint_body(person, amount_claimed="1.00")), 409, "conflict")
    assert counts() == before


def test_complaint_validation(app, api):
    before = counts()
    answer = api.post("/complaints", complaint_body("bad", type="欠钱", region_code="650001", submitted_at="2022-07-15"))
    error = assert_error(answer, 422, "validation_failed")
    assert {d["field"] for d in error["details"]} == {"complainant.id_number", "type", "region_code", "submitted_at"}
    assert counts() == before


def event(api, kind, at, note=None, no="TS2022051500001"):
    return api.post(f"/complaints/{no}/events", {"kind": kind, "at": at, "note": note})


def test_events_follow_the_case_order(any_app):
    api = Api(any_app)
    api.post("/complaints", complaint_body(new_id()))
    assert event(api, "enterprise_read", "2022-07-16T09:00:00+08:00").status_code == 201
    assert event(api, "enterprise_read", "2022-07-16T09:00:00+08:00").status_code == 200  # identical repeat
    answer = event(api, "enterprise_handled", "2022-07-17T09:00:00+08:00", "已补发").get_json()
    assert (answer["status"], answer["handled_at"]) == ("handled", "2022-07-17T01:00:00+00:00")
    answer = event(api, "appealed", "2022-07-18T09:00:00+08:00").get_json()
    assert answer["appeal_status"] == "open" and answer["appealed_at"]
    before = counts()
    assert_error(event(api, "closed", "2022-07-18T10:00:00+08:00"), 409, "conflict", "流转顺序")
    assert_error(event(api, "appeal_handled", "2022-07-18T10:00:00+08:00"), 409, "conflict")
    assert counts() == before
    assert event(api, "appeal_read", "2022-07-19T09:00:00+08:00").get_json()["appeal_read_at"]
    assert event(api, "appeal_handled", "2022-07-20T09:00:00+08:00").get_json()["appeal_status"] == "handled"
    answer = event(api, "closed", "2022-07-21T09:00:00+08:00").get_json()
    assert (answer["status"], answer["closed_at"]) == ("closed", "2022-07-21T01:00:00+00:00")
    assert_error(event(api, "enterprise_read", "2022-07-22T09:00:00+08:00"), 409, "conflict")
    kinds = [e.kind for e in db.session.scalars(select(ComplaintEvent).order_by(ComplaintEvent.at))]
    assert kinds == ["submitted", "enterprise_read", "enterprise_handled", "appealed", "appeal_read",
                     "appeal_handled", "closed"]


@pytest.mark.parametrize("first", ["enterprise_handled", "appealed", "appeal_read", "appeal_handled", "closed"])
def test_event_out_of_order_is_409_and_writes_nothing(app, api, first):
    api.post("/complaints", complaint_body(new_id()))
    before = counts()
    assert_error(event(api, first, "2022-07-16T09:00:00+08:00"), 409, "conflict", "投诉流转顺序不对")
    assert counts() == before
    assert db.session.scalars(select(Complaint)).one().status == "open"


def test_event_before_previous_step_and_unknown_case(app, api):
    api.post("/complaints", complaint_body(new_id()))
    assert_error(event(api, "enterprise_read", "2022-07-01T09:00:00+08:00"), 409, "conflict", "早于")
    assert_error(event(api, "enterprise_read", "2022-07-16T09:00:00+08:00", no="NOPE"), 404, "not_found")
    assert_error(event(api, "read", "2022-07-16T09:00:00+08:00"), 422, "validation_failed", field="kind")


def test_closed_directly_after_handled(app, api):
    api.post("/complaints", complaint_body(new_id()))
    event(api, "enterprise_read", "2022-07-16T09:00:00+08:00")
    event(api, "enterprise_handled", "2022-07-16T10:00:00+08:00")
    assert event(api, "closed", "2022-07-16T11:00:00+08:00").get_json()["status"] == "closed"


# The checks themselves are pure functions: facts in, findings out.
def test_pure_checks():
    assert run_checks(ComplaintFacts(project_matched=False)) == [
        {"code": "project_not_registered", "label": "工程未在平台登记"}]
    assert run_checks(ComplaintFacts(True, has_wage_account=True, on_roster=True, attendance_days=3)) == []
    found = run_checks(ComplaintFacts(True, False, True, 0, [("2022-05", Decimal("100.50")),
                                                              ("2022-05", Decimal("1.00")),
                                                              ("2022-04", Decimal("2.00"))]))
    assert [f["label"] for f in found] == ["工程未绑定工资专户", "投诉人近三个月无考勤记录", "近三个月工资已代发"]
    assert found[2]["amount_paid"] == "103.50"
    assert found[2]["months"] == [{"month": "2022-04", "amount_paid": "2.00"},
                                  {"month": "2022-05", "amount_paid": "101.50"}]


def test_three_month_window():
    assert window_start(date(2022, 7, 15)) == date(2022, 4, 15)
    assert window_start(date(2022, 5, 31)) == date(2022, 2, 28)
    assert window_start(date(2022, 2, 15)) == date(2021, 11, 15)
