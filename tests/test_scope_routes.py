"""Every route of the app, and the proof that another jurisdiction's data stays invisible through it.

The test walks app.url_map: a route without an entry below fails test_every_route_is_declared, so a new screen
cannot ship without saying how its scope is proven. A 木垒县 (652328) reviewer asks every route for what belongs
to 哈密 (650502): lists and searches must not name it; routes that address an object by id answer 404.
"""
from datetime import date, datetime, timezone

import pytest

from tests.conftest import make_user, sign_in
from tests.factories import ProjectFactory, employ, make_worker
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Complaint, ExportJob, Payroll
from wagewatch.models._types import utcnow

FOREIGN_NAME = "哈密外区保密工程"
# Reachable without signing in, or not about jurisdiction at all (machine clients carry their own token scopes).
UNSCOPED = {"auth.login", "auth.logout", "auth.change_password", "static", "assets.serve", "home.help",
            "ops.ready"}
# GET pages and fragments that list or search: the foreign project must not appear. {ids} fills in object ids.
LISTS = {
    "home.index": "/",
    "projects.approvals": "/projects/approvals?tab=pending&name=外区",
    "projects.site": "/projects/site",
    "selector.children": "/selector/projects.site/children?region=652300",
    "selector.search_results": "/selector/projects.site/search?q=外区",
    "projects.open_selected": "/projects/selected?action=review&selected={project}",
    "exports.index": "/exports",
    "attendance.daily": "/attendance/daily",
    "selector.search_results#attendance": "/selector/attendance.daily/search?q=外区",
    "selector.children#attendance": "/selector/attendance.daily/children?region=650000",
    "realname.index": "/realname",
    "wages.progress": "/wages/progress",
    "wages.progress_detail": "/wages/progress/detail",
    "bulletin.index": "/bulletin",
    "complaints.index": "/complaints",
    "complaints.index#case": "/complaints?case={complaint}",
}
# Routes that address one object: asked for the foreign one, they answer 404 (or 403 for a role refusal).
OBJECTS = {
    "projects.review_dialog": ("get", "/projects/{project}/review"),
    "projects.decide": ("post", "/projects/{project}/review"),
    "projects.status_dialog": ("get", "/projects/{project}/status"),
    "projects.update_status": ("post", "/projects/{project}/status"),
    "projects.site#project": ("get", "/projects/site?project_id={project}"),
    "attendance.daily#project": ("get", "/attendance/daily?project_id={project}"),
    "attendance.daily#worker": ("get", "/attendance/daily?worker_id={worker}"),
    "attendance.punches_pane": ("get", "/attendance/daily/{day}/punches"),
    "exports.detail": ("get", "/exports/{export}"),
    "exports.status": ("get", "/exports/{export}/status"),
    "exports.download": ("get", "/exports/{export}/download"),
    "exports.create": ("post", "/exports"),
    "wages.progress#project": ("get", "/wages/progress?project_id={project}"),
    "wages.progress_detail#project": ("get", "/wages/progress/detail?project_id={project}&month=2026-09"),
    "wages.sheet_lines_pane": ("get", "/wages/progress/sheets/{payroll}/lines"),
    "exports.create#wage_lines": ("post", "/exports"),
    "complaints.detail_pane": ("get", "/complaints/{complaint}/pane"),
    "complaints.supervise": ("post", "/complaints/{complaint}/supervise"),
    "complaints.close_supervision": ("post", "/complaints/{complaint}/close-supervision"),
}
OBJECT_POSTS = {"exports.create": {"kind": "roster", "project_id": "{project}"},
                "exports.create#wage_lines": {"kind": "wage_lines", "project_id": "{project}", "month": "2026-09"},
                "complaints.supervise": {"note": "督办"}, "complaints.close_supervision": {"note": "办结"}}
# POST searches (numbers kept out of URLs): what they answer or redirect to must not name the foreign project.
SEARCHES = {"complaints.search": ("/complaints/search", {"project_name": "外区"}),
            "attendance.daily": ("/attendance/daily", {"name": "外区工人", "date_from": "2026-11-20",
                                                       "date_to": "2026-11-20"})}
# Each export kind that names a project is refused for a foreign one (404, nothing queued).
OBJECTS["exports.create#attendance"] = ("post", "/exports")
OBJECT_POSTS["exports.create#attendance"] = {"kind": "attendance_daily", "project_id": "{project}"}


def declared() -> set[str]:
    from tests.test_security_matrix import admin_declared  # 系统管理 routes: their cases live in the matrix

    return UNSCOPED | set(SEARCHES) | {key.split("#")[0] for key in (*LISTS, *OBJECTS)} | admin_declared()


def test_every_route_is_declared(app):
    missing = sorted(rule.endpoint for rule in app.url_map.iter_rules()
                     if rule.endpoint not in declared() and not rule.endpoint.startswith("api."))
    assert not missing, f"routes with no scope case in tests/test_scope_routes.py: {missing}"


@pytest.fixture
def foreign(app):
    return make_foreign()


def make_foreign() -> dict:
    """Objects of 哈密 (650502): a project with a worker, a daily row, a payroll and a complaint, and an export."""
    project = ProjectFactory(name=FOREIGN_NAME, region="650502", review_status="approved", status="in_progress")
    owner = make_user("hami", "650502", "hr")
    export = ExportJob(user_id=owner.id, org_id=owner.org_id, kind="projects", params={}, status="done",
                       filename="工程清单.xlsx", description="")
    worker = make_worker("外区工人")
    employ(project, worker)
    moment = datetime(2026, 11, 20, 1, 0, tzinfo=timezone.utc)
    day = AttendanceDay(project_id=project.id, worker_id=worker.id, day=date(2026, 11, 20), first_in=moment,
                        last_out=moment, punches=1, work_minutes=0, status="single")
    payroll = Payroll(payroll_no="GZ-HAMI-01", project_id=project.id, month="2026-09", submitted_at=utcnow())
    complaint = Complaint(complaint_no="TS-FOREIGN", project_id=project.id, project_name=FOREIGN_NAME,
                          complainant_name="张三", type="拖欠工资", submitted_at=utcnow(), industry="housing")
    complaint.set_region("650502")
    db.session.add_all([export, day, payroll, complaint])
    db.session.commit()
    return {"project": project.id, "export": export.id, "worker": worker.id, "day": day.id, "payroll": payroll.id,
            "complaint": complaint.id}


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


@pytest.mark.parametrize("endpoint", sorted(SEARCHES))
def test_searches_do_not_show_another_jurisdiction(app, client, foreign, endpoint):
    sign_in(client, make_user("mulei", "652328", "hr", role="reviewer"))
    url, data = SEARCHES[endpoint]
    response = client.post(url, data=data, follow_redirects=True)
    assert response.status_code in (200, 422), response.status_code
    assert FOREIGN_NAME not in response.get_data(as_text=True)
