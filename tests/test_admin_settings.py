"""规则参数: only the 自治区 安全管理员 changes thresholds, with validation, a reason and the previous value;
audited; the next computation uses the new value."""
from decimal import Decimal

import pytest
from sqlalchemy import delete, select

from wagewatch import policy
from wagewatch.extensions import db
from wagewatch.models import AuditLog, RuleSetting
from wagewatch.reference import RULE_DEFAULTS
from wagewatch.settings import rule_settings


@pytest.fixture(autouse=True)
def restore_defaults(app):
    """rule_settings is reference data the test database keeps between tests: put the defaults back."""
    yield
    db.session.rollback()
    for code, (value, _label) in RULE_DEFAULTS.items():
        setting = db.session.get(RuleSetting, code)
        setting.value, setting.previous_value, setting.reason, setting.changed_by = value, None, None, None
    db.session.execute(delete(RuleSetting).where(RuleSetting.code.in_(list(policy.POLICY))))
    db.session.commit()
    policy.forget()


@pytest.mark.parametrize("role", ["viewer", "reviewer", "sysadmin", "auditor"])
def test_other_roles_cannot_change_settings(app, client, login, role):
    login(role=role)
    assert client.get("/admin/settings").status_code == 403
    assert client.post("/admin/settings/wage.min_monthly",
                       data={"value": "1", "reason": "x", "expected": "1900"}).status_code == 403


@pytest.mark.parametrize("region,kind,industry", [("652300", "hr", None), ("650000", "industry", "housing")])
def test_only_the_platform_secadmin_changes_settings(app, client, login, region, kind, industry):
    login(role="secadmin", region=region, kind=kind, industry=industry)
    assert client.get("/admin/settings").status_code == 403
    assert 'href="/admin/settings"' not in client.get("/admin/").text  # neither a tile nor in the navigation


def test_every_threshold_is_listed(app, client, hx, login):
    login(role="secadmin")
    assert 'class="tile" href="/admin/settings"' in client.get("/admin/").text
    page = client.get("/admin/settings")
    assert page.status_code == 200 and "<html" in page.text
    for code in RULE_DEFAULTS:
        assert code in page.text
    fragment = hx.get("/admin/settings")
    assert "<html" not in fragment.text and 'id="settings-table"' in fragment.text
    assert client.get("/admin/settings/no.such").status_code == 404


@pytest.mark.parametrize("code,value,message", [
    ("wage.min_monthly", "abc", "金额"), ("wage.min_monthly", "0", "取值范围"), ("wage.min_monthly", "1.001", "金额"),
    ("realname.contract_ratio", "1.5", "取值范围"), ("complaint.read_days", "1.5", "整数"),
    ("complaint.read_days", "NaN", "整数"), ("complaint.read_days", "1e400", "取值范围"),
])
def test_bad_values_answer_422_in_chinese(app, client, login, code, value, message):
    login(role="secadmin")
    current = db.session.get(RuleSetting, code).value
    response = client.post(f"/admin/settings/{code}", data={"value": value, "reason": "测试", "expected": current})
    assert response.status_code == 422 and message in response.text
    assert db.session.get(RuleSetting, code).value == current


def test_change_needs_a_reason_and_keeps_the_previous_value(app, client, login):
    admin = login(role="secadmin")
    assert client.post("/admin/settings/wage.min_monthly",
                       data={"value": "2100", "reason": "", "expected": "1900"}).status_code == 422
    response = client.post("/admin/settings/wage.min_monthly",
                           data={"value": "2100.00", "reason": "自治区最低工资标准调整", "expected": "1900"})
    assert response.status_code == 303
    setting = db.session.get(RuleSetting, "wage.min_monthly")
    db.session.refresh(setting)
    assert (setting.value, setting.previous_value, setting.changed_by) == ("2100.00", "1900", admin.id)
    assert rule_settings()["wage.min_monthly"] == Decimal("2100.00")  # the next computation uses it
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "rule_setting.changed")).one()
    assert entry.details == {"previous": "1900", "value": "2100.00", "reason": "自治区最低工资标准调整"}
    page = client.get("/admin/settings").text
    assert "自治区最低工资标准调整" in page and admin.username in page


def test_a_stale_form_does_not_overwrite_a_newer_change(app, client, login):
    login(role="secadmin")
    client.post("/admin/settings/complaint.read_days", data={"value": "2", "reason": "一", "expected": "1"})
    stale = client.post("/admin/settings/complaint.read_days", data={"value": "5", "reason": "二", "expected": "1"})
    assert stale.status_code == 409 and "刚被他人修改" in stale.text
    assert db.session.get(RuleSetting, "complaint.read_days").value == "2"


