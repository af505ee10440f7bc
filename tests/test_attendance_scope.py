"""人员考勤日报表 jurisdiction per role and level: list, 工程 choice, pane, export and direct URLs (404 outside)."""
import pytest
from sqlalchemy import select

from tests.attendance_helpers import YESTERDAY, aggregate, sheet, site, worked
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, ExportJob, User
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
    choices = client.get("/selector/attendance.daily/search?q=工程").get_data(as_text=True)
    for key, (project, worker) in made.items():
        assert (worker.name in html) == (key in VISIBLE[who]), key
        assert (project.name in choices) == (key in VISIBLE[who]), key
        assert (f"/attendance/daily?project_id={project.id}" in choices) == (key in VISIBLE[who]), key
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


@pytest.mark.parametrize("span", [0, 1])
@pytest.mark.parametrize("sort", ["-day", "day", "project"])
def test_pages_read_project_by_project_keep_order_and_scope_on_postgresql(pg_app, sort, span):
    """A prefecture user's pages (read through each visible project's index) walk every visible row once, in
    order, forward and back, and never another prefecture's."""
    from datetime import timedelta

    from tests.conftest import make_user, sign_in
    from wagewatch.attendance import queries

    made = []
    for key, region in (("a", "652328"), ("b", "652327"), ("c", "650502"), ("d", "652301")):
        project, workers = site(name=f"工程{key}", region=region, workers=tuple(f"{key}{n}" for n in range(9)))
        for offset in range(2):
            for worker in workers:
                worked(project, worker, day=YESTERDAY - timedelta(days=offset))
        made.append(project)
    aggregate()
    client = pg_app.test_client()
    sign_in(client, make_user("changji", "652300", "hr"))
    user = db.session.scalars(select(User).where(User.username == "changji")).one()
    filters = {"date_from": YESTERDAY - timedelta(days=span), "date_to": YESTERDAY}
    assert queries.per_project(user, filters)
    expected = [(r.day, r.project_id, r.worker_id) for r in db.session.execute(
        queries.filtered(user, filters).order_by(*(
            (c.desc() if sort == "-day" else c.asc()) for c in queries._key(sort)[0])))]
    assert len(expected) == 27 * (span + 1) and all(p != made[2].id for _d, p, _w in expected)
    seen, after, pages = [], None, []
    while True:
        listing = queries.page(user, filters, sort, after, None, 1)
        keys = [(r.day, r.project_id, r.worker_id) for r in listing.items]
        pages.append((after, keys))
        seen += keys
        if not listing.next_cursor:
            break
        after = listing.next_cursor
    assert seen == expected
    back = queries.page(user, filters, sort, None, queries.cursor_of(listing.items[0]), 1)
    assert [(r.day, r.project_id, r.worker_id) for r in back.items] == pages[-2][1]
