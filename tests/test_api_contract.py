"""API.md as a client developer reads it: encodings, odd methods and paths, and what real clients re-send."""
import gzip
import json
from datetime import date

import pytest

from tests.test_api_support import Api, api, assert_error, complaint_body, counts, project_body  # noqa: F401
from wagewatch.extensions import db
from wagewatch.models import Project


def raw_post(api, path, raw: bytes, content_type="application/json", **headers):
    return api.post(path, data=raw, headers={"Content-Type": content_type, **headers})


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/json;charset=UTF-8",
                                          "application/json; charset=utf8", "Application/JSON"])
def test_json_with_a_utf8_charset_is_accepted(app, api, content_type):
    body = json.dumps(project_body(), ensure_ascii=False).encode()
    assert raw_post(api, "/projects", body, content_type).status_code == 201


def test_a_utf8_byte_order_mark_is_ignored(app, api):
    body = b"\xef\xbb\xbf" + json.dumps(project_body(), ensure_ascii=False).encode()
    assert raw_post(api, "/projects", body).status_code == 201


@pytest.mark.parametrize("charset", ["gbk", "utf-16", "latin-1"])
def test_another_charset_is_415_and_stores_nothing(app, api, charset):
    before = counts()
    body = json.dumps(project_body(), ensure_ascii=False).encode("gbk")
    response = raw_post(api, "/projects", body, f"application/json; charset={charset}")
    assert_error(response, 415, "unsupported_media_type", "UTF-8")
    assert counts() == before


def test_a_compressed_body_is_415_with_a_clear_reason(app, api):
    before = counts()
    body = gzip.compress(json.dumps(project_body()).encode())
    response = raw_post(api, "/projects", body, **{"Content-Encoding": "gzip"})
    assert_error(response, 415, "unsupported_media_type", "Content-Encoding")
    assert counts() == before


@pytest.mark.parametrize("method, path", [("delete", "/projects/X1"), ("get", "/projects"), ("post", "/health"),
                                          ("put", "/attendance/punches")])
def test_a_wrong_method_is_405_json_naming_the_methods(api, method, path):
    response = api.call(method, path)
    assert response.status_code == 405 and response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == "not_found" and method.upper() in error["message"]
    assert set(response.headers["Allow"].split(", ")) <= {"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"}


@pytest.mark.parametrize("path, allowed", [("/projects", {"POST", "OPTIONS"}), ("/health", {"GET", "HEAD", "OPTIONS"}),
                                           ("/projects/X1", {"PATCH", "OPTIONS"})])
def test_options_is_204_with_allow_and_no_html(client, path, allowed):
    response = client.options("/api/v1" + path)
    assert response.status_code == 204 and not response.get_data()
    assert "html" not in response.headers.get("Content-Type", "")
    assert set(response.headers["Allow"].split(", ")) == allowed


def test_head_of_health_has_the_json_headers_and_no_body(client):
    response = client.head("/api/v1/health")
    assert response.status_code == 200 and response.mimetype == "application/json" and not response.get_data()


@pytest.mark.parametrize("method, path", [("post", "//projects"), ("post", "/projects/"), ("get", "//health"),
                                          ("post", "//attendance/punches"), ("get", "/health/"),
                                          ("post", "/projects/X1//workers"), ("get", "/openapi.json/")])
def test_doubled_or_trailing_slashes_are_json_404_never_an_html_redirect(api, method, path):
    response = api.call(method, path, {})
    assert_error(response, 404, "not_found")
    assert "Location" not in response.headers


def test_a_client_with_the_longest_name_can_write_on_postgresql(pg_app):
    """The audit row's actor is "api:" + the client's name: a 64-character name must not overflow it."""
    api = Api(pg_app, name="乌" * 64)
    assert api.post("/projects", project_body()).status_code == 201
    assert db.session.scalar(db.select(Project.code)) == "XJ2022050800017"


def test_cli_refuses_a_name_longer_than_the_column(pg_app):
    result = pg_app.test_cli_runner().invoke(args=["api-client", "create", "--name", "乌" * 65, "--scopes", "bank"])
    assert result.exit_code != 0 and "1至64个字符" in result.output
    assert "Traceback" not in result.output


