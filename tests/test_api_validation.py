"""Bad input gets a clear answer (status, code, Chinese message, field path) and writes nothing."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.test_api_support import Api, api, assert_error, counts, new_id, project_body, seeded_project  # noqa: F401
from wagewatch.identity import make_uscc
from wagewatch.people import find_worker, id_number_of
from wagewatch.validators import id_check_char


def roster_item(id_number, **changes):
    item = {"id_number": id_number, "name": "买买提·艾力", "phone": "13899990000", "team": "钢筋班",
            "subcontractor": None, "trade_code": "020", "role": 20, "contract_signed": True,
            "joined_on": "2022-05-12", "left_on": None}
    item.update(changes)
    return item


def rejected_item(api, path, item, field, message):
    """A batch of one bad item: 200, nothing accepted, the item reported by index with its field."""
    before = counts()
    response = api.post(path, [item])
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["accepted"], body["duplicates"]) == (0, 0)
    [rejected] = body["rejected"]
    assert rejected["index"] == 0
    assert any(e["field"] == field and message in e["message"] for e in rejected["errors"]), rejected
    assert counts() == before


@pytest.mark.parametrize("position", range(17))
def test_id_number_with_any_single_digit_changed(app, api, position):
    project, _ = seeded_project(0)
    good = new_id()
    digit = str((int(good[position]) + 3) % 10)
    bad = good[:position] + digit + good[position + 1:]
    before = counts()
    response = api.post(f"/projects/{project.code}/workers", [roster_item(bad)])
    errors = response.get_json()["rejected"][0]["errors"]
    assert errors[0]["field"] == "id_number"
    assert any(word in errors[0]["message"] for word in ("校验位错误", "出生日期")), errors
    assert counts() == before


def test_lowercase_x_is_accepted_and_stored_upper_case(app, api):
    project, _ = seeded_project(0)
    first17 = new_id()[:17]
    while id_check_char(first17) != "X":
        first17 = first17[:14] + f"{(int(first17[14:17]) + 1) % 1000:03d}"
    response = api.post(f"/projects/{project.code}/workers", [roster_item(first17 + "x")])
    assert response.get_json() == {"accepted": 1, "duplicates": 0, "rejected": []}
    assert id_number_of(find_worker(first17 + "X")) == first17 + "X"


def test_full_width_digits_are_rejected(app, api):
    project, _ = seeded_project(0)
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in new_id())
    rejected_item(api, f"/projects/{project.code}/workers", roster_item(wide), "id_number", "半角数字")


def test_impossible_birth_date_is_rejected(app, api):
    project, _ = seeded_project(0)
    first17 = "652927" + "19990230" + "123"
    rejected_item(api, f"/projects/{project.code}/workers", roster_item(first17 + id_check_char(first17)),
                  "id_number", "出生日期不存在")


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_uscc_with_forbidden_letter(app, api, letter):
    good = make_uscc(__import__("random").Random(9), "652927")
    before = counts()
    body = project_body(contractor={"name": "某公司", "uscc": good[:8] + letter + good[9:]})
    assert_error(api.post("/projects", body), 422, "validation_failed", "不允许的字符", field="contractor.uscc")
    assert counts() == before


def test_uscc_with_wrong_check_character(app, api):
    good = make_uscc(__import__("random").Random(9), "652927")
    wrong = good[:17] + ("1" if good[17] != "1" else "2")
    before = counts()
    assert_error(api.post("/projects", project_body(owner={"name": "某局", "uscc": wrong})), 422,
                 "validation_failed", "校验位错误", field="owner.uscc")
    assert counts() == before


def test_phone_with_plus_86(app, api):
    before = counts()
    body = project_body(labour_officer={"name": "李娜", "phone": "+8613899990000"})
    assert_error(api.post("/projects", body), 422, "validation_failed", "不带+86", field="labour_officer.phone")
    assert counts() == before


def test_unknown_region_code(app, api):
    before = counts()
    assert_error(api.post("/projects", project_body(region_code="659999")), 422, "validation_failed",
                 "行政区划代码不存在", field="region_code")
    assert counts() == before


def test_every_error_of_a_document_is_reported(app, api):
    body = project_body(region_code="999999", industry="mining", payday=31, contract_amount="-1")
    del body["name"]
    error = api.post("/projects", body).get_json()["error"]
    assert {d["field"] for d in error["details"]} == {"region_code", "industry", "payday", "contract_amount", "name"}


def punch(project, id_number, at="2022-05-15T08:01:00+08:00"):
    return {"project_code": project.code, "id_number": id_number, "punched_at": at, "device_id": "GATE-1"}


def test_time_without_offset(app, api):
    project, ids = seeded_project(1)
    rejected_item(api, "/attendance/punches", punch(project, ids[0], "2022-05-15T08:01:00"), "punched_at",
                  "时区偏移")


def test_time_in_the_future(app, api):
    project, ids = seeded_project(1)
    ahead = (datetime.now(timezone.utc) + timedelta(minutes=15)).isoformat(timespec="seconds")
    rejected_item(api, "/attendance/punches", punch(project, ids[0], ahead), "punched_at", "10分钟")
    near = (datetime.now(timezone.utc) + timedelta(minutes=5)).isoformat(timespec="seconds")
    assert api.post("/attendance/punches", [punch(project, ids[0], near)]).get_json()["accepted"] == 1


def test_punch_of_worker_not_on_roster(app, api):
    project, _ = seeded_project(1)
    other, other_ids = seeded_project(1)
    rejected_item(api, "/attendance/punches", punch(project, other_ids[0]), "id_number", "不在此工程的实名制名单")
    rejected_item(api, "/attendance/punches", punch(project, new_id()), "id_number", "不在此工程的实名制名单")


def test_punch_for_unknown_project(app, api):
    _project, ids = seeded_project(1)
    item = {"project_code": "NOSUCH", "id_number": ids[0], "punched_at": "2022-05-15T08:01:00+08:00",
            "device_id": "GATE-1"}
    rejected_item(api, "/attendance/punches", item, "project_code", "工程不存在")


def payroll(project, ids, **changes):
    body = {"payroll_no": "GZ-652927-202205-01", "project_code": project.code, "month": "2022-05", "team": "钢筋班",
            "submitted_at": "2022-06-10T09:00:00+08:00",
            "lines": [{"id_number": i, "days_worked": 22, "amount_due": "5280.00", "is_back_pay": False}
                      for i in ids]}
    body.update(changes)
    return body


@pytest.mark.parametrize("amount, message", [
    ("-1.00", "不能为负数"), (-1, "不能为负数"), ("NaN", "最多两位小数"), ("1e3", "科学计数法"),
    ("5280.001", "最多两位小数"), ("５２８０", "最多两位小数"), (True, "必须是数字"), ("", "最多两位小数"),
])
def test_bad_amounts(app, api, amount, message):
    project, ids = seeded_project(2)
    body = payroll(project, ids)
    body["lines"][1]["amount_due"] = amount
    before = counts()
    assert_error(api.post("/payrolls", body), 422, "validation_failed", message, field="lines.1.amount_due")
    assert counts() == before


@pytest.mark.parametrize("raw, message", [("NaN", "不是有效数字"), ("1e3", "科学计数法"), ("5280.001", "最多两位小数"),
                                          ("-0.5", "不能为负数")])
def test_bad_amounts_as_json_numbers(app, api, raw, message):
    project, ids = seeded_project(1)
    text = __import__("json").dumps(payroll(project, ids)).replace('"5280.00"', raw)
    before = counts()
    response = api.post("/payrolls", data=text, headers={"Content-Type": "application/json"})
    assert_error(response, 422, "validation_failed", field="lines.0.amount_due")
    assert counts() == before


def test_amount_as_number_with_two_decimals_is_accepted(app, api):
    project, ids = seeded_project(1)
    text = __import__("json").dumps(payroll(project, ids)).replace('"5280.00"', "5280.5")
    assert api.post("/payrolls", data=text, headers={"Content-Type": "application/json"}).status_code == 201


def test_month_13(app, api):
    project, ids = seeded_project(1)
    before = counts()
    assert_error(api.post("/payrolls", payroll(project, ids, month="2022-13")), 422, "validation_failed",
                 "月份不存在", field="month")
    assert counts() == before


def test_payroll_worker_not_on_roster(app, api):
    project, ids = seeded_project(1)
    before = counts()
    assert_error(api.post("/payrolls", payroll(project, ids + [new_id()])), 422, "validation_failed",
                 "不在此工程的实名制名单", field="lines.1.id_number")
    assert counts() == before


def test_duplicate_worker_in_one_payroll(app, api):
    project, ids = seeded_project(2)
    before = counts()
    assert_error(api.post("/payrolls", payroll(project, [ids[0], ids[1], ids[0]])), 422, "validation_failed",
                 "重复", field="lines.2.id_number")
    assert counts() == before


def test_wrong_types_never_500(app, api):
    project, ids = seeded_project(1)
    weird = [None, 1, "x", [], {}, True, 1.5, "\u0000", "\ud800"]
    for value in weird:
        body = payroll(project, ids, month=value, team=value, submitted_at=value)
        body["lines"][0] = {"id_number": value, "days_worked": value, "amount_due": value}
        assert api.post("/payrolls", body).status_code == 422
        assert api.post("/projects", project_body(name=value, owner=value, payday=value)).status_code == 422
        assert api.post(f"/projects/{project.code}/workers", [roster_item(value, name=value)]).status_code == 200
        assert api.post("/complaints", {"complainant": value, "submitted_at": value}).status_code == 422


@pytest.mark.parametrize("role,trade", [(30, "020"), ("20", "020"), (True, "020"), (20, "999")])
def test_role_and_trade_codes_come_from_the_national_tables(app, api, role, trade):
    project, _ids = seeded_project(0)
    field, message = ("role", "人员类别代码不存在") if trade == "020" else ("trade_code", "工种代码不存在")
    rejected_item(api, f"/projects/{project.code}/workers", roster_item(new_id(), role=role, trade_code=trade),
                  field, message)
