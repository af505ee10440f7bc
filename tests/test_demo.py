"""flask demo: a deterministic, valid and complete demo data set, and demo users who can log in."""
import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest
from flask import current_app
from sqlalchemy import delete, func, select

from tests.conftest import base_config, build_schema, wipe
from wagewatch import create_app, crypto
from wagewatch.demo import build_demo
from wagewatch.demo.manual import ENERGY_ORG, MANUAL_ROWS
from wagewatch.demo.names import person_name
from wagewatch.demo.wages import months_back
from wagewatch.extensions import db
from wagewatch.models import (AttendanceDay, Complaint, ComplaintEvent, Employment, Enterprise, Org, Payroll,
                              PayrollLine, Project, Punch, Region, Team, TradeCode, User, WageAccount, Worker)
from wagewatch.models.complaints import APPEAL_STATUSES, COMPLAINT_STATUSES, SUPERVISION_STATUSES
from wagewatch.people import id_number_of
from wagewatch.rules.realname import evaluate
from wagewatch.settings import rule_settings
from wagewatch.validators import id_number_error, phone_error, uscc_error

TODAY = date(2026, 11, 27)
BEIJING = timezone(timedelta(hours=8))
SMALL = 0.12  # 17 generated projects beside the manual's ten


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One small demo data set, in a database of its own, shared by this module's read-only tests."""
    tmp = tmp_path_factory.mktemp("demo")
    demo_app = create_app(base_config(tmp, f"sqlite:///{tmp / 'demo.sqlite3'}"))
    build_schema(demo_app)
    with demo_app.app_context():
        build_demo(SMALL, seed=5, today=TODAY)
        yield demo_app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def shared_db():
    """For a test that builds the demo in the session's shared database: afterwards remove what the demo added
    beside the data wipe() clears (the 国网克州供电公司 org), so other tests see the plain reference data."""
    yield
    app = current_app._get_current_object()
    db.session.rollback()
    wipe(app)
    db.session.execute(delete(Org).where(Org.name == ENERGY_ORG))
    db.session.commit()


def project_list():
    return [(p.code, p.name) for p in db.session.scalars(select(Project).order_by(Project.code))]


def test_same_seed_gives_the_same_data_set(app, shared_db):
    build_demo(0.05, seed=7, today=TODAY)
    first = project_list()
    first_workers = db.session.scalars(select(Worker.name).order_by(Worker.id)).all()
    wipe(app)
    db.session.remove()
    build_demo(0.05, seed=7, today=TODAY)
    assert project_list() == first
    assert db.session.scalars(select(Worker.name).order_by(Worker.id)).all() == first_workers
    assert len(first) == 10 + 7
    assert all(re.fullmatch(r"XJ20\d{6}\d{5}", code) for code, _ in first)
    wipe(app)
    db.session.remove()
    build_demo(0.05, seed=8, today=TODAY)
    assert project_list() != first


def test_identity_numbers_codes_and_phones_are_valid(demo):
    counties = set(db.session.scalars(select(Region.code).where(Region.level == 3)))
    workers = db.session.scalars(select(Worker)).all()
    assert len(workers) > 150
    for worker in workers:
        id_number = id_number_of(worker)
        assert id_number_error(id_number) is None
        assert id_number[:6] in counties
        assert worker.id_number_hash == crypto.lookup_hash(id_number)
        assert worker.id_number_masked == f"{id_number[:3]}*****{id_number[-3:]}"
        assert 18 <= (TODAY - worker.birth_date).days // 365 <= 60
        assert phone_error(worker.phone) is None
    usccs = db.session.scalars(select(Enterprise.uscc)).all()
    assert all(uscc_error(code) is None for code in usccs)
    assert {code[:2] for code in usccs} >= {"11", "91"}
    names = [w.name for w in workers]
    assert any("·" in n for n in names) and any("·" not in n and len(n) in (2, 3) for n in names)
    for account in db.session.scalars(select(WageAccount)):
        number = crypto.decrypt(account.account_no_enc)
        assert number.isdigit() and account.account_no_masked == f"**** {number[-4:]}"


def test_names_of_the_regions_peoples():
    import random

    rng = random.Random(3)
    uyghur = person_name(rng, "M", "uyghur")
    assert re.fullmatch(r"[\u4e00-\u9fff]{2,6}·[\u4e00-\u9fff]{2,6}", uyghur)
    assert "·" in person_name(rng, "F", "kazakh")
    assert "·" not in person_name(rng, "M", "hui") and "·" not in person_name(rng, "F", "han")


