"""flask setup (reference data, idempotent) and flask user create."""
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from wagewatch.extensions import db
from wagewatch.models import Org, Region, RuleSetting, TradeCode, User, WorkerRole


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_setup_is_idempotent_and_complete(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["setup"])
    second = runner.invoke(args=["setup"])
    assert first.exit_code == second.exit_code == 0, first.output
    assert first.output == second.output
    assert count(Region) == 126
    assert count(Region, Region.level == 2, Region.code != "659000") == 14
    names = dict(db.session.execute(select(Region.code, Region.name)).all())
    assert names["653228"] == "和康县" and names["653229"] == "和安县" and names["659001"] == "石河子市"
    assert count(TradeCode) == 35 and db.session.get(TradeCode, "020").name == "钢筋工"
    assert dict(db.session.execute(select(WorkerRole.code, WorkerRole.name)).all()) == {10: "管理人员", 20: "建筑工人"}
    assert db.session.get(RuleSetting, "realname.contract_ratio").value == "0.90"


def test_org_tree_uses_the_manuals_short_names(app):
    org_names = set(db.session.scalars(select(Org.name)))
    assert {"木垒县人社局", "木垒县住建局", "哈密市交通运输局", "新和县水利局", "乌什县人社局", "自治区人社厅",
            "自治区住建厅", "自治区交通运输厅", "自治区水利厅", "克州人社局"} <= org_names
    mulei = db.session.scalars(select(Org).where(Org.name == "木垒县住建局")).one()
    assert db.session.get(Org, mulei.parent_id).name == "昌吉州住建局"
    assert count(Org, Org.region_code == "659000") == 0
    top_industries = set(db.session.scalars(select(Org.industry).where(Org.level == 1, Org.kind == "industry")))
    assert top_industries == {"housing", "transport", "water", "rail", "aviation", "telecom", "energy",
                              "agriculture", "other"}


def test_admin_changes_to_rule_settings_survive_setup(app):
    db.session.get(RuleSetting, "wage.min_monthly").value = "2100"
    db.session.commit()
    app.test_cli_runner().invoke(args=["setup"])
    assert db.session.get(RuleSetting, "wage.min_monthly").value == "2100"


def test_user_create_reads_password_from_environment(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["user", "create", "mulei_zj", "--region", "652328", "--kind", "industry",
                                 "--industry", "housing", "--role", "reviewer"], env={"WAGEWATCH_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert "木垒县住建局" in result.output
    user = db.session.scalars(select(User).where(User.username == "mulei_zj")).one()
    assert user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash
    assert client.post("/auth/login", data={"username": "mulei_zj", "password": PASSWORD}).status_code == 302


def test_user_create_prompts_and_rejects_weak_passwords(app):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["user", "create", "weakling", "--region", "650000", "--kind", "hr", "--role",
                               "viewer"], input="password\npassword\n", env={"WAGEWATCH_PASSWORD": ""})
    assert weak.exit_code != 0 and "至少三类" in weak.output
    unknown_org = runner.invoke(args=["user", "create", "x", "--region", "659000", "--kind", "hr", "--role",
                                      "viewer"], env={"WAGEWATCH_PASSWORD": PASSWORD})
    assert unknown_org.exit_code != 0 and "找不到监管机构" in unknown_org.output
    assert count(User) == 0
