"""Batches and payrolls: roster upserts, punches (bulk, received_at, races), payroll sheets, bank results."""
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from tests.test_api_support import (  # noqa: F401
    USCC_OWNER, Api, api, assert_error, counts, new_id, seeded_project,
)
from tests.test_api_validation import payroll, roster_item
from wagewatch.extensions import db
from wagewatch.models import Employment, Payroll, PayrollLine, Punch, Team, Worker
from wagewatch.people import find_worker


def test_roster_batch_stores_good_items_and_reports_bad_ones(any_app):
    api = Api(any_app)
    project, _ = seeded_project(0)
    sub = {"name": "新疆劳务分包公司", "uscc": USCC_OWNER}
    items = [roster_item(new_id()), roster_item("652927198503140000"),
             roster_item(new_id(), team="木工班", subcontractor={**sub, "uscc": "91650102MA77Q0B1PW"}),
             roster_item(new_id(), trade_code="999"), roster_item(new_id(), team="水电班", subcontractor=sub)]
    body = api.post(f"/projects/{project.code}/workers", items).get_json()
    assert (body["accepted"], body["duplicates"]) == (2, 0)
    assert [(r["index"], r["errors"][0]["field"]) for r in body["rejected"]] == [
        (1, "id_number"), (2, "subcontractor.uscc"), (3, "trade_code")]
    # item 2 was rejected whole: no 木工班
    assert db.session.scalar(select(func.count()).select_from(Employment)) == 2
    teams = {t.name: t.subcontractor_id for t in db.session.scalars(select(Team))}
    assert set(teams) == {"钢筋班", "水电班"} and teams["水电班"] is not None


def test_roster_repeat_is_duplicate_and_change_updates(app, api):
    project, _ = seeded_project(0)
    person = new_id()
    path = f"/projects/{project.code}/workers"
    assert api.post(path, [roster_item(person)]).get_json()["accepted"] == 1
    assert api.post(path, [roster_item(person)]).get_json() == {"accepted": 0, "duplicates": 1, "rejected": []}
    assert api.post(path, [roster_item(person, left_on="2022-08-31")]).get_json()["accepted"] == 1
    employment = db.session.scalars(select(Employment)).one()
    assert employment.left_on == date(2022, 8, 31)  # 离职 kept on the roster
    # a new joined_on is a new entry for the same person
    assert api.post(path, [roster_item(person, joined_on="2023-03-01", name="新名字")]).get_json()["accepted"] == 1
    assert db.session.scalar(select(func.count()).select_from(Employment)) == 2
    assert db.session.scalar(select(func.count()).select_from(Worker)) == 1
    assert find_worker(person).name == "新名字"


def test_roster_left_before_joined_is_rejected(app, api):
    project, _ = seeded_project(0)
    body = api.post(f"/projects/{project.code}/workers", [roster_item(new_id(), left_on="2022-01-01")]).get_json()
    assert body["rejected"][0]["errors"] == [{"field": "left_on", "message": "结束日期不能早于开始日期"}]


def test_roster_for_unknown_project_is_404(api):
    assert_error(api.post("/projects/NOPE/workers", []), 404, "not_found", "工程不存在")


def punches(project, ids, count, start="2022-05-15T08:00:00+08:00", device="GATE-1"):
    base = datetime.fromisoformat(start)
    return [{"project_code": project.code, "id_number": ids[i % len(ids)],
             "punched_at": (base + timedelta(seconds=i)).isoformat(), "device_id": device} for i in range(count)]


def test_punches_keep_received_at_and_count_duplicates(any_app):
    api = Api(any_app)
    project, ids = seeded_project(2)
    items = punches(project, ids, 3)
    before = datetime.now(timezone.utc)
    assert api.post("/attendance/punches", items).get_json() == {"accepted": 3, "duplicates": 0, "rejected": []}
    stored = db.session.scalars(select(Punch)).all()
    assert all(before - timedelta(seconds=1) <= p.received_at <= datetime.now(timezone.utc) for p in stored)
    assert {p.punched_at for p in stored} == {datetime.fromisoformat(i["punched_at"]) for i in items}
    again = api.post("/attendance/punches", items + [items[0]] + punches(project, ids, 1, device="GATE-2"))
    assert again.get_json() == {"accepted": 1, "duplicates": 4, "rejected": []}


