"""The 区域 → 工程 selector tree, loaded one branch at a time and never more than TREE_LIMIT projects per answer.

A branch is a region: first its child regions that hold visible projects (with their counts), then the
projects registered at the region itself, TREE_LIMIT at a time with an offset for 更多.
"""
from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, or_, select

from wagewatch import scope
from wagewatch.extensions import db
from wagewatch.models import Project, Region

TREE_LIMIT = 50
MAX_OFFSET = 1_000_000  # an 更多 offset beyond any branch; a larger one in a URL would overflow the database


@dataclass(frozen=True)
class Branch:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class Leaf:
    id: int
    name: str
    code: str


@dataclass(frozen=True)
class Level:
    region: Region
    branches: list[Branch]
    leaves: list[Leaf]
    offset: int
    more: int | None  # the offset of the next 更多 page, or None


def region_or_404(user, code: str | None) -> Region:
    region = db.session.get(Region, code) if code and len(code) == 6 and code.isdigit() else None
    if region is None or not scope.region_in_scope(user, code):
        abort(404)
    return region


def child_branches(user, region: Region) -> list[Branch]:
    """Child regions of a level-1 or level-2 region that hold visible projects, with their counts."""
    if region.level >= 3:
        return []
    key = Project.prefecture_code if region.level == 1 else Project.region_code
    stmt = scope.projects(user).with_only_columns(key, func.count()).group_by(key)
    if region.level == 2:
        stmt = stmt.where(Project.prefecture_code == region.code, Project.region_code != region.code)
    counts = dict(db.session.execute(stmt).all())
    children = db.session.scalars(select(Region).where(Region.parent_code == region.code).order_by(Region.code))
    return [Branch(child.code, child.name, counts[child.code]) for child in children if counts.get(child.code)]


def leaves_at(user, region: Region, offset: int) -> tuple[list[Leaf], int | None]:
    stmt = scope.projects(user).with_only_columns(Project.id, Project.name, Project.code) \
        .where(Project.region_code == region.code).order_by(Project.name, Project.id) \
        .limit(TREE_LIMIT + 1).offset(offset)
    found = [Leaf(*row) for row in db.session.execute(stmt)]
    more = offset + TREE_LIMIT if len(found) > TREE_LIMIT else None
    return found[:TREE_LIMIT], more


def level(user, region: Region, offset: int = 0) -> Level:
    branches = [] if offset else child_branches(user, region)
    leaves, more = leaves_at(user, region, offset)
    return Level(region, branches, leaves, offset, more)


def search(user, text: str) -> list[Leaf]:
    """Visible projects whose name or code contains the text (at most TREE_LIMIT)."""
    pattern = text.replace("\x00", "").strip()
    if not pattern:
        return []
    stmt = scope.projects(user).with_only_columns(Project.id, Project.name, Project.code) \
        .where(or_(Project.name.icontains(pattern, autoescape=True),
                   Project.code.icontains(pattern, autoescape=True))) \
        .order_by(Project.name, Project.id).limit(TREE_LIMIT)
    return [Leaf(*row) for row in db.session.execute(stmt)]
