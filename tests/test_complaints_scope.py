"""Scope of 欠薪投诉监控: a case belongs to its project's regulators, or to those of its own region and industry
when it matches no project. List, pane, 督办 and export at every level."""
from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import select

from tests.complaint_factories import make_complaint
from tests.factories import ProjectFactory
from wagewatch.extensions import db
from wagewatch.models import Complaint, ExportJob

CASES = {"A": "project in 木垒县, 住建", "B": "no project, 木垒县, 住建", "C": "no project, 额敏县 (塔城), 水利"}
ORGS = [
    ({"region": "650000"}, "ABC"),
    ({"region": "650000", "kind": "industry", "industry": "water"}, "C"),
    ({"region": "652300"}, "AB"),
    ({"region": "652328"}, "AB"),
    ({"region": "652328", "kind": "industry", "industry": "housing"}, "AB"),
    ({"region": "652328", "kind": "industry", "industry": "water"}, ""),
    ({"region": "654200"}, "C"),
    ({"region": "654200", "kind": "industry", "industry": "water"}, "C"),
    ({"region": "650502"}, ""),
]


@pytest.fixture
def cases(app):
    project = ProjectFactory(region="652328", trade="housing", name="木垒县测试工程")
    found = {"A": make_complaint(project=project, complaint_no="TSCASEA"),
             "B": make_complaint(region="652328", industry="housing", complaint_no="TSCASEB"),
             "C": make_complaint(region="654221", industry="water", complaint_no="TSCASEC")}
    db.session.commit()
    return {name: c.id for name, c in found.items()}


def _ids(org):
    return "-".join(f"{k}={v}" for k, v in org[0].items())


@pytest.mark.parametrize("org, visible", ORGS, ids=[_ids(o) for o in ORGS])
def test_list_and_pane(client, hx, login, cases, org, visible):
    login(role="viewer", **org)
    html = client.get("/complaints").text
    assert {name for name in CASES if f"TSCASE{name}" in html} == set(visible)
    for name, complaint_id in cases.items():
        expected = 200 if name in visible else 404
        assert hx.get(f"/complaints/{complaint_id}/pane").status_code == expected
        assert client.get(f"/complaints?case={complaint_id}").status_code == expected


@pytest.mark.parametrize("org, visible", ORGS, ids=[_ids(o) for o in ORGS])
def test_supervise_out_of_scope_is_404_and_changes_nothing(hx, login, cases, org, visible):
    login(role="reviewer", **org)
    for name, complaint_id in cases.items():
        response = hx.post(f"/complaints/{complaint_id}/supervise", data={"note": "督办", "expected": "none"})
        assert response.status_code == (200 if name in visible else 404)
    db.session.expire_all()
    states = {name: db.session.get(Complaint, i).supervision_status for name, i in cases.items()}
    assert {name for name, state in states.items() if state == "supervising"} == set(visible)


@pytest.mark.parametrize("org, visible", ORGS, ids=[_ids(o) for o in ORGS])
def test_export_holds_only_the_users_cases(client, login, cases, org, visible):
    login(role="reviewer", **org)
    response = client.post("/exports", data={"kind": "complaints"})
    assert response.status_code == 303
    export = db.session.scalars(select(ExportJob)).one()
    assert export.status == "done", export.error
    data = client.get(f"/exports/{export.id}/download")
    rows = list(openpyxl.load_workbook(BytesIO(data.data), read_only=True).active.iter_rows(values_only=True))
    assert {row[0][-1] for row in rows[1:]} == set(visible)


def test_a_region_filter_outside_the_jurisdiction_is_refused(client, login, cases):
    login(role="reviewer", region="652300")
    assert client.get("/complaints?region=654200").status_code == 422
    assert client.post("/exports", data={"kind": "complaints", "region": "654200"}).status_code == 404
    assert client.post("/exports", data={"kind": "complaints", "submitted_from": "x"}).status_code == 400
    assert db.session.scalars(select(ExportJob)).first() is None
