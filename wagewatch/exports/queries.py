"""Queries of the export flow: the user's own exports, and the 工程清单 rows with their R1 verdicts."""
from datetime import date

from flask import abort
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased
from werkzeug.datastructures import MultiDict

from wagewatch import clock, scope
from wagewatch.exports.registry import register_export
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Employment, Enterprise, ExportJob, Org, Project, Region
from wagewatch.models.indicators import ProjectRealname
from wagewatch.models.projects import INDUSTRIES, PROJECT_STATUSES, REVIEW_STATUSES
from wagewatch.projects import queries as project_queries
from wagewatch.projects.forms import TABS, ApprovalFilterForm
from wagewatch.realname.compute import fill_missing
from wagewatch.rules.realname import RealnameVerdict, evaluate
from wagewatch.settings import rule_settings

PROJECT_HEADERS = ("名称", "工程登记日期", "人社监管单位", "行业领域", "行业监管单位", "建设单位",
                   "总承包施工单位", "在职人数", "当前达标情况")
YIELD_PER = 1000


def user_exports(user, limit: int = 50) -> list[ExportJob]:
    stmt = select(ExportJob).where(ExportJob.user_id == user.id) \
        .order_by(ExportJob.created_at.desc(), ExportJob.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


MAX_ID = 2**31 - 1  # an id beyond the integer column is simply not found


def own_export_or_404(user, export_id: int) -> ExportJob:
    """Someone else's export answers 404, like anything out of scope."""
    export = db.session.get(ExportJob, export_id) if 0 < export_id <= MAX_ID else None
    if export is None or export.user_id != user.id:
        abort(404)
    return export


def downloadable(user, export: ExportJob) -> bool:
    """The file was built for the user's current supervisory unit (a user moved to another org loses it)."""
    return export.status == "done" and bool(export.file) and export.org_id == user.org_id


def project_form(user, params: dict[str, str]) -> tuple[dict, str | None]:
    """The 工程清单 filters read by the 工程审批 list's own form, so the file and the screen never disagree.

    Returns the form's filters and the tab (review status) when the list was on one; the 首页 export has none
    and lists every review status. Invalid filters raise ValueError (the job) with the form's messages.
    """
    form = ApprovalFilterForm(MultiDict(params), user)
    if not form.validate():
        raise ValueError("；".join(message for errors in form.errors.values() for message in errors))
    return form.filters(), (form.tab.data if params.get("tab") else None)


def project_order(params: dict[str, str]) -> tuple:
    """The list's sort (登记日期 新→旧 unless it was 旧→新), so the file's rows come in the screen's order."""
    if params.get("sort") == "registered_on":
        return Project.registered_on.asc(), Project.id.asc()
    return Project.registered_on.desc(), Project.id.desc()


def project_conditions(user, params: dict[str, str]):
    """The WHERE clause of the 工程审批 list (scope included) for these filters, or None for none."""
    filters, tab = project_form(user, params)
    listing = project_queries.filtered(user, filters)
    if tab:
        listing = listing.where(Project.review_status == tab)
    return listing.whereclause


def realname_inputs(user, today: date, window_days: int):
    """Per visible project WITHOUT a stored R1 row (project_realname): 在职人数, of them with a signed contract,
    and with attendance in the window — the live fallback, since computing every project live took 12 s.

    Two grouped subqueries (never a query per project), joined to the project list by the caller.
    """
    visible = scope.project_ids(user)
    active = and_(Employment.left_on.is_(None), Employment.project_id.not_in(select(ProjectRealname.project_id)))
    staff = select(Employment.project_id.label("project_id"),
                   func.count(func.distinct(Employment.worker_id)).label("active"),
                   func.count(func.distinct(case((Employment.contract_signed.is_(True), Employment.worker_id))))
                   .label("signed")) \
        .where(active, Employment.project_id.in_(visible)).group_by(Employment.project_id).subquery()
    updated = select(Employment.project_id.label("project_id"),
                     func.count(func.distinct(Employment.worker_id)).label("updated")) \
        .join(AttendanceDay, and_(AttendanceDay.project_id == Employment.project_id,
                                  AttendanceDay.worker_id == Employment.worker_id,
                                  AttendanceDay.day >= clock.last_days(window_days, today)[0])) \
        .where(active, Employment.project_id.in_(visible)).group_by(Employment.project_id).subquery()
    return staff, updated


def verdict_text(review_status: str, status: str, active: int, signed: int, updated: int,
                 has_officer: bool, settings: dict, stored_failed: str | None = None) -> str:
    """R1 applies to approved 在建 projects; any other project shows its review status or project status.
    The stored verdict (`stored_failed`: its failed criteria, "" when 达标) is the one 实名制进度预警 shows."""
    if review_status != "approved":
        return REVIEW_STATUSES.get(review_status, review_status)
    if status != "in_progress":
        return PROJECT_STATUSES.get(status, status)
    if stored_failed is not None:
        return RealnameVerdict(tuple(key for key in stored_failed.split(",") if key)).text
    return evaluate(active, signed, updated, has_officer, settings).text


def describe_projects(user, params: dict[str, str]) -> str:
    """The 工程清单 filters in words, as the 工程审批 form reads them; 400 for filters the form refuses."""
    try:
        filters, tab = project_form(user, params)
    except ValueError:
        abort(400)  # the export button only carries filters the list accepted: these were tampered with
    fill_missing()  # as 实名制进度预警 does: verdicts missing now are stored (the request commits), the file reads them
    parts = [TABS[tab]] if tab else []
    if "region" in filters:
        found = db.session.get(Region, filters["region"])
        parts.append(found.name if found else filters["region"])
    if "industry" in filters:
        parts.append(INDUSTRIES.get(filters["industry"], filters["industry"]))
    for key, label in (("name", "名称"), ("code", "编号"), ("owner", "建设单位"), ("contractor", "总承包单位")):
        if key in filters:
            parts.append(f"{label}含“{filters[key]}”")
    if "registered_from" in filters or "registered_to" in filters:
        start, end = filters.get("registered_from"), filters.get("registered_to")
        parts.append(f"登记日期{start.isoformat() if start else ''}至{end.isoformat() if end else ''}")
    return " · ".join(parts) or "管辖范围内全部工程"


@register_export("projects", "工程清单", PROJECT_HEADERS, scope="region", describe=describe_projects)
def project_rows(user, params: dict[str, str]):
    settings = rule_settings()
    today = clock.beijing_today()
    staff, updated = realname_inputs(user, today, int(settings["realname.update_window_days"]))
    hr_org, industry_org = aliased(Org), aliased(Org)
    owner, contractor = aliased(Enterprise), aliased(Enterprise)
    stmt = select(Project.name, Project.registered_on, hr_org.name, Project.industry, industry_org.name,
                  owner.name, contractor.name, func.coalesce(ProjectRealname.active, staff.c.active, 0),
                  func.coalesce(ProjectRealname.signed, staff.c.signed, 0),
                  func.coalesce(ProjectRealname.updated, updated.c.updated, 0), Project.labour_officer_name,
                  Project.review_status, Project.status, ProjectRealname.failed) \
        .outerjoin(hr_org, hr_org.id == Project.hr_org_id) \
        .outerjoin(industry_org, industry_org.id == Project.industry_org_id) \
        .join(owner, owner.id == Project.owner_id).join(contractor, contractor.id == Project.contractor_id) \
        .outerjoin(ProjectRealname, ProjectRealname.project_id == Project.id) \
        .outerjoin(staff, staff.c.project_id == Project.id).outerjoin(updated, updated.c.project_id == Project.id) \
        .order_by(*project_order(params))
    conditions = project_conditions(user, params)  # scope and the list's filters, as the screen applies them
    if conditions is not None:
        stmt = stmt.where(conditions)
    for row in db.session.execute(stmt.execution_options(yield_per=YIELD_PER)):
        (name, registered_on, hr_name, industry, industry_name, owner_name, contractor_name, active, signed,
         fresh, officer, review_status, status, stored_failed) = row
        yield (name, registered_on, hr_name or "", INDUSTRIES.get(industry, industry), industry_name or "",
               owner_name, contractor_name, active,
               verdict_text(review_status, status, active, signed, fresh, bool(officer and officer.strip()),
                            settings, stored_failed))