def test_punch_batch_with_bad_items_stores_all_good_ones(app, api):
    project, ids = seeded_project(2)
    items = punches(project, ids, 6)
    items[1]["punched_at"] = "2022-05-15T08:00:01"
    items[4]["project_code"] = "NOPE"
    body = api.post("/attendance/punches", items).get_json()
    assert (body["accepted"], [r["index"] for r in body["rejected"]]) == (4, [1, 4])
    assert db.session.scalar(select(func.count()).select_from(Punch)) == 4


@pytest.mark.parametrize("flavour", ["sqlite", "postgresql"])
def test_a_full_batch_of_5000_punches_is_stored_in_one_request(request, flavour):
    """Speed is measured in bench/api_punches.py; this proves a maximal batch is accepted whole."""
    app = request.getfixturevalue("app" if flavour == "sqlite" else "pg_app")
    api = Api(app)
    project, ids = seeded_project(50)
    items = punches(project, ids, 5000)
    body = api.post("/attendance/punches", items).get_json()
    assert body == {"accepted": 5000, "duplicates": 0, "rejected": []}
    assert db.session.scalar(select(func.count()).select_from(Punch)) == 5000


@pytest.mark.pg
def test_ten_clients_sending_the_same_batch_at_once_store_it_once(pg_app):
    project, ids = seeded_project(20)
    items = punches(project, ids, 500)
    clients = [Api(pg_app) for _ in range(10)]
    answers, barrier = [], threading.Barrier(10)

    def send(api):
        http = pg_app.test_client()  # each thread its own client, session and connection
        barrier.wait()
        response = http.post("/api/v1/attendance/punches", json=items, headers={"Authorization": f"Bearer {api.token}"})
        answers.append(response.get_json())

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 10 and all(a["rejected"] == [] for a in answers), answers
    assert sum(a["accepted"] for a in answers) == 500
    assert sum(a["duplicates"] for a in answers) == 4500
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Punch)) == 500


@pytest.mark.pg
def test_concurrent_roster_batches_create_each_worker_once(pg_app):
    project, _ = seeded_project(0)
    items, path = [roster_item(new_id()) for _ in range(50)], f"/api/v1/projects/{project.code}/workers"
    clients, barrier = [Api(pg_app) for _ in range(5)], threading.Barrier(5)
    statuses = []

    def send(api):
        http = pg_app.test_client()
        barrier.wait()
        statuses.append(http.post(path, json=items,
                                  headers={"Authorization": f"Bearer {api.token}"}).status_code)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 5
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Worker)) == 50
    assert db.session.scalar(select(func.count()).select_from(Employment)) == 50


def test_payroll_created_then_repeat_then_conflict(any_app):
    api = Api(any_app)
    project, ids = seeded_project(3)
    response = api.post("/payrolls", payroll(project, ids))
    assert (response.status_code, response.get_json()) == (201, {"payroll_no": "GZ-652927-202205-01", "lines": 3})
    before = counts()
    assert api.post("/payrolls", payroll(project, ids)).status_code == 200
    assert counts() == before
    changed = payroll(project, ids)
    changed["lines"][0]["amount_due"] = "1.00"
    assert_error(api.post("/payrolls", changed), 409, "conflict", "工资单编号已存在")
    assert counts() == before
    sheet = db.session.scalars(select(Payroll)).one()
    assert (sheet.month, sheet.status) == ("2022-05", "submitted")
    assert {l.pay_status for l in db.session.scalars(select(PayrollLine))} == {"pending"}


def test_payroll_for_unknown_project(app, api):
    _, ids = seeded_project(1)
    other = payroll(type("P", (), {"code": "NOPE"}), ids)
    assert_error(api.post("/payrolls", other), 422, "validation_failed", "工程不存在", field="project_code")


