"""Jurisdiction and roles on every 项目管理 route: out of scope is 404 everywhere, a viewer cannot act (403)."""
import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from tests.factories import ProjectFactory, employ, make_worker
from wagewatch.extensions import db
from wagewatch.models import AuditLog, Project
from wagewatch.projects import exports

USERS = {
    "county-hr": dict(region="652328", kind="hr"),
    "prefecture-hr": dict(region="652300", kind="hr"),
    "county-housing": dict(region="652328", kind="industry", industry="housing"),
}
# (project key -> region, industry); which keys each user may see
PROJECTS = {"mulei-housing": ("652328", "housing"), "mulei-transport": ("652328", "transport"),
            "changji-housing": ("652301", "housing"), "wushi-housing": ("652927", "housing")}
VISIBLE = {"county-hr": {"mulei-housing", "mulei-transport"},
           "prefecture-hr": {"mulei-housing", "mulei-transport", "changji-housing"},
           "county-housing": {"mulei-housing"}}


@pytest.fixture
def world(app):
    made = {}
    for key, (region, industry) in PROJECTS.items():
        for review in ("pending", "approved"):
            project = ProjectFactory(name=f"{key}-{review}", region=region, trade=industry, review_status=review)
            employ(project, make_worker(f"工人{key}{review}"))
            made[(key, review)] = project
    db.session.commit()
    return made


def hidden(world, who):
    return [(key, review) for (key, review) in world if key not in VISIBLE[who]]


def snapshot():
    db.session.expire_all()
    rows = db.session.execute(select(Project.id, Project.review_status, Project.status)).all()
    return sorted(rows), db.session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.action.in_(("project_reviewed", "project_status_changed"))))


@pytest.mark.parametrize("who", USERS)
def test_lists_show_only_visible_projects(client, login, world, who):
    login(**USERS[who])
    for tab in ("pending", "approved"):
        html = client.get(f"/projects/approvals?tab={tab}").get_data(as_text=True)
        for (key, review), project in world.items():
            assert (project.name in html) == (key in VISIBLE[who] and review == tab), (project.name, tab)
    html = client.get("/selector/projects.site/search?q=-").get_data(as_text=True)
    for (key, _), project in world.items():
        assert (project.name in html) == (key in VISIBLE[who])


@pytest.mark.parametrize("who", USERS)
def test_out_of_scope_ids_answer_404_on_every_route(client, hx, login, world, who):
    login(**USERS[who])
    before = snapshot()
    for key, review in hidden(world, who):
        pid = world[(key, review)].id
        for requester in (client, hx):
            assert requester.get(f"/projects/{pid}/review").status_code == 404
            assert requester.post(f"/projects/{pid}/review", data={"decision": "approved"}).status_code == 404
            assert requester.get(f"/projects/{pid}/status").status_code == 404
            assert requester.post(f"/projects/{pid}/status", data={"status": "completed"}).status_code == 404
            for tab in ("workers", "info"):
                response = requester.get(f"/projects/site?project_id={pid}&tab={tab}")
                assert response.status_code == 404 and f"{key}-{review}" not in response.get_data(as_text=True)
    assert snapshot() == before


@pytest.mark.parametrize("who", USERS)
def test_roster_export_generator_rechecks_scope(login, world, who):
    user = login(**USERS[who])
    for (key, review), project in world.items():
        params = {"project_id": str(project.id)}
        if key in VISIBLE[who]:
            assert [row[0] for row in exports.rows(user, params)] == [f"工人{key}{review}"]
        else:
            with pytest.raises(NotFound):
                list(exports.rows(user, params))
    with pytest.raises(NotFound):
        list(exports.rows(user, {"project_id": "abc"}))


def test_export_request_for_an_out_of_scope_project_is_404_and_queues_nothing(client, login, world):
    from wagewatch.models import ExportJob

    login(**USERS["county-hr"])
    response = client.post("/exports", data={"kind": "roster", "project_id": world[("wushi-housing", "pending")].id})
    assert response.status_code == 404
    assert db.session.scalars(select(ExportJob)).all() == []


@pytest.mark.parametrize("code,allowed", [("652328", {"county-hr", "prefecture-hr", "county-housing"}),
                                          ("652301", {"prefecture-hr"}), ("652300", {"prefecture-hr"}),
                                          ("652927", set()), ("650000", set())])
@pytest.mark.parametrize("who", USERS)
def test_tree_children_out_of_scope_regions_answer_404(hx, login, world, who, code, allowed):
    login(**USERS[who])
    response = hx.get(f"/selector/projects.site/children?region={code}")
    assert response.status_code == (200 if who in allowed else 404)
    if response.status_code == 200:
        for (key, _), project in world.items():
            if key not in VISIBLE[who]:
                assert project.name not in response.get_data(as_text=True)


def test_industry_user_sees_no_other_industry_in_a_branch(hx, login, world):
    login(**USERS["county-housing"])
    html = hx.get("/selector/projects.site/children?region=652328").get_data(as_text=True)
    assert "mulei-housing-pending" in html and "mulei-transport" not in html


def test_region_filter_outside_scope_is_refused(client, login, world):
    login(**USERS["county-hr"])
    response = client.get("/projects/approvals?region=652927")
    assert response.status_code == 422 and "wushi" not in response.get_data(as_text=True)


def test_viewer_cannot_decide_or_change_status(client, hx, login, world):
    login(role="viewer", **USERS["county-hr"])
    pending, approved = world[("mulei-housing", "pending")], world[("mulei-housing", "approved")]
    before = snapshot()
    for requester in (client, hx):
        assert requester.post(f"/projects/{pending.id}/review", data={"decision": "approved"}).status_code == 403
        assert requester.get(f"/projects/{approved.id}/status").status_code == 403
        assert requester.post(f"/projects/{approved.id}/status", data={"status": "completed"}).status_code == 403
    assert snapshot() == before
    dialog = hx.get(f"/projects/{pending.id}/review")
    html = dialog.get_data(as_text=True)
    assert dialog.status_code == 200 and pending.name in html and "确定</button>" not in html
    assert 'name="decision"' not in html


def test_anonymous_users_are_sent_to_login(client, world):
    pid = world[("mulei-housing", "pending")].id
    for url in ("/projects/approvals", f"/projects/{pid}/review", f"/projects/{pid}/status", "/projects/site",
                "/selector/projects.site/children?region=652328", "/selector/projects.site/search?q=a"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.post(f"/projects/{pid}/review", data={"decision": "approved"}).status_code == 302
