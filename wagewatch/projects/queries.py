"""工程审批 queries: the filtered list, tab counts, review decisions, status changes and a project's history.

Every statement starts from scope.projects()/scope.restrict(), so nothing here can reach another jurisdiction.
"""
from flask import abort
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from wagewatch import audit, keyset, listing, scope
from wagewatch.extensions import db
from wagewatch.models import AuditLog, Enterprise, Org, Project, User
from wagewatch.models._types import utcnow

MAX_ID = 2**31 - 1  # ids are 32-bit integers: a larger number in a URL is simply not found, never an overflow
HISTORY_ACTIONS = ("project_reviewed", "project_status_changed")
# Related rows come in one small IN query each: a single statement joining all of them (and Org.region,
# eager by default) cost more to plan on PostgreSQL than to run.
DETAIL_LOADS = (selectinload(Project.owner), selectinload(Project.contractor),
                selectinload(Project.hr_org).lazyload(Org.region),
                selectinload(Project.industry_org).lazyload(Org.region), selectinload(Project.region))


APPROVAL_ORDERS = {
    "-registered_on": keyset.Keyset((Project.registered_on, True), (Project.id, True)),
    "registered_on": keyset.Keyset((Project.registered_on, False), (Project.id, False)),
}


def _enterprise_ids(name: str):
    return select(Enterprise.id).where(Enterprise.name.icontains(name, autoescape=True))


def filtered(user, filters: dict):
    """Visible projects matching the search bar (any tab; 工程状态 applies to 审核已通过 only: see in_tab)."""
    stmt = scope.projects(user)
    if "name" in filters:
        stmt = stmt.where(Project.name.icontains(filters["name"], autoescape=True))
    if "code" in filters:
        stmt = stmt.where(Project.code.icontains(filters["code"], autoescape=True))
    if "owner" in filters:
        stmt = stmt.where(Project.owner_id.in_(_enterprise_ids(filters["owner"])))
    if "contractor" in filters:
        stmt = stmt.where(Project.contractor_id.in_(_enterprise_ids(filters["contractor"])))
    if "region" in filters:
        stmt = stmt.where(scope.region_filter(Project, filters["region"]))
    if "industry" in filters:
        stmt = stmt.where(Project.industry == filters["industry"])
    if "registered_from" in filters:
        stmt = stmt.where(Project.registered_on >= filters["registered_from"])
    if "registered_to" in filters:
        stmt = stmt.where(Project.registered_on <= filters["registered_to"])
    return stmt


def in_tab(user, filters: dict, tab: str):
    """The projects one tab lists: the filters, the review status, and 工程状态 on 审核已通过."""
    stmt = filtered(user, filters).where(Project.review_status == tab)
    if tab == "approved" and filters.get("status"):
        stmt = stmt.where(Project.status == filters["status"])
    return stmt


def tab_counts(user, filters: dict) -> dict[str, int]:
    """未审核 / 审核已通过 / 审核未通过 counts in one grouped COUNT (and one more for a 工程状态 filter)."""
    stmt = filtered(user, filters).with_only_columns(Project.review_status, func.count()) \
        .group_by(Project.review_status)
    counts = {"pending": 0, "approved": 0, "rejected": 0}
    counts.update(dict(db.session.execute(stmt).all()))
    if filters.get("status"):
        counts["approved"] = db.session.scalar(in_tab(user, filters, "approved").with_only_columns(func.count()))
    return counts


def approvals_page(user, filters: dict, tab: str, sort: str, wanted: listing.PageRequest, total: int):
    """A page of one tab, ordered by 登记日期 (then id, so the order is total), read by a seek on that key."""
    stmt = in_tab(user, filters, tab)
    return listing.paginate(stmt, APPROVAL_ORDERS[sort], wanted, total=total, options=DETAIL_LOADS,
                            load=lambda rows: [row[0] for row in rows])


def reviewer_names(projects) -> dict[int, str]:
    """审核人 of a page of projects: user id → username, in one query."""
    ids = {p.reviewed_by for p in projects if p.reviewed_by}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())


def project_id_of(raw) -> int:
    """A project id from a query string or export parameters; anything but 1…MAX_ID in ASCII digits is 404."""
    raw = str(raw or "")
    if not (raw.isascii() and raw.isdecimal()) or not 0 < int(raw) <= MAX_ID:
        abort(404)
    return int(raw)


def load_project(user, project_id: int) -> Project:
    """One visible project with everything its detail panes show, or 404."""
    if not 0 < project_id <= MAX_ID:
        abort(404)
    return scope.get_project_or_404(user, project_id, *DETAIL_LOADS,
                                    joinedload(Project.wage_account))


def decide(user, project: Project, decision: str, reason: str) -> bool:
    """Record a review decision unless someone decided first.

    The UPDATE is conditional on review_status = 'pending', so of two concurrent deciders exactly one
    changes the row; the other sees rowcount 0 and nothing is written.
    """
    result = db.session.execute(
        update(Project).where(Project.id == project.id, Project.review_status == "pending")
        .values(review_status=decision, review_reason=reason or None, reviewed_by=user.id, reviewed_at=utcnow(),
                updated_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    audit.record("project_reviewed", project, decision=decision, reason=reason or "")
    db.session.flush()
    return True


def change_status(project: Project, old: str, new: str, reason: str) -> bool:
    """Change 工程状态 of an approved project, unless it changed (or was un-approved) meanwhile."""
    result = db.session.execute(
        update(Project).where(Project.id == project.id, Project.review_status == "approved",
                              Project.status == old)
        .values(status=new, updated_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    audit.record("project_status_changed", project, old=old, new=new, reason=reason or "")
    db.session.flush()
    return True


def history(project: Project) -> list[AuditLog]:
    """Review decisions and status changes of one (already scope-checked) project, oldest first.

    A decision recorded on the project but not in the audit log (data taken over from an earlier system) is
    shown from the project's own review fields, so the history never contradicts the review status.
    """
    stmt = select(AuditLog).where(AuditLog.object_type == "projects", AuditLog.object_id == str(project.id),
                                  AuditLog.action.in_(HISTORY_ACTIONS)).order_by(AuditLog.at, AuditLog.id)
    entries = list(db.session.scalars(stmt))
    reviewed = project.review_status != "pending" and project.reviewed_at is not None
    if reviewed and not any(entry.action == "project_reviewed" for entry in entries):
        reviewer = db.session.get(User, project.reviewed_by) if project.reviewed_by else None
        entries.insert(0, AuditLog(at=project.reviewed_at, actor=reviewer.username if reviewer else "—",
                                   action="project_reviewed", object_type="projects", object_id=str(project.id),
                                   details={"decision": project.review_status, "reason": project.review_reason}))
    return entries