def check_manual_rows():
    settings = rule_settings()
    orgs = {o.id: o.name for o in db.session.scalars(select(Org))}
    week_ago = TODAY - timedelta(days=int(settings["realname.update_window_days"]))
    for row in MANUAL_ROWS:
        project = db.session.scalars(select(Project).where(Project.code == row.code)).one()
        assert (project.name, project.registered_on, project.region_code) == (row.name, row.registered_on,
                                                                              row.region_code)
        assert (project.review_status, project.status) == ("approved", "in_progress")
        assert orgs[project.hr_org_id] == row.hr_org and orgs[project.industry_org_id] == row.industry_org
        owner, contractor = db.session.get(Enterprise, project.owner_id), db.session.get(Enterprise,
                                                                                        project.contractor_id)
        assert (owner.name, contractor.name) == (row.owner[0], row.contractor)
        active = db.session.scalars(select(Employment).where(Employment.project_id == project.id,
                                                              Employment.left_on.is_(None))).all()
        assert len(active) == row.active
        updated = db.session.scalar(select(func.count(func.distinct(AttendanceDay.worker_id))).where(
            AttendanceDay.project_id == project.id, AttendanceDay.day >= week_ago))
        verdict = evaluate(len(active), sum(e.contract_signed for e in active), updated,
                           bool(project.labour_officer_name), settings)
        assert verdict.ok == row.compliant, (row.name, verdict.text)


def test_the_manuals_ten_realname_rows(demo):
    check_manual_rows()


def test_demo_builds_on_postgresql(pg_app, shared_db):
    build_demo(0.05, seed=2, today=TODAY)
    check_manual_rows()
    assert db.session.scalar(select(func.count()).select_from(AttendanceDay)) > 1000


def test_projects_spread_over_every_prefecture_and_state(demo):
    projects = db.session.scalars(select(Project)).all()
    prefectures = {r.code for r in db.session.scalars(select(Region).where(Region.level == 2))}
    seen = {p.prefecture_code for p in projects} | {p.region_code for p in projects}
    assert all(code in seen for code in prefectures - {"659000"})
    assert any(p.region_code.startswith("6590") for p in projects)
    assert {p.review_status for p in projects} == {"pending", "approved", "rejected"}
    assert Counter(p.industry for p in projects).most_common(1)[0][0] == "housing"
    assert any(p.labour_officer_name is None for p in projects)
    assert db.session.scalar(select(func.count()).select_from(WageAccount)) < len(projects)


def test_workforce_punches_and_attendance(demo):
    trades = set(db.session.scalars(select(TradeCode.code)))
    employments = db.session.scalars(select(Employment)).all()
    assert {e.trade_code for e in employments} <= trades
    assert any(e.left_on for e in employments) and any(e.left_on is None for e in employments)
    assert 0.8 < sum(e.contract_signed for e in employments) / len(employments) < 1
    teams = db.session.scalars(select(Team)).all()
    assert any(t.subcontractor_id for t in teams) and any(t.name == "钢筋班" for t in teams)
    first, last = db.session.execute(select(func.min(Punch.punched_at), func.max(Punch.punched_at))).one()
    assert first.astimezone(BEIJING).date() == TODAY - timedelta(days=30)
    assert last.astimezone(BEIJING).date() == TODAY - timedelta(days=1)
    assert db.session.scalar(select(func.count()).where(Punch.received_at < Punch.punched_at)) == 0
    days = db.session.scalars(select(AttendanceDay)).all()
    assert {d.status for d in days} == {"normal", "single"}
    assert all(d.work_minutes == 0 for d in days if d.status == "single")
    groups = {(p.project_id, p.worker_id, p.punched_at.astimezone(BEIJING).date())
              for p in db.session.scalars(select(Punch))}
    window = TODAY - timedelta(days=30)
    assert len([d for d in days if d.day >= window]) == len(groups)
    # earlier days of the payroll months come as 考勤日报 without punches (R2 compares sheets with them)
    assert all(d.day >= months_back(TODAY)[0][0] for d in days if d.day < window)


