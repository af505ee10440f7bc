"""Column lengths: every text and key field at its documented maxLength fits PostgreSQL; one more is a 422."""
import json

from tests.test_api_contract import complaint
from tests.test_api_support import Api, counts, project_body


def length_cases(api, project, ids):
    """(field path, longest allowed, kind, request maker): every text and key field a client sends."""
    from tests.test_api_intake import bank
    from tests.test_api_validation import payroll, roster_item

    seq = iter(range(10**6))
    owner = project_body()["owner"]

    def doc(method, path, base, field):
        def make(value):
            body = json.loads(json.dumps(base() if callable(base) else base))
            target, *parts = body, *field.split(".")
            for part in parts[:-1]:
                target = target[int(part)] if isinstance(target, list) else target[part]
            target[parts[-1]] = value
            return method, path() if callable(path) else path, body
        return make

    fresh_complaint = lambda: complaint(ids[0], complaint_no=f"TS{next(seq)}")  # noqa: E731
    punch = {"project_code": project.code, "id_number": ids[0], "punched_at": "2022-05-15T08:01:00+08:00",
             "device_id": "GATE-1"}

    def event_path():
        no = f"TS{next(seq)}"
        api.post("/complaints", complaint(ids[0], complaint_no=no))
        return f"/complaints/{no}/events"

    cases = [(f, n, "doc", doc("post", "/projects", project_body("XJLEN"), f)) for f, n in [
        ("name", 200), ("address", 200), ("owner.name", 128), ("contractor.name", 128), ("manager_name", 64),
        ("labour_officer.name", 64), ("code", 32)]]
    cases += [(f, n, "doc", doc("patch", f"/projects/{project.code}", {"labour_officer": {
        "name": "李娜", "phone": "13899990000"}, "manager_name": "王建国"}, f)) for f, n in [
        ("manager_name", 64), ("labour_officer.name", 64)]]
    cases += [(f, n, "doc", doc("put", f"/projects/{project.code}/wage-account", {
        "bank_name": "农行", "account_no": "30010101040012345", "account_name": "专户"}, f)) for f, n in [
        ("bank_name", 128), ("account_name", 200)]]
    cases += [(f, n, "batch", doc("post", f"/projects/{project.code}/workers", roster_item(
        ids[0], subcontractor={**owner}), f)) for f, n in [("name", 64), ("team", 64), ("subcontractor.name", 128)]]
    cases += [("device_id", 64, "batch", doc("post", "/attendance/punches", punch, "device_id"))]
    cases += [(f, n, "doc", doc("post", "/payrolls", lambda: payroll(project, ids, payroll_no=f"GZ{next(seq)}"), f))
              for f, n in [("team", 64), ("payroll_no", 64)]]
    cases += [("results.0.fail_reason", 200, "bank", doc("post", "/payrolls/GZ-LEN/bank-results", bank(
        ids[:1], status="failed", amount=None, at=None), "results.0.fail_reason")),
              ("batch_no", 64, "doc", doc("post", "/payrolls/GZ-LEN/bank-results", bank(ids[:1]), "batch_no"))]
    cases += [(f, n, "doc", doc("post", "/complaints", fresh_complaint, f)) for f, n in [
        ("project_name", 200), ("contractor_name", 200), ("complainant.name", 64), ("description", 5000),
        ("complaint_no", 32)]]
    cases += [("note", 2000, "doc", doc("post", event_path, {"kind": "enterprise_read",
                                                             "at": "2022-07-16T10:00:00+08:00"}, "note"))]
    return cases


def test_the_longest_allowed_text_fits_every_postgresql_column_and_one_more_is_422(pg_app):
    """Each text field at its documented maxLength is stored (no DataError from varchar(n)); one character more
    answers 422 (or a rejected batch item) naming the field, and nothing is written."""
    from tests.test_api_support import seeded_project
    from tests.test_api_validation import payroll

    api = Api(pg_app)
    project, ids = seeded_project(2)
    api.post("/payrolls", payroll(project, ids, payroll_no="GZ-LEN"))
    for field, longest, kind, make in length_cases(api, project, ids):
        letter = "A" if field.endswith(("code", "_no", "device_id")) else "长"
        for value, fits in ((letter * longest, True), (letter * (longest + 1), False)):
            method, path, body = make(value)
            before = counts()
            response = api.call(method, path, [body] if kind == "batch" else body)
            answer = response.get_json()
            where = f"{method} {path} {field} {len(value)}: {str(answer)[:300]}"
            if fits:
                assert response.status_code in (200, 201), where
                assert kind == "doc" or answer["rejected"] == [], where
                continue
            if kind == "doc":
                assert response.status_code == 422, where
                assert [d["field"] for d in answer["error"]["details"]] == [field], where
            else:
                [rejected] = answer["rejected"]
                assert rejected["index"] == 0 and [e["field"] for e in rejected["errors"]] == [
                    field.removeprefix("results.0.")], where
            assert counts() == before, where
