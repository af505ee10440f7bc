"""导出数据 of 工程审批: the tab the user is on, with the list's own form and query, so screen and file agree."""
from werkzeug.datastructures import MultiDict

from wagewatch.exports.registry import register_export
from wagewatch.extensions import db
from wagewatch.models import Project
from wagewatch.models.projects import INDUSTRIES, PROJECT_STATUSES
from wagewatch.projects import queries
from wagewatch.projects.forms import TABS, ApprovalFilterForm

HEADERS = ("工程名称", "工程编号", "所在区域", "行业领域", "建设单位", "总承包单位", "登记日期", "人社监管单位",
           "行业监管单位", "审核状态", "工程状态", "审核时间", "审核人", "原因")
WORDS = {"name": "工程名称含", "code": "工程编号含", "owner": "建设单位含", "contractor": "总承包单位含"}


def _form(user, params: dict) -> ApprovalFilterForm:
    form = ApprovalFilterForm(MultiDict({key: str(value) for key, value in params.items() if value is not None}),
                              user)
    if not form.validate():
        raise ValueError("；".join(message for errors in form.errors.values() for message in errors))
    return form


def describe(user, params: dict) -> str:
    """The tab and the filters in words, as 我的导出 shows them."""
    form = ApprovalFilterForm(MultiDict({key: str(value) for key, value in params.items() if value}), user)
    form.validate()
    filters = form.filters()
    parts = [TABS.get(form.tab.data, TABS["pending"])]
    parts += [f"{WORDS[key]}“{filters[key]}”" for key in WORDS if key in filters]
    if "region" in filters:
        parts.append(form.region.choices.get(filters["region"], filters["region"]).strip("　"))
    if "industry" in filters:
        parts.append(INDUSTRIES.get(filters["industry"], filters["industry"]))
    if "registered_from" in filters or "registered_to" in filters:
        start, end = filters.get("registered_from"), filters.get("registered_to")
        parts.append(f"登记日期 {start or ''}至{end or ''}")
    if form.tab.data == "approved" and filters.get("status"):
        parts.append(PROJECT_STATUSES.get(filters["status"], ""))
    return " · ".join(parts)


@register_export("approvals", "工程审批", headers=HEADERS, scope="region", describe=describe)
def rows(user, params: dict):
    """The whole tab, filtered and ordered as on screen (queries.in_tab, through scope)."""
    form = _form(user, params)
    tab, sort = form.tab.data, form.sort.data
    stmt = queries.in_tab(user, form.filters(), tab).options(*queries.DETAIL_LOADS) \
        .order_by(*queries.APPROVAL_ORDERS[sort].order_by()).execution_options(yield_per=500)
    names = {}
    for batch in db.session.scalars(stmt).partitions():
        names.update(queries.reviewer_names(batch))
        for p in batch:
            yield _cells(p, names)


def _cells(p: Project, reviewers: dict) -> tuple:
    decided = p.review_status != "pending"
    return (p.name, p.code, p.region.name if p.region else p.region_code, p.industry_label, p.owner.name,
            p.contractor.name, p.registered_on, p.hr_org.name if p.hr_org else "",
            p.industry_org.name if p.industry_org else "", p.review_label,
            p.status_label if p.review_status == "approved" else "",
            p.reviewed_at if decided and p.reviewed_at else None,
            reviewers.get(p.reviewed_by, "") if decided else "", p.review_reason or "")