@pytest.fixture
def enqueued(monkeypatch):
    """The jobs handed to the runner, each with the threshold's value as another connection reads it then."""
    from wagewatch.admin import recompute
    from wagewatch.jobs_runner import Enqueued

    calls = []

    def fake(queue, func, *args, **kwargs):
        with db.engine.connect() as other:
            committed = dict(other.execute(select(RuleSetting.code, RuleSetting.value)).all())
        calls.append((queue, func.__name__, committed))
        return Enqueued(started=True, job_id=f"job-{len(calls)}")

    monkeypatch.setattr(recompute, "enqueue", fake)
    return calls


@pytest.mark.parametrize("code, value, expected, jobs", [
    ("wage.min_monthly", "2000", "1900", ["refresh_wage_progress", "refresh_indicators"]),
    ("realname.contract_ratio", "0.80", "0.90", ["refresh_indicators"]),
    ("complaint.close_days", "10", "15", ["refresh_indicators"]),
    ("complaint.read_days", "2", "1", []),
])
def test_a_threshold_of_stored_figures_recomputes_them_after_the_commit(app, client, login, enqueued, code, value,
                                                                        expected, jobs):
    login(role="secadmin")
    response = client.post(f"/admin/settings/{code}", data={"value": value, "reason": "调整", "expected": expected},
                           follow_redirects=True)
    assert response.status_code == 200
    assert [name for _queue, name, _seen in enqueued] == jobs
    assert all(queue == "nightly" and seen[code] == value for queue, _name, seen in enqueued)  # committed first
    if jobs:
        assert "正在按新值重新计算" in response.text
    else:
        assert "下次计算起生效" in response.text and "重新计算" not in response.text


def test_without_redis_the_wage_figures_are_recomputed_at_once(app, client, login, frozen_clock):
    from datetime import UTC, datetime

    from tests.wages_data import MONTH, build_month
    from wagewatch.models import WageProgress
    from wagewatch.wages import refresh

    frozen_clock.set(datetime(2026, 10, 20, 2, 0, tzinfo=UTC))
    project, _workers, _sheets = build_month()
    db.session.commit()
    refresh.refresh(MONTH)
    db.session.commit()
    assert db.session.scalars(select(WageProgress.below_min)).one() > 0
    login(role="secadmin")
    response = client.post("/admin/settings/wage.min_monthly", data={"value": "1", "reason": "试算", "expected": "1900"},
                           follow_redirects=True)
    assert "已按新值重新计算" in response.text
    db.session.expire_all()
    stored = db.session.scalars(select(WageProgress).filter_by(project_id=project.id, month=MONTH)).one()
    assert stored.below_min == 0 and "PAY_BELOW_MIN" not in stored.flag_codes


def test_security_policy_sets_session_and_password_limits(app, client, login):
    from datetime import timedelta

    from tests.conftest import make_user, sign_in
    from wagewatch.models import UserSession
    from wagewatch.models._types import utcnow

    login(role="secadmin")
    page = client.get("/admin/settings")
    assert "安全策略" in page.text and "session.idle_minutes" in page.text and "默认" in page.text
    assert client.post("/admin/settings/session.idle_minutes",
                       data={"value": "2", "reason": "过短", "expected": "30"}).status_code == 422
    assert client.post("/admin/settings/session.idle_minutes",
                       data={"value": "10", "reason": "等保测评要求", "expected": "30"}).status_code == 303
    assert client.post("/admin/settings/password.max_age_days",
                       data={"value": "30", "reason": "等保测评要求", "expected": "90"}).status_code == 303
    other = app.test_client()
    user = make_user("idle_one", "652328", role="viewer")
    sign_in(other, user)
    record = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    record.last_seen_at = utcnow() - timedelta(minutes=11)  # within the default 30, beyond the new 10
    db.session.commit()
    assert "/auth/login" in other.get("/").headers["Location"]
    aged = make_user("aged_one", "652328", role="viewer")
    aged.password_changed_at = utcnow() - timedelta(days=31)
    db.session.commit()
    sign_in(other, aged)
    assert other.get("/").headers["Location"].endswith("/auth/password")
    entries = db.session.scalars(select(AuditLog).where(AuditLog.action == "rule_setting.changed")).all()
    assert {e.object_id for e in entries} == {"session.idle_minutes", "password.max_age_days"}
