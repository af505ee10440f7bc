"""R1 precomputed per project: set-based inputs, the rule applied in Python, one upsert; shared by job and pages.

Computing R1 live for every visible 在建 project measured 12 s region-wide, so the verdict is stored in
project_realname: by the nightly job (after the attendance aggregation, whose days the 7-day window reads), by
the roster intake for its project (in the intake's transaction), and before a page reads it for projects with
no row or a row older than the project's own last change (approval, status, 劳资专管员).
"""
from datetime import date

from sqlalchemy import and_, case, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from wagewatch import clock
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Employment, Project, ProjectRealname
from wagewatch.rules.realname import evaluate
from wagewatch.settings import rule_settings

CHUNK = 2000


def in_force():
    """The projects R1 applies to: approved and 在建."""
    return and_(Project.review_status == "approved", Project.status == "in_progress")


def _inputs(project_ids: list[int], since: date) -> dict[int, tuple[int, int, int]]:
    """{project id: (在职, of them signed, of them with attendance since `since`)} in two grouped queries."""
    active = and_(Employment.left_on.is_(None), Employment.project_id.in_(project_ids))
    staff = select(Employment.project_id, func.count(func.distinct(Employment.worker_id)),
                   func.count(func.distinct(case((Employment.contract_signed.is_(True), Employment.worker_id))))) \
        .where(active).group_by(Employment.project_id)
    fresh = select(Employment.project_id, func.count(func.distinct(Employment.worker_id))) \
        .join(AttendanceDay, and_(AttendanceDay.project_id == Employment.project_id,
                                  AttendanceDay.worker_id == Employment.worker_id, AttendanceDay.day >= since)) \
        .where(active).group_by(Employment.project_id)
    found = {pid: (n, signed, 0) for pid, n, signed in db.session.execute(staff)}
    for pid, n in db.session.execute(fresh):
        n_active, signed, _ = found.get(pid, (0, 0, 0))
        found[pid] = (n_active, signed, n)
    return found


def _upsert(rows: list[dict]) -> None:
    """INSERT … ON CONFLICT (project_id) DO UPDATE, on PostgreSQL and SQLite alike (the API intake imports this
    module, so it does not import the API's own helper)."""
    dialect = db.session.get_bind().dialect.name
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(ProjectRealname).values(rows)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["project_id"], set_={
        column: stmt.excluded[column] for column in ("active", "signed", "updated", "compliant", "failed",
                                                     "computed_at")}))


def refresh(project_ids: list[int] | None = None, today: date | None = None) -> int:
    """Recompute R1 for the given projects (default: every approved 在建 project); returns rows written.

    Rows of projects R1 no longer applies to are removed on a full run. The caller commits.
    """
    settings = rule_settings()
    today = today or clock.beijing_today()
    # The same window as the 工程清单 export: the last N Beijing days, today included.
    since = clock.last_days(int(settings["realname.update_window_days"]), today)[0]
    stmt = select(Project.id, Project.labour_officer_name).where(in_force())
    if project_ids is not None:
        stmt = stmt.where(Project.id.in_(project_ids))
    else:
        db.session.execute(delete(ProjectRealname).where(
            ProjectRealname.project_id.not_in(select(Project.id).where(in_force()))))
    projects = db.session.execute(stmt).all()
    now, written = clock.now(), 0
    for start in range(0, len(projects), CHUNK):
        part = projects[start:start + CHUNK]
        inputs = _inputs([pid for pid, _ in part], since)
        rows = []
        for pid, officer in part:
            active, signed, updated = inputs.get(pid, (0, 0, 0))
            verdict = evaluate(active, signed, updated, bool(officer and officer.strip()), settings)
            rows.append({"project_id": pid, "active": active, "signed": signed, "updated": updated,
                         "compliant": verdict.ok, "failed": ",".join(verdict.failed), "computed_at": now})
        _upsert(rows)
        written += len(rows)
    db.session.flush()
    return written


def fill_missing() -> int:
    """Compute R1 for approved 在建 projects with no stored verdict, or one older than the project's last change
    (approved, set 在建 again, 劳资专管员 registered since): an outer join on the key, no per-project query."""
    missing = list(db.session.scalars(
        select(Project.id).where(in_force()).outerjoin(ProjectRealname, ProjectRealname.project_id == Project.id)
        .where(or_(ProjectRealname.project_id.is_(None), ProjectRealname.computed_at < Project.updated_at))))
    return refresh(missing) if missing else 0
