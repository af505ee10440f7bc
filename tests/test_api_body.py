"""Body rules of API.md: JSON only, 5 MiB, well-formed, bounded nesting and batch size; Idempotency-Key."""
import threading

import pytest
from sqlalchemy import func, select

from tests.test_api_support import Api, api, assert_error, counts, project_body, seeded_project  # noqa: F401
from wagewatch.extensions import db
from wagewatch.models import IdempotencyRecord, Project


def test_body_over_5_mib_is_413_json(api):
    before = counts()
    body = b'{"code": "' + b"A" * (5 * 1024 * 1024 + 10) + b'"}'
    response = api.post("/projects", data=body, headers={"Content-Type": "application/json"})
    assert_error(response, 413, "payload_too_large", "过大")
    assert counts() == before


def test_non_json_content_type_is_415(api):
    before = counts()
    response = api.post("/projects", data="code=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(response, 415, "unsupported_media_type", "application/json")
    assert counts() == before


@pytest.mark.parametrize("raw", [b'{"code": ', b"{'code': 1}", b"\xff\xfe{}", b"", b'{"a": 1,}'])
def test_malformed_json_is_400(api, raw):
    before = counts()
    response = api.post("/projects", data=raw, headers={"Content-Type": "application/json"})
    assert_error(response, 400, "malformed_json", "JSON")
    assert counts() == before


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_is_400_not_500(api, depth):
    before = counts()
    raw = ("[" * depth + "]" * depth).encode()
    response = api.post("/attendance/punches", data=raw, headers={"Content-Type": "application/json"})
    assert_error(response, 400, "malformed_json", "嵌套")
    nested = '{"a":' * depth + "1" + "}" * depth
    response = api.post("/projects", data=nested.encode(), headers={"Content-Type": "application/json"})
    assert_error(response, 400, "malformed_json", "嵌套")
    assert counts() == before


def test_batch_over_5000_items_is_413_and_stores_nothing(app, api):
    project, ids = seeded_project(1)
    before = counts()
    item = {"project_code": project.code, "id_number": ids[0], "punched_at": "2022-05-15T08:00:00+08:00",
            "device_id": "D1"}
    items = [{**item, "punched_at": f"2022-05-15T08:{i // 60 % 60:02d}:{i % 60:02d}+08:00"} for i in range(5001)]
    assert_error(api.post("/attendance/punches", items), 413, "payload_too_large", "5000")
    assert counts() == before


def test_batch_that_is_not_a_list_is_rejected_whole(api):
    assert_error(api.post("/attendance/punches", {"project_code": "X"}), 422, "validation_failed",
                 "请求体必须是数组", field="")


def test_idempotency_key_replays_first_response(any_app):
    api = Api(any_app)
    first = api.post("/projects", project_body(), headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201
    # A second request with the same key and body answers what the first answered (201, not 200).
    again = api.post("/projects", project_body(), headers={"Idempotency-Key": "k-1"})
    assert (again.status_code, again.get_json()) == (201, first.get_json())
    assert again.headers["Idempotent-Replayed"] == "true"
    # Without the key the natural key answers: the same content is a 200 repeat.
    assert api.post("/projects", project_body()).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Project)) == 1


def test_idempotency_key_with_other_body_is_409(any_app):
    api = Api(any_app)
    assert api.post("/projects", project_body(), headers={"Idempotency-Key": "k-2"}).status_code == 201
    before = counts()
    other = api.post("/projects", project_body(name="另一个工程"), headers={"Idempotency-Key": "k-2"})
    assert_error(other, 409, "idempotency_conflict", "Idempotency-Key")
    assert counts() == before
    assert db.session.scalars(select(Project)).one().name == "乌什县第二中学教学楼建设项目"


def test_idempotency_keys_belong_to_their_client(app):
    one, two = Api(app), Api(app)
    assert one.post("/projects", project_body(), headers={"Idempotency-Key": "shared"}).status_code == 201
    answer = two.post("/projects", project_body(name="改名"), headers={"Idempotency-Key": "shared"})
    assert answer.status_code == 200  # not a replay of client one's answer: an update while pending


def test_idempotency_key_too_long_is_422(api):
    before = counts()
    response = api.post("/projects", project_body(), headers={"Idempotency-Key": "k" * 65})
    assert_error(response, 422, "validation_failed", "64", field="Idempotency-Key")
    assert counts() == before


def test_idempotency_on_put_and_patch(api, app):
    api.post("/projects", project_body())
    account = {"bank_name": "中国农业银行乌什县支行", "account_no": "30010101040012345", "account_name": "专用账户"}
    first = api.put("/projects/XJ2022050800017/wage-account", account, headers={"Idempotency-Key": "put-1"})
    assert api.put("/projects/XJ2022050800017/wage-account", account,
                   headers={"Idempotency-Key": "put-1"}).get_json() == first.get_json()
    assert api.patch("/projects/XJ2022050800017", {"manager_name": "甲"},
                     headers={"Idempotency-Key": "put-1"}).status_code == 409  # same key, other request


@pytest.mark.pg
def test_concurrent_requests_with_one_key_store_one_record(pg_app):
    api = Api(pg_app)
    answers, barrier = [], threading.Barrier(6)

    def send():
        http = pg_app.test_client()
        barrier.wait()
        response = http.post("/api/v1/projects", json=project_body(), headers={
            "Authorization": f"Bearer {api.token}", "Idempotency-Key": "race"})
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Every racer gets the one stored answer (the 201 of the creator, or a 200 repeat that was stored first).
    assert len({(status, str(body)) for status, body in answers}) == 1, answers
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Project)) == 1
    assert db.session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1