def bank(ids, status="paid", at="2022-06-15T10:02:00+08:00", amount="5280.00", reason=None, batch="B20220615001"):
    return {"batch_no": batch, "results": [{"id_number": i, "status": status, "amount_paid": amount,
                                            "paid_at": at, "fail_reason": reason} for i in ids]}


def test_bank_results_update_lines_and_later_result_supersedes(any_app):
    api = Api(any_app)
    project, ids = seeded_project(3)
    api.post("/payrolls", payroll(project, ids))
    path = "/payrolls/GZ-652927-202205-01/bank-results"
    body = bank(ids[:2], status="failed", amount=None, reason="账户已冻结")
    body["results"].append({"id_number": new_id(), "status": "paid", "amount_paid": "1.00",
                            "paid_at": "2022-06-15T10:02:00+08:00"})
    answer = api.post(path, body).get_json()
    assert (answer["accepted"], answer["duplicates"]) == (2, 0)
    assert answer["rejected"] == [{"index": 2, "errors": [{"field": "id_number", "message": "该工人不在此工资单中"}]}]
    assert api.post(path, bank(ids[:2], status="failed", amount=None, reason="账户已冻结")).get_json()["duplicates"] == 2
    retried = api.post(path, bank(ids[:1], at="2022-06-16T09:00:00+08:00", batch="B20220616001")).get_json()
    assert retried["accepted"] == 1
    stale = api.post(path, bank(ids[:1], status="failed", amount=None, reason="迟到的旧结果")).get_json()
    assert (stale["accepted"], stale["duplicates"]) == (0, 1)
    db.session.expire_all()
    lines = {l.worker_id: l for l in db.session.scalars(select(PayrollLine))}
    paid = lines[find_worker(ids[0]).id]
    assert (paid.pay_status, str(paid.amount_paid), paid.bank_batch_no, paid.fail_reason) == (
        "paid", "5280.00", "B20220616001", None)
    failed = lines[find_worker(ids[1]).id]
    assert (failed.pay_status, failed.fail_reason) == ("failed", "账户已冻结")
    assert lines[find_worker(ids[2]).id].pay_status == "pending"


def test_bank_results_paid_needs_amount_and_unknown_sheet_is_404(app, api):
    project, ids = seeded_project(1)
    api.post("/payrolls", payroll(project, ids))
    answer = api.post("/payrolls/GZ-652927-202205-01/bank-results", bank(ids, amount=None)).get_json()
    assert answer["rejected"][0]["errors"][0]["field"] == "amount_paid"
    assert_error(api.post("/payrolls/NOPE/bank-results", bank(ids)), 404, "not_found", "工资单不存在")
    before = counts()
    assert_error(api.post("/payrolls/GZ-652927-202205-01/bank-results", {"batch_no": "B1"}), 422,
                 "validation_failed", field="results")
    assert counts() == before


def test_failed_bank_results_may_come_without_time_and_never_undo_a_payment(app, api):
    project, ids = seeded_project(2)
    api.post("/payrolls", payroll(project, ids))
    path = "/payrolls/GZ-652927-202205-01/bank-results"
    failed = {"batch_no": "B1", "results": [
        {"id_number": ids[0], "status": "failed", "amount_paid": None, "paid_at": None, "fail_reason": "户名不符"},
        {"id_number": ids[1], "status": "failed", "fail_reason": "账户已冻结"}]}
    assert api.post(path, failed).get_json() == {"accepted": 2, "duplicates": 0, "rejected": []}
    assert api.post(path, bank(ids[:1], batch="B2")).get_json()["accepted"] == 1
    again = api.post(path, failed).get_json()  # ids[0] stays paid, ids[1] is unchanged
    assert (again["accepted"], again["duplicates"]) == (0, 2)
    db.session.expire_all()
    statuses = {l.worker_id: l.pay_status for l in db.session.scalars(select(PayrollLine))}
    assert statuses == {find_worker(ids[0]).id: "paid", find_worker(ids[1]).id: "failed"}
    missing_time = api.post(path, bank(ids[:1], at=None)).get_json()
    assert missing_time["rejected"][0]["errors"] == [{"field": "paid_at", "message": "已发放的结果必须填写发放时间"}]