def test_registered_on_defaults_to_the_beijing_day(app, api, frozen_clock):
    """20:00 UTC on 27 November is already 28 November in Xinjiang's offices."""
    from datetime import date, datetime, timezone

    frozen_clock.set(datetime(2026, 11, 27, 20, 0, tzinfo=timezone.utc))
    body = project_body()
    del body["registered_on"]
    assert api.post("/projects", body).status_code == 201
    assert db.session.scalar(db.select(Project.registered_on)) == date(2026, 11, 28)


def complaint(id_number, **changes):
    """A complaint about 阿克苏某水利工程, filed for 阿克苏地区 so that a later registration there could match it."""
    return complaint_body(id_number, project_name="阿克苏某水利工程", region_code="652900", **changes)


@pytest.mark.parametrize("code", [None, "UNKNOWN01"])
def test_a_complaint_resent_after_its_project_registered_is_still_an_identical_repeat(app, api, code):
    from tests.factories import ProjectFactory
    from tests.test_api_support import new_id
    from wagewatch.models import Complaint

    body = complaint(new_id(), project_code=code)
    first = api.post("/complaints", body)
    assert first.status_code == 201 and first.get_json()["project_code"] is None
    ProjectFactory(region="652927", trade="water", name="阿克苏某水利工程")
    db.session.commit()
    before = counts()
    repeat = api.post("/complaints", body)
    assert repeat.status_code == 200, repeat.get_data(as_text=True)
    assert repeat.get_json()["checks"] == first.get_json()["checks"]  # the stored complaint, as it was kept
    assert counts() == before and db.session.scalar(db.select(Complaint.project_id)) is None


def test_a_complaint_resent_naming_another_registered_project_is_409(app, api):
    from tests.factories import ProjectFactory
    from tests.test_api_support import new_id

    ProjectFactory(region="652927", trade="water", name="阿克苏某水利工程")
    other = ProjectFactory(region="652927", trade="water", name="另一工程")
    db.session.commit()
    body = complaint(new_id())
    assert api.post("/complaints", body).status_code == 201
    assert_error(api.post("/complaints", {**body, "project_code": other.code}), 409, "conflict")


def test_roster_repeats_the_way_enterprise_systems_send_them(any_app):
    """A later left_on updates the entry, a new name counts as a change, a missing phone keeps the old one,
    and the same person on a second project is a second roster entry, not a second worker."""
    from tests.test_api_intake import roster_item
    from tests.test_api_support import new_id, seeded_project
    from wagewatch.models import Employment, Worker

    api = Api(any_app)
    (first, _), (second, _) = seeded_project(0), seeded_project(0)
    person = new_id()
    path = f"/projects/{first.code}/workers"
    send = lambda item, where=path: api.post(where, [item]).get_json()  # noqa: E731
    assert send(roster_item(person)) == {"accepted": 1, "duplicates": 0, "rejected": []}
    assert send(roster_item(person, left_on="2022-08-31"))["accepted"] == 1
    assert send(roster_item(person, left_on="2022-08-31", name="李娜娜"))["accepted"] == 1
    assert send(roster_item(person, left_on="2022-08-31", name="李娜娜", phone=None))["duplicates"] == 1
    assert send(roster_item(person, left_on="2022-08-31", name="李娜娜", phone="13911112222"))["accepted"] == 1
    again = roster_item(person, name="李娜娜", phone=None)
    assert send(again, f"/projects/{second.code}/workers") == {"accepted": 1, "duplicates": 0, "rejected": []}
    worker = db.session.scalars(db.select(Worker)).one()
    assert (worker.name, worker.phone) == ("李娜娜", "13911112222")
    entries = db.session.execute(db.select(Employment.project_id, Employment.left_on)).all()
    assert sorted(entries) == sorted([(first.id, date(2022, 8, 31)), (second.id, None)])


