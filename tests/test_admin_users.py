"""用户管理: 三员分立 roles, org scoping (own org and below only), and sessions ended at once."""
import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, make_user
from wagewatch.extensions import db
from wagewatch.models import AuditLog, Org, User
from wagewatch.models.orgs import ADMIN_ROLES, ROLES


def org_id(region, kind="hr", industry=None):
    stmt = select(Org.id).where(Org.region_code == region, Org.kind == kind)
    stmt = stmt.where(Org.industry == industry) if industry else stmt.where(Org.industry.is_(None))
    return db.session.scalar(stmt)


def other_client(app, username):
    """A second browser logged in as username."""
    client = app.test_client()
    assert client.post("/auth/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_roles_are_five_and_one_per_account():
    assert set(ROLES) == {"viewer", "reviewer", "sysadmin", "secadmin", "auditor"}
    assert set(ADMIN_ROLES) == {"sysadmin", "secadmin", "auditor"}
    assert isinstance(User.__table__.c.role.type.length, int)  # one role column: no account holds two roles


def test_cli_create_maps_old_admin_to_sysadmin(app):
    result = app.test_cli_runner().invoke(args=["user", "create", "topadmin", "--region", "650000", "--kind", "hr",
                                                "--role", "admin"], env={"WAGEWATCH_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert "系统管理员" in result.output
    assert db.session.scalars(select(User).where(User.username == "topadmin")).one().role == "sysadmin"
    result = app.test_cli_runner().invoke(args=["user", "create", "topaudit", "--region", "650000", "--kind", "hr",
                                                "--role", "auditor"], env={"WAGEWATCH_PASSWORD": PASSWORD})
    assert result.exit_code == 0 and "审计管理员" in result.output


@pytest.mark.parametrize("role", ["viewer", "reviewer", "secadmin", "auditor"])
def test_only_sysadmin_manages_users(app, client, login, role):
    login(role=role)
    target = make_user("someone", "652328")
    status = 200 if role == "secadmin" else 403  # 安全管理员 reads the list to unlock accounts
    assert client.get("/admin/users").status_code == status
    assert client.post(f"/admin/users/{target.id}/disable").status_code == 403
    assert client.post(f"/admin/users/{target.id}/password", data={"password": "x", "confirm": "x"}).status_code == 403


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_administrators_see_no_business_data(app, client, login, role):
    login(role=role)
    assert client.get("/projects/approvals").status_code == 403
    assert client.get("/projects/site").status_code == 403
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/admin/")
    assert client.post("/exports", data={"kind": "projects"}).status_code == 403


def test_list_shows_own_org_and_below_never_above_or_beside(app, client, login):
    admin = login(role="sysadmin", region="652300")  # 昌吉州人社局
    make_user("below_mulei", "652328")
    make_user("same_org", "652300", role="viewer")
    make_user("above_xj", "650000")
    make_user("beside_aks", "652900")
    make_user("beside_housing", "652300", kind="industry", industry="housing")
    page = client.get("/admin/users")
    assert page.status_code == 200 and "<html" in page.text
    for name in ("below_mulei", "same_org", admin.username):
        assert name in page.text
    for name in ("above_xj", "beside_aks", "beside_housing"):
        assert name not in page.text
    for name in ("above_xj", "beside_aks", "beside_housing"):
        other = db.session.scalars(select(User).where(User.username == name)).one()
        assert client.get(f"/admin/users/{other.id}").status_code == 404
        assert client.post(f"/admin/users/{other.id}/disable").status_code == 404
        assert client.post(f"/admin/users/{other.id}", data={"org_id": admin.org_id, "role": "viewer"}).status_code == 404


def test_list_search_and_fragment(app, client, hx, login):
    login(role="sysadmin")
    make_user("alpha_one", "652328", role="viewer")
    make_user("beta_two", "652328")
    page = hx.get("/admin/users?q=alpha")
    assert page.status_code == 200 and "<html" not in page.text and 'id="users-table"' in page.text
    assert "alpha_one" in page.text and "beta_two" not in page.text
    assert "HX-Request-Type" in page.headers["Vary"]
    assert "beta_two" in client.get("/admin/users?role=reviewer").text
    assert client.get("/admin/users?org=999999").status_code == 422
    assert client.get("/admin/users?page=abc").status_code == 422


def test_create_user_in_lower_org_only(app, client, login):
    login(role="sysadmin", region="652300")
    data = {"username": "newbie", "org_id": org_id("652328"), "role": "viewer",
            "password": "Tian-Shan-2026!", "confirm": "Tian-Shan-2026!"}
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 303
    user = db.session.scalars(select(User).where(User.username == "newbie")).one()
    assert user.org.region_code == "652328" and user.role == "viewer"
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "user.created")).one()
    above = dict(data, username="sneaky", org_id=org_id("650000"))
    assert client.post("/admin/users/new", data=above).status_code == 422
    weak = dict(data, username="weakling", password="password", confirm="password")
    response = client.post("/admin/users/new", data=weak)
    assert response.status_code == 422 and "密码" in response.text
    duplicate = client.post("/admin/users/new", data=data)
    assert duplicate.status_code == 422 and "已存在" in duplicate.text
    # The initial password must be changed at first login.
    fresh = app.test_client()
    fresh.post("/auth/login", data={"username": "newbie", "password": "Tian-Shan-2026!"})
    assert fresh.get("/").headers["Location"].endswith("/auth/password")


def test_disable_ends_sessions_at_once(app, client, login):
    login(role="sysadmin")
    victim = make_user("victim", "652328")
    victim_client = other_client(app, "victim")
    assert victim_client.get("/").status_code == 200
    assert client.post(f"/admin/users/{victim.id}/disable").status_code == 303
    assert "/auth/login" in victim_client.get("/").headers["Location"]
    assert client.post("/auth/login", data={"username": "victim", "password": PASSWORD}).status_code == 422
    assert client.post(f"/admin/users/{victim.id}/enable").status_code == 303


def test_role_change_ends_sessions_at_once(app, client, login):
    login(role="sysadmin")
    victim = make_user("victim", "652328")
    victim_client = other_client(app, "victim")
    response = client.post(f"/admin/users/{victim.id}", data={"org_id": victim.org_id, "role": "viewer"})
    assert response.status_code == 303
    db.session.refresh(victim)
    assert victim.role == "viewer"
    assert "/auth/login" in victim_client.get("/").headers["Location"]
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "user.updated")).one()
    assert entry.details["role"] == ["reviewer", "viewer"]


