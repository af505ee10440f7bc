"""scope.restrict / scope.owned for models that belong to a project or a complaint, at every user level."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from tests.conftest import make_user
from tests.factories import ProjectFactory, employ, make_worker
from tests.test_scope import MATRIX, PROJECTS
from wagewatch import scope
from wagewatch.extensions import db
from wagewatch.models import (
    AttendanceDay,
    Complaint,
    ComplaintEvent,
    Employment,
    Payroll,
    PayrollLine,
    Project,
    Punch,
    Worker,
)

AT = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
OWNED = (AttendanceDay, Punch, Payroll, PayrollLine, Employment, ComplaintEvent)


@pytest.fixture
def world(any_app):
    """One project per PROJECTS key, each with a worker, a punch, a day, a payroll line and a complaint event."""
    made = {}
    for key, (region, industry) in PROJECTS.items():
        project = ProjectFactory(name=key, region=region, trade=industry)
        worker = make_worker()
        employ(project, worker)
        db.session.add(Punch(project_id=project.id, worker_id=worker.id, punched_at=AT, device_id="D1",
                             received_at=AT))
        db.session.add(AttendanceDay(project_id=project.id, worker_id=worker.id, day=date(2026, 11, 20),
                                     first_in=AT, last_out=AT, punches=1, work_minutes=0, status="single"))
        payroll = Payroll(payroll_no=f"GZ-{key}", project_id=project.id, month="2026-10", submitted_at=AT)
        db.session.add(payroll)
        db.session.flush()
        db.session.add(PayrollLine(payroll_id=payroll.id, worker_id=worker.id, days_worked=22,
                                   amount_due=Decimal("5000.00"), amount_paid=None, pay_status="pending"))
        complaint = Complaint(complaint_no=f"TS-{key}", project_id=project.id, project_name=key,
                              complainant_name="张三", type="拖欠工资", submitted_at=AT, industry=industry)
        complaint.set_region(region)
        db.session.add(complaint)
        db.session.flush()
        db.session.add(ComplaintEvent(complaint_id=complaint.id, at=AT, actor="system", kind="submitted", note=""))
        made[key] = project
    db.session.commit()
    return made


def owner_names(user, model):
    """The project names behind the rows of `model` the user sees, through scope.owned alone."""
    rows = db.session.scalars(scope.owned(select(model), user, model)).all()
    names = set()
    for row in rows:
        project_id = row.project_id if hasattr(row, "project_id") else None
        if isinstance(row, PayrollLine):
            project_id = db.session.get(Payroll, row.payroll_id).project_id
        if isinstance(row, ComplaintEvent):
            project_id = db.session.get(Complaint, row.complaint_id).project_id
        names.add(db.session.get(Project, project_id).name)
    return names


@pytest.mark.parametrize("org,expected", MATRIX, ids=[f"{o[0]}-{o[1]}-{o[2]}" for o, _ in MATRIX])
def test_owned_rows_follow_their_project(world, org, expected):
    user = make_user(f"u{org[0]}{org[1]}{org[2]}", *org)
    for model in OWNED:
        assert owner_names(user, model) == expected, model.__name__
        for row in db.session.scalars(select(model)).all():
            owner = owner_names_of_row(row)
            if owner in expected:
                assert scope.get_or_404(user, model, row.id).id == row.id
            else:
                with pytest.raises(NotFound):
                    scope.get_or_404(user, model, row.id)


def owner_names_of_row(row):
    if isinstance(row, PayrollLine):
        row = db.session.get(Payroll, row.payroll_id)
    if isinstance(row, ComplaintEvent):
        row = db.session.get(Complaint, row.complaint_id)
    return db.session.get(Project, row.project_id).name


@pytest.mark.parametrize("region", ["650000", "652300", "652328"])
def test_joining_projects_yourself_is_neither_cartesian_nor_a_duplicate_alias(world, region):
    """A screen that selects project columns and joins projects itself counts each day once at every level."""
    user = make_user(f"joiner{region}", region, "hr")
    stmt = scope.owned(select(Project.name, AttendanceDay.day)
                       .join(Project, Project.id == AttendanceDay.project_id), user, AttendanceDay)
    rows = db.session.execute(stmt).all()
    expected = {key for (org, keys) in MATRIX if org == (region, "hr", None) for key in keys}
    assert sorted(name for name, _day in rows) == sorted(expected)
    count = db.session.scalar(scope.owned(select(func.count()).select_from(AttendanceDay), user, AttendanceDay))
    assert count == len(expected)


def test_a_model_without_a_declared_path_is_refused(any_app):
    user = make_user("top", "650000")
    with pytest.raises(scope.ScopeUndeclared):
        scope.owned(select(Worker), user, Worker)
    with pytest.raises(scope.ScopeUndeclared):
        scope.get_or_404(user, Worker, 1)


@pytest.mark.parametrize("object_id", [0, -1, 2**63, 10**30])
def test_impossible_big_ids_are_404(any_app, object_id):
    user = make_user("top", "650000")
    with pytest.raises(NotFound):
        scope.get_or_404(user, Punch, object_id)


def test_big_tables_have_64_bit_ids_on_postgresql(pg_app):
    from sqlalchemy import inspect

    inspector = inspect(db.engine)
    for table in ("punches", "attendance_days", "payroll_lines", "complaint_events", "audit_log",
                  "idempotency_records"):
        column = next(c for c in inspector.get_columns(table) if c["name"] == "id")
        assert column["type"].__class__.__name__ == "BIGINT", table
