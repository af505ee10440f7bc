"""Projects: registration (pending, orgs derived), repeats, updates before review, 409 after; PATCH; wage account."""
from sqlalchemy import select

from tests.conftest import make_user
from tests.test_api_support import Api, api, assert_error, counts, project_body  # noqa: F401
from wagewatch import crypto, scope
from wagewatch.extensions import db
from wagewatch.models import Org, Project, WageAccount


def stored(code="XJ2022050800017") -> Project:
    db.session.expire_all()
    return db.session.scalars(select(Project).where(Project.code == code)).one()


def test_register_creates_pending_project_with_derived_orgs(any_app):
    api = Api(any_app)
    response = api.post("/projects", project_body())
    assert response.status_code == 201
    assert response.get_json() == {"code": "XJ2022050800017", "review_status": "pending"}
    project = stored()
    assert (project.review_status, project.status, project.prefecture_code) == ("pending", "not_started", "652900")
    assert db.session.get(Org, project.hr_org_id).name == "乌什县人社局"
    assert db.session.get(Org, project.industry_org_id).name == "乌什县住建局"
    assert str(project.contract_amount) == "12800000.00"


def test_registered_project_is_seen_under_pending_only_in_jurisdiction(app, api):
    api.post("/projects", project_body())
    inside = make_user("aksu_housing", region="652900", kind="industry", industry="housing", role="viewer")
    other_industry = make_user("aksu_water", region="652900", kind="industry", industry="water", role="viewer")
    elsewhere = make_user("hami_hr", region="650500", kind="hr", role="viewer")
    visible = {u.username: [p.code for p in db.session.scalars(scope.projects(u).where(
        Project.review_status == "pending"))] for u in (inside, other_industry, elsewhere)}
    assert visible == {"aksu_housing": ["XJ2022050800017"], "aksu_water": [], "hami_hr": []}


def test_same_content_is_200_and_changes_nothing(app, api):
    api.post("/projects", project_body())
    before = counts()
    repeat = api.post("/projects", project_body())
    assert (repeat.status_code, repeat.get_json()["review_status"]) == (200, "pending")
    assert counts() == before


def test_registered_on_defaults_to_today_and_omitting_it_later_is_the_same_content(app, api):
    body = project_body()
    del body["registered_on"]
    assert api.post("/projects", body).status_code == 201
    from wagewatch.api.projects import today
    assert stored().registered_on == today()
    assert api.post("/projects", body).status_code == 200


def test_other_content_updates_while_pending(app, api):
    api.post("/projects", project_body())
    response = api.post("/projects", project_body(name="乌什县第二中学教学楼（二期）", region_code="652922"))
    assert response.status_code == 200
    project = stored()
    assert (project.name, project.region_code) == ("乌什县第二中学教学楼（二期）", "652922")
    assert db.session.get(Org, project.hr_org_id).region_code == "652922"  # orgs follow the new region


def test_other_content_is_409_once_reviewed(app, api):
    api.post("/projects", project_body())
    stored().review_status = "approved"
    db.session.commit()
    before = counts()
    assert_error(api.post("/projects", project_body(name="改名")), 409, "conflict", "已审核")
    assert counts() == before and stored().name == "乌什县第二中学教学楼建设项目"
    assert api.post("/projects", project_body()).status_code == 200  # an identical repeat is still fine


def test_patch_compliance_facts(app, api):
    api.post("/projects", project_body())
    response = api.patch("/projects/XJ2022050800017", {
        "manager_name": "赵六", "labour_officer": {"name": "钱七", "phone": "13912345678"},
        "deposit": {"form": "guarantee", "amount": "300000.00"}, "notice_board_posted_on": "2022-05-25",
        "status_report": "in_progress"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["labour_officer"] == {"name": "钱七", "phone": "139****5678"}
    assert body["deposit"] == {"form": "guarantee", "amount": "300000.00"}
    assert (body["status"], body["status_report"]) == ("not_started", "in_progress")  # regulators change status
    assert body["hr_org"] == "乌什县人社局"
    project = stored()
    assert (project.labour_officer_phone, str(project.notice_board_posted_on)) == ("13912345678", "2022-05-25")


def test_patch_bad_input_and_unknown_project(app, api):
    api.post("/projects", project_body())
    before = counts()
    assert_error(api.patch("/projects/XJ2022050800017", {"deposit": {"form": "gold"}}), 422, "validation_failed",
                 field="deposit.form")
    assert_error(api.patch("/projects/NOPE", {"manager_name": "x"}), 404, "not_found", "工程不存在")
    assert counts() == before


def test_put_wage_account_encrypts_and_replaces(app, api):
    api.post("/projects", project_body())
    account = {"bank_name": "中国农业银行乌什县支行", "account_no": "30010101040012345",
               "account_name": "乌什县新诺建设有限公司农民工工资专用账户", "opened_on": "2022-05-10",
               "tripartite_agreement": True}
    response = api.put("/projects/XJ2022050800017/wage-account", account)
    assert response.status_code == 200
    assert response.get_json()["account_no"] == "**** 2345"
    response = api.put("/projects/XJ2022050800017/wage-account", {**account, "account_no": "622848000011112222"})
    assert response.status_code == 200
    [row] = db.session.scalars(select(WageAccount)).all()
    assert b"622848000011112222" not in row.account_no_enc
    assert crypto.decrypt(row.account_no_enc) == "622848000011112222"
    assert row.account_no_hash == crypto.lookup_hash("622848000011112222")
    assert (row.account_no_masked, row.tripartite_agreement) == ("**** 2222", True)


def test_wage_account_needs_bank_scope(app):
    projects_only = Api(app, scopes=["projects"])
    projects_only.post("/projects", project_body())
    assert_error(projects_only.put("/projects/XJ2022050800017/wage-account", {}), 403, "forbidden")