@pytest.mark.parametrize("at, stored", [
    ("2022-05-15T08:01:00.1234567+08:00", "2022-05-15 00:01:00.123456"),  # .NET's "o" format: 7 digits
    ("2022-05-15T08:01:00.123456789Z", "2022-05-15 08:01:00.123456"),
    ("2022-05-15t08:01:00.5z", "2022-05-15 08:01:00.500000"),
    ("2022-05-15T08:01:00+08:00", "2022-05-15 00:01:00"),
])
def test_times_with_any_rfc3339_fraction_are_accepted(any_app, at, stored):
    from tests.test_api_support import seeded_project
    from wagewatch.models import Punch

    api = Api(any_app)
    project, ids = seeded_project(1)
    item = {"project_code": project.code, "id_number": ids[0], "punched_at": at, "device_id": "GATE-1"}
    assert api.post("/attendance/punches", [item]).get_json() == {"accepted": 1, "duplicates": 0, "rejected": []}
    assert api.post("/attendance/punches", [item]).get_json()["duplicates"] == 1
    punched = db.session.scalar(db.select(Punch.punched_at))
    assert punched.strftime("%Y-%m-%d %H:%M:%S.%f").removesuffix(".000000") == stored


@pytest.mark.parametrize("at, message", [("2022-05-15T08:01:00+0800", "ISO 8601"), ("2022-05-15 08:01:00+08:00", "ISO 8601"),
                                         ("2022-05-15T08:01:00.+08:00", "ISO 8601"), ("2022-05-15T08:01:00", "时区偏移"),
                                         ("2022-05-15T24:01:00+08:00", "不存在")])
def test_times_outside_rfc3339_are_rejected_with_the_field(app, api, at, message):
    from tests.test_api_support import seeded_project

    project, ids = seeded_project(1)
    item = {"project_code": project.code, "id_number": ids[0], "punched_at": at, "device_id": "GATE-1"}
    [rejected] = api.post("/attendance/punches", [item]).get_json()["rejected"]
    assert rejected["index"] == 0 and rejected["errors"][0]["field"] == "punched_at"
    assert message in rejected["errors"][0]["message"]


def test_an_identical_registration_stays_200_after_another_project_renames_its_contractor(app, api):
    """Two projects share a contractor; the second spells its name differently. The first one's system
    re-sending its own registration after review is still a repeat, not a conflict."""
    from tests.test_api_support import USCC_CONTRACTOR

    first = project_body()
    assert api.post("/projects", first).status_code == 201
    db.session.scalars(db.select(Project)).one().review_status = "approved"
    db.session.commit()
    renamed = {"name": "乌什县新诺建设工程有限公司", "uscc": USCC_CONTRACTOR}
    assert api.post("/projects", project_body("XJ2022050800018", contractor=renamed)).status_code == 201
    before = counts()
    repeat = api.post("/projects", first)
    assert (repeat.status_code, repeat.get_json()["review_status"]) == (200, "approved")
    assert counts() == before
    assert_error(api.post("/projects", {**first, "contract_amount": "1.00"}), 409, "conflict", "已审核")


def operations():
    from wagewatch.api.openapi import PATHS

    return [(method, path.removeprefix("/api/v1").replace("{code}", "XJ1").replace("{payroll_no}", "GZ1")
             .replace("{complaint_no}", "TS1"), op["description"].split("`")[1])
            for path, item in PATHS.items() for method, op in item.items() if op.get("security") != []]


@pytest.mark.parametrize("method, path, scope", operations())
def test_every_operation_answers_401_without_a_token_and_403_without_its_scope(app, method, path, scope):
    from wagewatch.models.api import API_SCOPES

    http = app.test_client()
    response = getattr(http, method)("/api/v1" + path, json={})
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    for header in ("Bearer wrong", "Basic dXNlcjpwYXNz", "Bearer", "bearer  "):
        assert_error(getattr(http, method)("/api/v1" + path, json={}, headers={"Authorization": header}),
                     401, "unauthorized")
    others = Api(app, scopes=[s for s in API_SCOPES if s != scope])
    assert_error(others.call(method, path, {}), 403, "forbidden", scope)



def test_the_api_root_itself_answers_json(client):
    for path in ("/api", "/api/", "/api/v2/projects"):
        response = client.get(path)
        assert response.status_code == 404 and response.is_json, path
        assert response.get_json()["error"]["code"] == "not_found"


def test_every_answer_declares_utf8_json(client):
    for response in (client.get("/api/v1/health"), client.get("/api/v1/openapi.json"), client.get("/api/v1/nope"),
                     client.post("/api/v1/projects", json={})):
        assert response.headers["Content-Type"] == "application/json; charset=utf-8", response.status_code
