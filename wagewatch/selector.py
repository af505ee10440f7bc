"""The one 区域 → 工程 project selector of the whole app: a tree loaded a branch at a time, with search.

A screen that filters by 工程 does three things:

1. registers the endpoint its project links lead to, once, at import:
   `selector.register_target("attendance.daily")` — the endpoint receives `?project_id=<id>`;
2. builds the selector for the page: `picker = selector.build(current_user, "attendance.daily", project)`
   (`project` is the chosen one or None; pass `picker=None` to a fragment render: the partial needs no tree);
3. includes it in the page: `{% include "_shared/selector.html" %}` with `picker` in the context.

The tree never shows a project the user may not open (every statement starts from scope.projects()), never more
than TREE_LIMIT projects per answer, and marks projects that are not approved (未审核 / 审核未通过) with a tag in
words. Branches load from /selector/<target>/children, search from /selector/<target>/search; an unregistered
target answers 404. Reopening the selector shows the branch that holds the current project (its path is opened).
"""
from dataclasses import dataclass

from flask import Blueprint, abort, request
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from wagewatch import scope
from wagewatch.extensions import db
from wagewatch.htmx import render
from wagewatch.models import Project, Region
from wagewatch.models.projects import REVIEW_STATUSES

TREE_LIMIT = 50
MAX_OFFSET = 1_000_000  # an 更多 offset beyond any branch; a larger one in a URL would overflow the database
TARGETS: set[str] = set()

bp = Blueprint("selector", __name__, url_prefix="/selector")


def register_target(endpoint: str) -> None:
    """Allow the selector's project links to lead to this endpoint (it takes ?project_id=)."""
    TARGETS.add(endpoint)


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
    review_status: str = "approved"

    @property
    def review_label(self) -> str | None:
        """未审核 / 审核未通过 for projects not approved (shown as a tag), None for approved ones."""
        return None if self.review_status == "approved" else REVIEW_STATUSES.get(self.review_status)


@dataclass(frozen=True)
class Level:
    region: Region
    branches: list[Branch]
    leaves: list[Leaf]
    offset: int
    more: int | None  # the offset of the next 更多 page, or None
    opened: "Level | None" = None  # the child branch holding the current project, loaded open


@dataclass(frozen=True)
class Picker:
    """What _shared/selector.html needs: the target endpoint, the root level and the current project."""

    target: str
    root: Level
    current: Project | None


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


LEAF_COLUMNS = (Project.id, Project.name, Project.code, Project.review_status)


def leaves_at(user, region: Region, offset: int) -> tuple[list[Leaf], int | None]:
    stmt = scope.projects(user).with_only_columns(*LEAF_COLUMNS) \
        .where(Project.region_code == region.code).order_by(Project.name, Project.id) \
        .limit(TREE_LIMIT + 1).offset(offset)
    found = [Leaf(*row) for row in db.session.execute(stmt)]
    more = offset + TREE_LIMIT if len(found) > TREE_LIMIT else None
    return found[:TREE_LIMIT], more


def level(user, region: Region, offset: int = 0, current: Project | None = None) -> Level:
    """One branch; with a current project below it, the child branch on its path is loaded open too."""
    branches = [] if offset else child_branches(user, region)
    leaves, more = leaves_at(user, region, offset)
    opened = None
    if current is not None and not offset:
        path = {current.prefecture_code, current.region_code}
        child = next((b for b in branches if b.code in path and b.code != region.code), None)
        if child is not None:
            opened = level(user, db.session.get(Region, child.code), 0, current)
    return Level(region, branches, leaves, offset, more, opened)


def search(user, text: str) -> list[Leaf]:
    """Visible projects whose name or code contains the text (at most TREE_LIMIT)."""
    pattern = text.replace("\x00", "").strip()
    if not pattern:
        return []
    stmt = scope.projects(user).with_only_columns(*LEAF_COLUMNS) \
        .where(or_(Project.name.icontains(pattern, autoescape=True),
                   Project.code.icontains(pattern, autoescape=True))) \
        .order_by(Project.name, Project.id).limit(TREE_LIMIT)
    return [Leaf(*row) for row in db.session.execute(stmt)]


def build(user, target: str, current: Project | None = None) -> Picker:
    """The selector for a full page: the user's own region as the root, the current project's path opened."""
    if target not in TARGETS:
        raise LookupError(f"{target} is not a registered selector target")
    return Picker(target, level(user, region_or_404(user, user.org.region_code), 0, current), current)


def _target_or_404(target: str) -> str:
    if target not in TARGETS:
        abort(404)
    return target


@bp.get("/<target>/children")
@login_required
def children(target: str):
    target = _target_or_404(target)
    region = region_or_404(current_user, request.args.get("region"))
    offset = min(max(0, request.args.get("offset", 0, type=int)), MAX_OFFSET)
    return render("_shared/selector_page.html", "_shared/_selector_children.html", target=target,
                  level=level(current_user, region, offset), current=None)


@bp.get("/<target>/search")
@login_required
def search_results(target: str):
    target = _target_or_404(target)
    text = request.args.get("q", "")[:100]
    return render("_shared/selector_page.html", "_shared/_selector_results.html", target=target,
                  results=search(current_user, text), q=text, current=None, level=None)
