"""Every route of the app, and the proof that another jurisdiction's data stays invisible through it.

The test walks app.url_map: a route without an entry below fails test_every_route_is_declared, so a new screen
cannot ship without saying how its scope is proven. A 木垒县 (652328) reviewer asks every route for what belongs
to 哈密 (650502): lists and searches must not name it; routes that address an object by id answer 404.
"""
import pytest

from tests.complaint_factories import make_complaint
from tests.conftest import make_user, sign_in
from tests.factories import ProjectFactory
from wagewatch.extensions import db
from wagewatch.models import ExportJob, Payroll
from wagewatch.models._types import utcnow

FOREIGN_NAME = "哈密外区保密工程"
# Reachable without signing in, or not about jurisdiction at all (machine clients carry their own token scopes).
UNSCOPED = {"auth.login", "auth.logout", "auth.change_password", "static", "assets.serve", "home.help"}
# GET pages and fragments that list or search: the foreign project must not appear. {ids} fills in object ids.
LISTS = {
    "home.index": "/",
    "projects.approvals": "/projects/approvals?tab=pending&name=外区",
    "projects.site": "/projects/site",
    "projects.tree_children": "/projects/tree/children?region=652300",
    "projects.tree_search": "/projects/tree/search?q=外区",
    "projects.open_selected": "/projects/selected?action=review&selected={project}",
    "exports.index": "/exports",
    "attendance.daily": "/attendance/daily",
    "realname.index": "/realname",
    "wages.progress": "/wages/progress",
    "wages.progress_detail": "/wages/progress/detail",
    "bulletin.index": "/bulletin",
    "complaints.index": "/complaints",
    "complaints.search": "/complaints/search?project=外区",
}
# Routes that address one object: asked for the foreign one, they answer 404 (or 403 for a role refusal).
OBJECTS = {
    "projects.review_dialog": ("get", "/projects/{project}/review"),
    "projects.decide": ("post", "/projects/{project}/review"),
    "projects.status_dialog": ("get", "/projects/{project}/status"),
    "projects.update_status": ("post", "/projects/{project}/status"),
    "projects.site#project": ("get", "/projects/site?project_id={project}"),
    "exports.detail": ("get", "/exports/{export}"),
    "exports.status": ("get", "/exports/{export}/status"),
    "exports.download": ("get", "/exports/{export}/download"),
    "exports.create": ("post", "/exports"),
    "wages.progress#project": ("get", "/wages/progress?project_id={project}"),
    "wages.progress_detail#project": ("get", "/wages/progress/detail?project_id={project}&month=2026-09"),
    "wages.sheet_lines_pane": ("get", "/wages/progress/sheets/{payroll}/lines"),
    "exports.create#wage_lines": ("post", "/exports"),
    "complaints.index#case": ("get", "/complaints?case={complaint}"),
    "complaints.detail_pane": ("get", "/complaints/{complaint}/pane"),
    "complaints.supervise": ("post", "/complaints/{complaint}/supervise"),
    "complaints.close_supervision": ("post", "/complaints/{complaint}/close-supervision"),
}
OBJECT_POSTS = {"exports.create": {"kind": "roster", "project_id": "{project}"},
                "exports.create#wage_lines": {"kind": "wage_lines", "project_id": "{project}", "month": "2026-09"}}


def declared() -> set[str]:
    return UNSCOPED | set(LISTS) | {key.split("#")[0] for key in OBJECTS}


def test_every_route_is_declared(app):
    missing = sorted(rule.endpoint for rule in app.url_map.iter_rules()
                     if rule.endpoint not in declared() and not rule.endpoint.startswith("api."))
    assert not missing, f"routes with no scope case in tests/test_scope_routes.py: {missing}"


@pytest.fixture
def foreign(app):
    """A project of 哈密 and an export of a 哈密 user, and a signed-in 木垒县 reviewer."""
    project = ProjectFactory(name=FOREIGN_NAME, region="650502", review_status="approved", status="in_progress")
    owner = make_user("hami", "650502", "hr")
    export = ExportJob(user_id=owner.id, org_id=owner.org_id, kind="projects", params={}, status="done",
                       filename="工程清单.xlsx", description="")
    db.session.add(export)
    payroll = Payroll(payroll_no="GZ-HAMI-01", project_id=project.id, month="2026-09", submitted_at=utcnow())
    db.session.add(payroll)
    complaint = make_complaint(project=project, complaint_no="TSHAMI01")
    db.session.commit()
    return {"project": project.id, "export": export.id, "payroll": payroll.id, "complaint": complaint.id}


@pytest.mark.parametrize("endpoint", sorted(LISTS))
def test_lists_do_not_show_another_jurisdiction(app, client, foreign, endpoint):
    sign_in(client, make_user("mulei", "652328", "hr", role="reviewer"))
    response = client.get(LISTS[endpoint].format(**foreign))
    assert response.status_code in (200, 303, 404, 422), response.status_code
    assert FOREIGN_NAME not in response.get_data(as_text=True)


@pytest.mark.parametrize("key", sorted(OBJECTS))
def test_objects_of_another_jurisdiction_answer_404(app, client, foreign, key):
    sign_in(client, make_user("mulei", "652328", "hr", role="reviewer"))
    method, url = OBJECTS[key]
    posts = OBJECT_POSTS.get(key) or OBJECT_POSTS.get(key.split("#")[0], {})
    data = {k: v.format(**foreign) for k, v in posts.items()}
    response = getattr(client, method)(url.format(**foreign), data=data or None)
    assert response.status_code == 404, (key, response.status_code)
    assert FOREIGN_NAME not in response.get_data(as_text=True)