def test_payrolls_have_bank_results(demo):
    months = {f"{first:%Y-%m}" for first, _ in months_back(TODAY)}
    assert set(db.session.scalars(select(Payroll.month).distinct())) == months
    statuses = Counter(db.session.scalars(select(PayrollLine.pay_status)))
    assert {"paid", "failed", "pending"} <= set(statuses)
    failed = db.session.scalars(select(PayrollLine).where(PayrollLine.pay_status == "failed")).all()
    assert all(line.fail_reason and line.amount_paid is None for line in failed)
    assert db.session.scalar(select(func.max(PayrollLine.amount_due))) > 50000
    assert db.session.scalar(select(func.count()).where(PayrollLine.days_worked >= 22,
                                                        PayrollLine.amount_due < 1900)) >= 1


def test_complaints_in_every_state(demo):
    complaints = db.session.scalars(select(Complaint)).all()
    assert {c.status for c in complaints} == set(COMPLAINT_STATUSES)
    assert {c.appeal_status for c in complaints} == set(APPEAL_STATUSES)
    assert {c.supervision_status for c in complaints} == set(SUPERVISION_STATUSES)
    assert any(c.project_id is None and c.checks[0]["label"] == "工程未在平台登记" for c in complaints)
    now = datetime.combine(TODAY, datetime.min.time(), BEIJING) + timedelta(hours=8)
    for complaint in complaints:
        id_number = crypto.decrypt(complaint.complainant_id_enc)
        assert id_number_error(id_number) is None
        assert complaint.complainant_id_hash == crypto.lookup_hash(id_number)
        assert complaint.complainant_id_masked == f"{id_number[:3]}*****{id_number[-3:]}"
        events = db.session.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id)
                                    .order_by(ComplaintEvent.at)).all()
        assert events[0].kind == "submitted" and events[0].at == complaint.submitted_at
        assert all(e.at <= now for e in events)
        kinds = {e.kind for e in events}
        assert ("closed" in kinds) == (complaint.status == "closed")
        assert ("appealed" in kinds) == (complaint.appeal_status != "none")
        assert ("pushed" in kinds) == (complaint.supervision_status != "none")
        at = {e.kind: e.at for e in events}
        if "pushed" in at and "enterprise_handled" in at:  # pushed because handling was overdue
            assert at["enterprise_handled"] > at["pushed"] == complaint.submitted_at + timedelta(days=3)


def test_cli_prints_users_who_can_log_in_and_runs_twice(app, client, shared_db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--scale", "0.05", "--seed", "11"])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines() if line.startswith("  ")]
    accounts = {row[0]: row[-1] for row in rows}
    assert {"xj_hr_admin", "cj_hr", "mulei_hr", "mulei_zj"} <= set(accounts)
    orgs = {row[0]: row[1] for row in rows}
    assert orgs["mulei_zj"] == "木垒县住建局" and orgs["cj_hr"] == "昌吉州人社局"
    for username in ("xj_hr_admin", "mulei_zj"):
        response = client.post("/auth/login", data={"username": username, "password": accounts[username]})
        assert response.status_code == 302, username
        client.post("/auth/logout")
    levels = {u.org.region.level for u in db.session.scalars(select(User))}
    assert levels == {1, 2, 3}
    projects = db.session.scalar(select(func.count()).select_from(Project))

    again = runner.invoke(args=["demo", "--scale", "0.05", "--seed", "11"])
    assert again.exit_code == 0, again.output
    assert "演示数据已存在" in again.output and "已存在" in again.output.splitlines()[-1]
    assert db.session.scalar(select(func.count()).select_from(Project)) == projects


def test_shared_database_is_left_with_plain_reference_data(any_app):
    """Runs after the tests above: the org the demo adds for 克州 must not leak into other tests."""
    assert db.session.scalars(select(Org).where(Org.name == ENERGY_ORG)).first() is None


@pytest.mark.parametrize("scale", ["0", "-1", "abc"])
def test_cli_rejects_a_bad_scale(app, scale):
    result = app.test_cli_runner().invoke(args=["demo", "--scale", scale])
    assert result.exit_code == 2
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0


def test_every_r2_flag_shows_in_the_demo(demo):
    from wagewatch.models import WageProgress

    last = f"{months_back(TODAY)[-1][0]:%Y-%m}"
    rows = db.session.scalars(select(WageProgress).where(WageProgress.month == last)).all()
    codes = {code for row in rows for code in row.flag_codes.strip(",").split(",") if code}
    assert codes == {"NO_ACCOUNT", "PAY_LATE", "PAY_COVERAGE", "PAY_BELOW_MIN", "PAY_OUTLIER", "PAID_NO_ATTENDANCE"}
    assert any(not row.abnormal for row in rows)
    assert {row.status for row in rows} >= {"paid_full", "no_payroll", "processing", "failed"}
