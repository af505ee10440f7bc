"""人员考勤日报表 jurisdiction per role and level: list, 工程 choice, pane, export and direct URLs (404 outside)."""
import pytest
from sqlalchemy import select

from tests.attendance_helpers import YESTERDAY, aggregate, sheet, site, worked
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, ExportJob
from wagewatch.people import id_number_of

USERS = {
    "region-hr": dict(region="650000", kind="hr"),
    "region-transport": dict(region="650000", kind="industry", industry="transport"),
    "prefecture-hr": dict(region="652300", kind="hr"),
    "county-hr": dict(region="652328", kind="hr"),
    "county-housing": dict(region="652328", kind="industry", industry="housing"),
    "county-housing-viewer": dict(region="652328", kind="industry", industry="housing", role="viewer"),
}
PROJECTS = {"mulei-housing": ("652328", "housing"), "mulei-transport": ("652328", "transport"),
            "jimsar-housing": ("652327", "housing"), "hami-transport": ("650502", "transport")}
VISIBLE = {
    "region-hr": set(PROJECTS),
    "region-transport": {"mulei-transport", "hami-transport"},
    "prefecture-hr": {"mulei-housing", "mulei-transport", "jimsar-housing"},
    "county-hr": {"mulei-housing", "mulei-transport"},
    "county-housing": {"mulei-housing"},
    "county-housing-viewer": {"mulei-housing"},
}


@pytest.fixture
def world(app):
    made = {}
    for key, (region, industry) in PROJECTS.items():
        project, (worker,) = site(name=f"{key}工程", region=region, trade=industry, workers=(f"工人{key}",))
        worked(project, worker)
        made[key] = (project, worker)
    aggregate()
    days = {key: db.session.scalars(select(AttendanceDay).where(AttendanceDay.project_id == project.id)).one()
            for key, (project, _worker) in made.items()}
    return made, days


def table(html: str) -> str:
    return html.split('id="daily-table"')[1] if 'id="daily-table"' in html else ""


@pytest.mark.parametrize("who", USERS)
def test_list_and_project_choice_show_only_the_jurisdiction(client, login, world, who):
    made, _days = world
    login(**USERS[who])
    html = table(client.get("/attendance/daily").get_data(as_text=True))
    choices = client.get("/attendance/daily/projects?q=工程").get_data(as_text=True)
    for key, (project, worker) in made.items():
        assert (worker.name in html) == (key in VISIBLE[who]), key
        assert (project.name in choices) == (key in VISIBLE[who]), key
        # Searching a hidden worker by full ID number finds nothing, never another region's row.
        found = table(client.post("/attendance/daily", data={"id_number": id_number_of(worker)},
                                  follow_redirects=True).get_data(as_text=True))
        assert (worker.name in found) == (key in VISIBLE[who]), key


@pytest.mark.parametrize("who", USERS)
def test_out_of_scope_ids_answer_404(client, hx, login, world, who):
    made, days = world
    login(**USERS[who])
    for key, (project, worker) in made.items():
        expected = 200 if key in VISIBLE[who] else 404
        assert client.get(f"/attendance/daily?project_id={project.id}").status_code == expected, key
        assert client.get(f"/attendance/daily?worker_id={worker.id}").status_code == expected, key
        assert client.get(f"/attendance/daily/{days[key].id}/punches").status_code == expected, key
        assert hx.get(f"/attendance/daily/{days[key].id}/punches").status_code == expected, key
    for bad in ("0", "x", "99999999999", "-1"):
        assert client.get(f"/attendance/daily?project_id={bad}").status_code == 404
        assert client.get(f"/attendance/daily?worker_id={bad}").status_code == 404
    assert client.get("/attendance/daily/999999/punches").status_code == 404
    assert client.get("/attendance/daily?after=garbage").status_code == 404


@pytest.mark.parametrize("who", [w for w in USERS if USERS[w].get("role") != "viewer"])
def test_export_holds_only_the_jurisdiction_and_refuses_hidden_projects(client, login, world, who):
    made, _days = world
    login(**USERS[who])
    response = client.post("/exports", data={"kind": "attendance_daily", "date_from": YESTERDAY.isoformat(),
                                              "date_to": YESTERDAY.isoformat()})
    assert response.status_code == 303
    export = db.session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
    assert export.status == "done", export.error
    rows = sheet(client.get(f"/exports/{export.id}/download").data)
    names = {row[4] for row in rows[1:]}
    assert names == {f"工人{key}" for key in VISIBLE[who]}
    for key, (project, _worker) in made.items():
        if key not in VISIBLE[who]:
            before = db.session.scalar(select(ExportJob.id).order_by(ExportJob.id.desc()))
            refused = client.post("/exports", data={"kind": "attendance_daily", "project_id": str(project.id)})
            assert refused.status_code == 404
            assert db.session.scalar(select(ExportJob.id).order_by(ExportJob.id.desc())) == before


def test_a_viewer_sees_the_list_but_cannot_export_personal_data(client, login, world):
    login(**USERS["county-housing-viewer"])
    html = client.get("/attendance/daily").get_data(as_text=True)
    assert "工人mulei-housing" in html and "导出数据" not in html
    assert client.post("/exports", data={"kind": "attendance_daily"}).status_code == 403
