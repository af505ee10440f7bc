"""未达成项目清单: per indicator, exactly the projects (or complaints) the 数据通报 counts as not achieving it."""
from flask import abort

from wagewatch import clock, scope
from wagewatch.bulletin.compute import complaint_verdicts, complaints, month_of, records, wage_month_for
from wagewatch.exports.registry import register_export
from wagewatch.extensions import db
from wagewatch.models import Complaint, Project, Region
from wagewatch.models.complaints import COMPLAINT_STATUSES, SUPERVISION_STATUSES
from wagewatch.models.projects import INDUSTRIES
from wagewatch.rules import bulletin as r4
from wagewatch.settings import rule_settings

PROJECT_HEADERS = ("工程名称", "工程编号", "所在区域", "行业领域", "人社监管单位", "行业监管单位", "总承包施工单位",
                   "未达成原因")
COMPLAINT_HEADERS = ("投诉编号", "工程名称", "所在区域", "行业领域", "总包单位", "投诉时间", "办结时间", "投诉状态",
                     "督办情况", "未达成原因")
COMPLAINT_KEYS = ("complaint", "supervised")
LISTED = [indicator for indicator in r4.INDICATORS if indicator.key != "projects"]


def _region(user, params: dict) -> Region:
    """The region of the list, or 404 when it is not in the user's jurisdiction (nothing is queued then)."""
    code = params.get("region") or user.org.region_code
    region = db.session.get(Region, code) if len(code) == 6 and code.isdecimal() else None
    if region is None or not scope.region_in_scope(user, code):
        abort(404)
    return region


def _month(params: dict) -> str:
    month = month_of(clock.beijing_today())
    if params.get("month", month) != month:
        raise ValueError("未达成项目清单只提供当月数据通报的清单")
    return month


def _reason(key: str, record) -> str:
    if key == "overall":
        return "、".join(r4.overall_reasons(record.facts))
    if key == "full_pay":
        return "、".join(record.flags) or r4.REASONS[key]
    if key == "bank_pay":
        return f"应发 {record.amount_due:,.2f} 元，已发 {record.amount_paid:,.2f} 元"
    return r4.REASONS[key]


def project_rows(user, params: dict, key: str):
    region = _region(user, params)
    today = clock.beijing_today()
    names = dict(db.session.execute(db.select(Region.code, Region.name)).all())
    conditions = [*scope.conditions(user), scope.region_filter(Project, region.code)]
    for record in records(conditions, wage_month_for(_month(params), today), today):
        if record.verdicts.get(key) is False:
            yield (record.name, record.code, names.get(record.region_code, record.region_code),
                   INDUSTRIES.get(record.industry, record.industry), record.hr_org, record.industry_org,
                   record.contractor, _reason(key, record))


def complaint_rows(user, params: dict, key: str):
    region = _region(user, params)
    today, now, settings = clock.beijing_today(), clock.now(), rule_settings()
    names = dict(db.session.execute(db.select(Region.code, Region.name)).all())
    conditions = [*scope.conditions(user, Complaint), scope.region_filter(Complaint, region.code)]
    for case in complaints(conditions, wage_month_for(_month(params), today)):
        if complaint_verdicts(case, now, settings).get(key) is False:
            reason = "经监管部门督办" if key == "supervised" else ("超期办结" if case.closed_at else "超期未办结")
            yield (case.complaint_no, case.project_name, names.get(case.region_code, case.region_code),
                   INDUSTRIES.get(case.industry, case.industry), case.contractor_name or "", case.submitted_at,
                   case.closed_at, COMPLAINT_STATUSES.get(case.status, case.status),
                   SUPERVISION_STATUSES.get(case.supervision_status, case.supervision_status), reason)


def _register(indicator: r4.Indicator) -> None:
    key = indicator.key

    def describe(user, params: dict) -> str:
        return f"{_region(user, params).name} · {params.get('month') or month_of(clock.beijing_today())} · {indicator.label}"

    def rows(user, params: dict):
        source = complaint_rows if key in COMPLAINT_KEYS else project_rows
        yield from source(user, params, key)

    headers = COMPLAINT_HEADERS if key in COMPLAINT_KEYS else PROJECT_HEADERS
    title = f"督办投诉清单_{indicator.label}" if key == "supervised" else f"未达成项目清单_{indicator.label}"
    def subject(user, params: dict) -> str:
        """未达成项目清单_<指标>_<区域>_<月份>_<时间>.xlsx."""
        return f"{_region(user, params).name}_{params.get('month') or month_of(clock.beijing_today())}"

    register_export(f"bulletin_{key}", title, headers, scope="region", describe=describe, subject=subject)(rows)


for _indicator in LISTED:
    _register(_indicator)
