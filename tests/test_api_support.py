"""Helpers for the intake API tests: a token-carrying client, a seeded project with roster, row counts."""
import random
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import REFERENCE_TABLES
from tests.factories import ProjectFactory, employ, make_worker
from wagewatch.api.auth import issue_client
from wagewatch.extensions import db
from wagewatch.identity import make_id_number, make_uscc
from wagewatch.models.api import API_SCOPES
from wagewatch.people import id_number_of

REFERENCE = REFERENCE_TABLES
rng = random.Random(3)


class Api:
    """A Flask test client that sends a bearer token and JSON."""

    def __init__(self, app, scopes=API_SCOPES, name=None):
        client, self.token = issue_client(name or f"client{rng.randrange(10**9)}", list(scopes))
        db.session.commit()
        self.client_id = client.id
        self.http = app.test_client()

    def call(self, method, path, body=None, headers=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        if body is not None:
            kwargs["json"] = body
        return getattr(self.http, method)("/api/v1" + path, headers=headers, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.call("post", path, body, **kwargs)

    def put(self, path, body=None, **kwargs):
        return self.call("put", path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.call("patch", path, body, **kwargs)


@pytest.fixture
def api(app):
    return Api(app)


def counts() -> dict[str, int]:
    """Row counts of every non-reference table: "the database is unchanged" means these are equal."""
    tables = [t for t in db.metadata.sorted_tables if t.name not in REFERENCE]
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in tables}


def seeded_project(workers: int = 3, region: str = "652927", **kwargs):
    """An approved project with a roster; returns (project, [ID numbers])."""
    project = ProjectFactory(region=region, review_status=kwargs.pop("review_status", "approved"), **kwargs)
    ids = []
    for _ in range(workers):
        worker = make_worker()
        employ(project, worker, joined_on=date(2022, 5, 12))
        ids.append(id_number_of(worker))
    db.session.commit()
    return project, ids


def project_body(code="XJ2022050800017", **changes) -> dict:
    body = {"code": code, "name": "乌什县第二中学教学楼建设项目", "region_code": "652927", "address": "乌什县英阿瓦提路",
            "industry": "housing", "funding": "government", "contract_amount": "12800000.00",
            "planned_start": "2022-05-20", "planned_end": "2023-09-30", "registered_on": "2022-05-08", "payday": 15,
            "owner": {"name": "乌什县住房和城乡建设局", "uscc": USCC_OWNER},
            "contractor": {"name": "乌什县新诺建设有限公司", "uscc": USCC_CONTRACTOR},
            "manager_name": "王建国", "labour_officer": {"name": "李娜", "phone": "13899990000"}}
    body.update(changes)
    return body


def new_id(region="652927") -> str:
    """A valid ID number not handed out before in this run (random ones can collide)."""
    while True:
        found = make_id_number(rng, region)
        if found not in ISSUED:
            ISSUED.add(found)
            return found


ISSUED: set[str] = set()


USCC_OWNER = make_uscc(random.Random(1), "652927", "11")
USCC_CONTRACTOR = make_uscc(random.Random(2), "652927", "91")


def assert_error(response, status, code, message=None, field=None, index=None):
    """Status, error code, Chinese message, and (when given) the detail naming the field."""
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error["message"]
    if field is not None:
        details = error.get("details") or []
        hits = [d for d in details if d["field"] == field and (index is None or d.get("index") == index)]
        assert hits, details
        if message:
            assert any(message in d["message"] for d in hits), hits
        return hits[0]
    if message:
        assert message in error["message"]
    return error


def complaint_body(id_number, **changes):
    body = {"complaint_no": "TS2022051500001", "project_code": None, "project_name": "pyq测试工程新疆某某项目",
            "contractor_name": "广西东信云网科技有限公司", "region_code": "654200", "industry": "housing",
            "complainant": {"name": "张楠懿", "id_number": id_number, "phone": "13800000000"},
            "type": "拖欠工资", "amount_claimed": "8600.00", "workers_involved": 1, "description": "拖欠两个月工资",
            "submitted_at": "2022-07-15T17:52:00+08:00"}
    body.update(changes)
    return body