def test_password_reset_ends_sessions_and_forces_change(app, client, login):
    login(role="sysadmin")
    victim = make_user("victim", "652328")
    victim_client = other_client(app, "victim")
    bad = client.post(f"/admin/users/{victim.id}/password", data={"password": "short", "confirm": "short"})
    assert bad.status_code == 422 and "至少8个字符" in bad.text
    response = client.post(f"/admin/users/{victim.id}/password",
                           data={"password": "Kunlun-Temp-77", "confirm": "Kunlun-Temp-77"})
    assert response.status_code == 303
    assert "/auth/login" in victim_client.get("/").headers["Location"]
    fresh = app.test_client()
    assert fresh.post("/auth/login", data={"username": "victim", "password": "Kunlun-Temp-77"}).status_code == 302
    assert fresh.get("/").headers["Location"].endswith("/auth/password")


def test_admin_cannot_change_own_account(app, client, login):
    admin = login(role="sysadmin")
    assert client.post(f"/admin/users/{admin.id}/disable").status_code == 403
    assert client.post(f"/admin/users/{admin.id}", data={"org_id": admin.org_id, "role": "auditor"}).status_code == 403


def test_secadmin_unlocks(app, client, login):
    login(role="secadmin")
    locked = make_user("locked_one", "652328")
    for _ in range(5):
        app.test_client().post("/auth/login", data={"username": "locked_one", "password": "Wrong-Pass-1"})
    db.session.refresh(locked)
    assert locked.locked_until is not None
    detail = client.get(f"/admin/users/{locked.id}")
    assert "已锁定" in detail.text and "user-unlock" in detail.text and "user-disable" not in detail.text
    assert client.post(f"/admin/users/{locked.id}/unlock").status_code == 303
    db.session.refresh(locked)
    assert locked.locked_until is None
    assert "locked_one" in client.get("/admin/users?state=active").text
