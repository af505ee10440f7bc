"""The jurisdiction rule of DESIGN §1, and the only place it is written.

A user sees a project iff the project's region lies in the subtree of the user's org region and, for an
industry org, the project's industry is the org's. Everything else is seen through a visible project;
complaints carry the same region/industry columns (copied from their project when matched). Objects out
of scope answer 404, never 403, so their existence does not leak.
"""
from flask import abort
from sqlalchemy import BigInteger, ColumnElement, Select, and_, select

from wagewatch.extensions import db
from wagewatch.models import (
    AttendanceDay,
    Complaint,
    ComplaintEvent,
    Employment,
    Payroll,
    PayrollLine,
    Project,
    ProjectRealname,
    Punch,
    Region,
    Team,
    WageAccount,
    WageProgress,
)
from wagewatch.models._types import RegionScoped, prefecture_of

MAX_ID = 2**31 - 1
MAX_BIG_ID = 2**63 - 1


class ScopeUndeclared(TypeError):
    """A model with no declared path to a region-scoped owner: it cannot be shown, so nothing may query it."""


def owners() -> dict:
    """How each project- or complaint-owned model reaches the region-scoped row that decides its visibility.

    A new model that a screen lists must be added here; scope functions refuse any model that is neither
    region-scoped nor listed (ScopeUndeclared), so forgetting it fails loudly instead of showing everything.
    """
    return {
        AttendanceDay: (AttendanceDay.project_id, Project),
        Punch: (Punch.project_id, Project),
        Payroll: (Payroll.project_id, Project),
        Employment: (Employment.project_id, Project),
        Team: (Team.project_id, Project),
        WageAccount: (WageAccount.project_id, Project),
        PayrollLine: (PayrollLine.payroll_id, Payroll),
        ComplaintEvent: (ComplaintEvent.complaint_id, Complaint),
        WageProgress: (WageProgress.project_id, Project),
        ProjectRealname: (ProjectRealname.project_id, Project),
    }


def conditions(user, model=Project) -> list:
    """WHERE conditions restricting a RegionScoped model (Project, Complaint) to the user's jurisdiction."""
    org = user.org
    found = []
    if org.level == 2:
        found.append(model.prefecture_code == org.region_code)
    elif org.level >= 3:
        found.append(model.region_code == org.region_code)
    if org.kind == "industry":
        found.append(model.industry == org.industry)
    return found


def visible_condition(user, model) -> ColumnElement | None:
    """One condition selecting the rows of `model` the user may see, or None when every row is visible.

    Owned models are restricted by `owner_id IN (visible owner ids)` rather than by a join, so the condition
    composes with any statement — one that joins projects itself, selects only some columns, or counts —
    without duplicate aliases or a cartesian product, and for every user level alike.
    """
    if isinstance(model, type) and issubclass(model, RegionScoped):
        found = conditions(user, model)
        return and_(*found) if found else None
    link = owners().get(model)
    if link is None:
        raise ScopeUndeclared(f"{getattr(model, '__name__', model)} declares no jurisdiction path in scope.owners()")
    column, parent = link
    inner = visible_condition(user, parent)
    return None if inner is None else column.in_(select(parent.id).where(inner))


def restrict(stmt: Select, user, model=Project) -> Select:
    """Restrict a statement over `model` (region-scoped or owned) to the user's jurisdiction."""
    condition = visible_condition(user, model)
    return stmt if condition is None else stmt.where(condition)


owned = restrict  # the name screens use for project-owned models; the same mechanism


def projects(user) -> Select:
    return restrict(select(Project), user)


def project_ids(user):
    """A subquery of visible project ids, for models seen through their project (workers, punches, payrolls)."""
    return restrict(select(Project.id), user).scalar_subquery()


def max_id(model) -> int:
    """The largest id a model's primary key column holds: a larger number in a URL is simply not there."""
    return MAX_BIG_ID if isinstance(model.__table__.c.id.type, BigInteger) else MAX_ID


def get_or_404(user, model, object_id: int, **options):
    """Fetch one object of any scoped model by primary key, or 404 when it is missing or out of scope."""
    if not 0 < object_id <= max_id(model):
        abort(404)
    stmt = restrict(select(model).where(model.id == object_id), user, model)
    for option in options.get("load", ()):
        stmt = stmt.options(option)
    found = db.session.scalars(stmt).unique().one_or_none()
    if found is None:
        abort(404)
    return found


def get_project_or_404(user, project_id: int, *load) -> Project:
    return get_or_404(user, Project, project_id, load=load)


def region_in_scope(user, code: str | None) -> bool:
    org = user.org
    if not code:
        return False
    if org.level == 1:
        return True
    if org.level == 2:
        return code == org.region_code or prefecture_of(code) == org.region_code
    return code == org.region_code


def visible_regions(user) -> list[Region]:
    """Regions the user may pick in a region filter: the org region and everything below it."""
    org = user.org
    stmt = select(Region).order_by(Region.code)
    if org.level == 2:
        stmt = stmt.where((Region.code == org.region_code) | (Region.parent_code == org.region_code))
    elif org.level >= 3:
        stmt = stmt.where(Region.code == org.region_code)
    return list(db.session.scalars(stmt))


def region_filter(model, code: str):
    """Condition for a region picked in a filter: a prefecture matches all its counties."""
    if code == "650000":
        return model.region_code.is_not(None)
    if code.endswith("00"):
        return model.prefecture_code == code
    return model.region_code == code
