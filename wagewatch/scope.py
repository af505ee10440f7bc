"""The jurisdiction rule of DESIGN §1, and the only place it is written.

A user sees a project iff the project's region lies in the subtree of the user's org region and, for an
industry org, the project's industry is the org's. Everything else is seen through a visible project;
complaints carry the same region/industry columns (copied from their project when matched). Objects out
of scope answer 404, never 403, so their existence does not leak.
"""
from flask import abort
from sqlalchemy import Select, select

from wagewatch.extensions import db
from wagewatch.models import Project, Region
from wagewatch.models._types import prefecture_of

MAX_ID = 2**31 - 1


def conditions(user, model=Project) -> list:
    """WHERE conditions restricting any RegionScoped model (Project, Complaint) to the user's jurisdiction."""
    org = user.org
    found = []
    if org.level == 2:
        found.append(model.prefecture_code == org.region_code)
    elif org.level >= 3:
        found.append(model.region_code == org.region_code)
    if org.kind == "industry":
        found.append(model.industry == org.industry)
    return found


def restrict(stmt: Select, user, model=Project) -> Select:
    return stmt.where(*conditions(user, model))


def projects(user) -> Select:
    return restrict(select(Project), user)


def project_ids(user):
    """A subquery of visible project ids, for models seen through their project (workers, punches, payrolls)."""
    return restrict(select(Project.id), user).scalar_subquery()


def through_project(stmt: Select, user, project_id_column) -> Select:
    """Join a project-owned model to Project and restrict it to the user's jurisdiction."""
    conds = conditions(user)
    if not conds:
        return stmt
    return stmt.join(Project, Project.id == project_id_column).where(*conds)


def get_or_404(user, model, object_id: int, **options):
    """Fetch one RegionScoped object by primary key, or 404 when it is missing or out of scope."""
    if not 0 < object_id <= MAX_ID:  # a URL id beyond the integer column is simply not there
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
