"""The IDOR matrix: every route of app.url_map, asked for objects outside the user's scope, for each role at
the 自治区 (another industry), prefecture and county levels, answers 404 or 403 (lists and searches never name the foreign object).

The business routes' cases come from tests/test_scope_routes.py; the 系统管理 routes are declared here. A route
declared in neither file fails test_every_route_is_declared there and test_matrix_covers_every_route here.
"""
import pytest
from sqlalchemy import func, select

from tests.conftest import make_user, sign_in
from tests.test_scope_routes import (
    FOREIGN_NAME,
    LISTS,
    OBJECT_POSTS,
    OBJECTS,
    SEARCHES,
    declared,
    make_foreign,
)
from wagewatch import audit
from wagewatch.api.auth import issue_client
from wagewatch.extensions import db
from wagewatch.models import ApiClient, RuleSetting, User

# The second login step answers only a pending password-verified login of the same browser.
ADMIN_UNSCOPED = {"auth.second_factor", "auth.enrol_second_factor"}
# 系统管理 pages that list: the foreign user must not be named.
ADMIN_LISTS = {
    "admin.index": "/admin/",
    "admin.users": "/admin/users?q=ham",
    "admin.audit_log": "/admin/audit?actor=ham",
    "admin.clients": "/admin/clients",
    "admin.settings": "/admin/settings",
}
# 系统管理 routes that address one object of another org (or a region-wide object below the 自治区).
ADMIN_OBJECTS = {
    "admin.user_detail": ("get", "/admin/users/{user}", {}),
    "admin.update_user": ("post", "/admin/users/{user}", {"org_id": "{org}", "role": "viewer"}),
    "admin.disable_user": ("post", "/admin/users/{user}/disable", {}),
    "admin.enable_user": ("post", "/admin/users/{user}/enable", {}),
    "admin.unlock_user": ("post", "/admin/users/{user}/unlock", {}),
    "admin.reset_password": ("post", "/admin/users/{user}/password", {"password": "Kunlun-77-x", "confirm": "Kunlun-77-x"}),
    "admin.reset_second_factor": ("post", "/admin/users/{user}/second-factor/reset", {}),
    "admin.create_user_form": ("post", "/admin/users/new",
                               {"username": "planted", "org_id": "{org}", "role": "sysadmin",
                                "password": "Kunlun-77-x", "confirm": "Kunlun-77-x"}),
    "admin.revoke_client": ("post", "/admin/clients/{client}/revoke", {}),
    "admin.create_client": ("post", "/admin/clients", {"name": "planted", "scopes": "bank"}),
    "admin.edit_setting": ("get", "/admin/settings/wage.min_monthly", {}),
    "admin.change_setting": ("post", "/admin/settings/wage.min_monthly",
                             {"value": "1", "reason": "x", "expected": "1900"}),
}
MARKERS = (FOREIGN_NAME, ">hami<", "hami_bank")  # names as table cells show them
ROLES = ("viewer", "reviewer", "sysadmin", "secadmin", "auditor")
# (region, org kind, industry): at the 自治区 level only another industry's authority has anything out of scope.
LEVELS = {"region-transport": ("650000", "industry", "transport"), "prefecture": ("652300", "hr", None),
          "county": ("652328", "hr", None)}


def admin_declared() -> set[str]:
    return ADMIN_UNSCOPED | set(ADMIN_LISTS) | set(ADMIN_OBJECTS)


def test_matrix_covers_every_route(app):
    known = declared()  # the business routes of test_scope_routes.py and admin_declared() above
    missing = sorted(r.endpoint for r in app.url_map.iter_rules()
                     if r.endpoint not in known and not r.endpoint.startswith("api."))
    assert not missing, f"routes with no IDOR matrix entry: {missing}"


@pytest.fixture
def everything_foreign(app):
    """test_scope_routes' 哈密 objects, with its user given a second factor and a lock, an audit entry of that
    user, and a region-wide API client."""
    base = make_foreign()
    owner = db.session.scalars(select(User).where(User.username == "hami")).one()
    owner.totp_enabled_at, owner.locked_until = owner.created_at, owner.created_at.replace(year=2099)
    audit.record("login", owner, user_id=owner.id, actor=owner.username)
    client, _token = issue_client("hami_bank", ["bank"])
    db.session.commit()
    return {**base, "user": owner.id, "org": owner.org_id, "client": client.id}


def _state():
    """What a successful forbidden call would change."""
    user = db.session.scalars(select(User).where(User.username == "hami")).one()
    return (user.active, user.role, user.org_id, user.password_hash, user.locked_until, user.totp_enabled_at,
            db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(ApiClient)),
            db.session.scalars(select(ApiClient.active)).all(), db.session.get(RuleSetting, "wage.min_monthly").value)


@pytest.mark.parametrize("level", sorted(LEVELS))
@pytest.mark.parametrize("role", ROLES)
def test_nothing_outside_the_scope_is_reachable(app, client, everything_foreign, role, level):
    objects = everything_foreign
    region, kind, industry = LEVELS[level]
    sign_in(client, make_user(f"me_{role}", region, kind, industry, role=role))
    before = _state()
    failures = []
    for endpoint, url in {**LISTS, **ADMIN_LISTS}.items():
        response = client.get(url.format(**objects))
        text = response.get_data(as_text=True)
        if response.status_code not in (200, 302, 303, 403, 404, 422) or any(m in text for m in MARKERS):
            failures.append((endpoint, response.status_code))
    for endpoint, (url, data) in SEARCHES.items():
        response = client.post(url, data=data, follow_redirects=True)
        if response.status_code not in (200, 403, 422) or any(m in response.get_data(as_text=True) for m in MARKERS):
            failures.append((endpoint, response.status_code))
    cases = {key: (method, url, OBJECT_POSTS.get(key) or OBJECT_POSTS.get(key.split("#")[0], {}))
             for key, (method, url) in OBJECTS.items()}
    for key, (method, url, data) in {**cases, **ADMIN_OBJECTS}.items():
        filled = {k: v.format(**objects) for k, v in data.items()}
        response = getattr(client, method)(url.format(**objects), data=filled or None)
        text = response.get_data(as_text=True)
        # Creating with a foreign org is refused as an invalid choice (422): the org is not offered.
        allowed = (403, 404, 422) if key == "admin.create_user_form" else (403, 404)
        if response.status_code not in allowed or any(m in text for m in MARKERS):
            failures.append((key, response.status_code))
    db.session.expire_all()
    assert not failures, failures
    assert _state() == before
