"""Idempotency-Key under parallel requests, on SQLite and PostgreSQL: the key is claimed before the work.

One key with different bodies sent at once: exactly one is stored, every other answers 409 having stored nothing.
One key with the same body sent at once: one request does the work, the others replay its answer.
"""
import threading

import pytest
from sqlalchemy import select

from tests.test_api_intake import bank, punches
from tests.test_api_support import Api, complaint_body, counts, new_id, project_body, seeded_project
from tests.test_api_validation import payroll, roster_item
from wagewatch.extensions import db
from wagewatch.models import AuditLog, PayrollLine, Project

RACERS = 10


def race(app, api, method, path, bodies, key="one-key"):
    """Send every body at once under one key; return [(status, json, replayed)] in sending order."""
    barrier, answers = threading.Barrier(len(bodies)), [None] * len(bodies)

    def send(index, body):
        http = app.test_client()
        barrier.wait()
        response = getattr(http, method)("/api/v1" + path, json=body, headers={
            "Authorization": f"Bearer {api.token}", "Idempotency-Key": key})
        answers[index] = (response.status_code, response.get_json(), response.headers.get("Idempotent-Replayed"))

    threads = [threading.Thread(target=send, args=(i, b)) for i, b in enumerate(bodies)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    return answers


AUDIT = {"audit_log", "audit_chain_head"}  # the audit trail is checked by its own tests


def delta(before: dict, after: dict) -> dict:
    """Rows added per table, the audit trail left out."""
    return {name: after[name] - before[name] for name in after
            if after[name] != before[name] and name not in AUDIT}


def case(name):
    """(method, path, bodies, rows one accepted body adds) for an endpoint; bodies all differ."""
    n = range(RACERS)
    if name == "projects":
        return ("post", "/projects", [project_body(code=f"XJ20220508{i:05d}") for i in n],
                {"projects": 1, "enterprises": 2})
    if name == "complaints":
        return ("post", "/complaints", [complaint_body(new_id(), complaint_no=f"TS20220515{i:05d}") for i in n],
                {"complaints": 1, "complaint_events": 1})
    project, ids = seeded_project(3)
    if name == "payrolls":
        return ("post", "/payrolls", [payroll(project, ids, payroll_no=f"GZ-652927-202205-{i:02d}") for i in n],
                {"payrolls": 1, "payroll_lines": 3, "teams": 1, "wage_progress": 1})
    if name == "workers":
        return ("post", f"/projects/{project.code}/workers", [[roster_item(new_id())] for _ in n],
                {"workers": 1, "employments": 1, "teams": 1})
    if name == "punches":
        return ("post", "/attendance/punches", [punches(project, ids, 4, device=f"GATE-{i}") for i in n],
                {"punches": 4})
    if name == "patch":
        return "patch", f"/projects/{project.code}", [{"manager_name": f"负责人{i}"} for i in n], {}
    account = {"bank_name": "中国农业银行乌什县支行", "account_name": "农民工工资专用账户"}
    return ("put", f"/projects/{project.code}/wage-account",
            [{**account, "account_no": f"3001010104{i:07d}"} for i in n], {"wage_accounts": 1})


@pytest.mark.parametrize("endpoint", ["projects", "complaints", "payrolls", "workers", "punches", "patch", "put"])
def test_one_key_different_bodies_at_once_stores_one(any_app, endpoint):
    api = Api(any_app)
    method, path, bodies, adds = case(endpoint)
    before = counts()
    answers = race(any_app, api, method, path, bodies)
    statuses = sorted(status for status, _body, _replayed in answers)
    assert statuses[0] in (200, 201) and statuses[1:] == [409] * (RACERS - 1), answers
    assert all(body["error"]["code"] == "idempotency_conflict" for status, body, _r in answers if status == 409)
    assert delta(before, counts()) == {**adds, "idempotency_records": 1}


def test_one_key_different_bodies_keeps_the_winners_content(any_app):
    api = Api(any_app)
    method, path, bodies, _adds = case("patch")
    answers = race(any_app, api, method, path, bodies)
    winner = next(body for status, body, _r in answers if status == 200)
    db.session.expire_all()
    assert db.session.scalars(select(Project)).one().manager_name == winner["manager_name"]


def test_one_key_same_complaint_at_once_runs_once_and_replays(any_app):
    api = Api(any_app)
    body = complaint_body(new_id())
    before = counts()
    answers = race(any_app, api, "post", "/complaints", [body] * RACERS)
    assert {status for status, _b, _r in answers} == {201}, answers
    assert sorted(str(replayed) for _s, _b, replayed in answers) == ["None"] + ["true"] * (RACERS - 1)
    assert len({str(b) for _s, b, _r in answers}) == 1
    assert delta(before, counts()) == {"complaints": 1, "complaint_events": 1, "idempotency_records": 1}
    assert len(db.session.scalars(select(AuditLog).where(AuditLog.action == "api.complaint_received")).all()) == 1


def test_one_key_same_batch_at_once_counts_add_up(any_app):
    api = Api(any_app)
    project, ids = seeded_project(3)
    batch = punches(project, ids, 30)
    before = counts()
    answers = race(any_app, api, "post", "/attendance/punches", [batch] * RACERS)
    first = [body for status, body, replayed in answers if replayed is None]
    assert len(first) == 1 and first[0]["accepted"] == 30, answers
    assert all((status, body) == (200, first[0]) for status, body, _r in answers)
    assert delta(before, counts()) == {"punches": 30, "idempotency_records": 1}


def test_batches_under_their_own_keys_at_once_count_what_was_stored(any_app):
    api = Api(any_app)
    project, ids = seeded_project(3)
    batch = punches(project, ids, 30)
    barrier, answers = threading.Barrier(RACERS), []

    def send(index):
        http = any_app.test_client()
        barrier.wait()
        answers.append(http.post("/api/v1/attendance/punches", json=batch, headers={
            "Authorization": f"Bearer {api.token}", "Idempotency-Key": f"key-{index}"}).get_json())

    threads = [threading.Thread(target=send, args=(i,)) for i in range(RACERS)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    assert sum(a["accepted"] for a in answers) == 30
    assert sum(a["duplicates"] for a in answers) == 30 * (RACERS - 1)
    assert counts()["punches"] == 30


def test_a_failed_first_request_leaves_the_key_free(any_app):
    api = Api(any_app)
    bad = complaint_body("110101199003077777")  # a wrong check character: 422, nothing stored
    assert api.post("/complaints", bad, headers={"Idempotency-Key": "retry-me"}).status_code == 422
    before = counts()
    good = complaint_body(new_id())
    assert api.post("/complaints", good, headers={"Idempotency-Key": "retry-me"}).status_code == 201
    assert delta(before, counts())["idempotency_records"] == 1


def batches_at_once(app, api, path, body, keyed):
    """The same batch sent at once, each under a key of its own or without one: [answer json, …]."""
    barrier, answers = threading.Barrier(RACERS), []

    def send(index):
        http = app.test_client()
        barrier.wait()
        key = {"Idempotency-Key": f"key-{index}"} if keyed else {}
        answers.append(http.post("/api/v1" + path, json=body, headers={
            "Authorization": f"Bearer {api.token}", **key}).get_json())

    threads = [threading.Thread(target=send, args=(i,)) for i in range(RACERS)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    return answers


@pytest.mark.parametrize("keyed", [True, False])
def test_roster_batches_at_once_count_each_entry_once(any_app, keyed):
    api = Api(any_app)
    project, _ids = seeded_project(0)
    answers = batches_at_once(any_app, api, f"/projects/{project.code}/workers",
                              [roster_item(new_id()) for _ in range(20)], keyed)
    assert sum(a["accepted"] for a in answers) == 20, answers
    assert sum(a["duplicates"] for a in answers) == 20 * (RACERS - 1)
    assert counts()["employments"] == 20


@pytest.mark.parametrize("keyed", [True, False])
def test_bank_results_at_once_count_each_result_once(any_app, keyed):
    api = Api(any_app)
    project, ids = seeded_project(3)
    assert api.post("/payrolls", payroll(project, ids)).status_code == 201
    answers = batches_at_once(any_app, api, "/payrolls/GZ-652927-202205-01/bank-results", bank(ids), keyed)
    assert sum(a["accepted"] for a in answers) == 3, answers
    assert sum(a["duplicates"] for a in answers) == 3 * (RACERS - 1)


def test_locking_a_project_on_sqlite_does_not_touch_updated_at(app):
    from wagewatch.api.lookups import project_by_code

    project, _ids = seeded_project(0)
    before = project.updated_at
    assert project_by_code(project.code, lock=True) is project
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Project, project.id).updated_at == before


def test_one_key_different_bank_results_at_once_apply_one(any_app):
    api = Api(any_app)
    project, ids = seeded_project(3)
    assert api.post("/payrolls", payroll(project, ids)).status_code == 201
    bodies = [bank(ids, batch=f"B2022061500{i:02d}") for i in range(RACERS)]
    answers = race(any_app, api, "post", "/payrolls/GZ-652927-202205-01/bank-results", bodies)
    assert sorted(status for status, _b, _r in answers) == [200] + [409] * (RACERS - 1), answers
    winner = next(i for i, (status, _b, _r) in enumerate(answers) if status == 200)
    db.session.expire_all()
    assert {line.bank_batch_no for line in db.session.scalars(select(PayrollLine))} == {f"B2022061500{winner:02d}"}


def test_one_key_different_complaint_events_at_once_record_one(any_app):
    api = Api(any_app)
    assert api.post("/complaints", complaint_body(new_id(), complaint_no="TS2022051500001")).status_code == 201
    bodies = [{"kind": "enterprise_read", "at": f"2022-07-16T09:{i:02d}:00+08:00"} for i in range(RACERS)]
    before = counts()
    answers = race(any_app, api, "post", "/complaints/TS2022051500001/events", bodies)
    assert sorted(status for status, _b, _r in answers) == [201] + [409] * (RACERS - 1), answers
    assert all(body["error"]["code"] == "idempotency_conflict" for status, body, _r in answers if status == 409)
    assert delta(before, counts()) == {"complaint_events": 1, "idempotency_records": 1}
