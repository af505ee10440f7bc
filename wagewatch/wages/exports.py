"""导出数据 of 工资代发实时进度 (the filtered list) and of a project-month's 工资单明细 (masked), always through scope."""
from flask import abort
from werkzeug.datastructures import MultiDict

from wagewatch import clock, scope
from wagewatch.exports.registry import register_export
from wagewatch.models.projects import INDUSTRIES, PROJECT_STATUSES
from wagewatch.rules import wages as rules
from wagewatch.wages import detail, progress
from wagewatch.wages.forms import ProgressFilterForm, ProjectMonthFields

PROGRESS_HEADERS = ("工程名称", "工程编号", "所在区域", "总承包单位", "月份", "在职人数", "考勤人数", "工资单人数", "已发人数",
                    "失败人数", "应发金额", "实发金额", "发薪比例", "发薪日", "代发状态", "异常", "异常原因", "数据更新于")
LINE_HEADERS = ("工资单编号", "姓名", "身份证号", "出勤天数（考勤）", "天数（工资单）", "应发", "实发", "状态", "补发",
                "失败原因", "发放时间")


def _form(cls, user, params: dict, requesting: bool = False):
    """The list's filters re-validated: a tampered request is refused (400); in the job, a reason (ValueError)."""
    form = cls(MultiDict({k: str(v) for k, v in params.items() if v is not None}), user,
               rules.last_passed_month(clock.beijing_today(), 1))
    if not form.validate():
        if requesting:
            abort(400)
        raise ValueError("；".join(message for errors in form.errors.values() for message in errors))
    return form


def describe_progress(user, params: dict) -> str:
    form = _form(ProgressFilterForm, user, params, requesting=True)
    parts = [f"{form.month.data}"]
    if form.project():
        parts.insert(0, scope.get_project_or_404(user, form.project()).name)
    if form.region.data:
        parts.append(form.region.choices.get(form.region.data, form.region.data).strip("　"))
    if form.industry.data:
        parts.append(INDUSTRIES[form.industry.data])
    if form.project_status.data:
        parts.append(PROJECT_STATUSES[form.project_status.data])
    if form.status.data:
        parts.append(rules.STATUSES[form.status.data])
    if form.colour.data:
        parts.append(f"{rules.COLOURS[form.colour.data]}色预警")
    if form.attended.data:
        parts.append("仅看有考勤")
    if form.abnormal.data:
        parts.append("仅看异常")
    if form.flag.data:
        parts.append(rules.FLAGS[form.flag.data])
    return " · ".join(parts)


def progress_subject(user, params: dict) -> str:
    """工资代发实时进度_<工程名称>_2026-09_<时间>.xlsx, or without the project when the list is not about one."""
    form = _form(ProgressFilterForm, user, params, requesting=True)
    name = scope.get_project_or_404(user, form.project()).name if form.project() else ""
    return "_".join(part for part in (name, form.month.data) if part)


@register_export("wage_progress", "工资代发实时进度", headers=PROGRESS_HEADERS, scope="region",
                 describe=describe_progress, subject=progress_subject)
def progress_rows(user, params: dict):
    form = _form(ProgressFilterForm, user, params)
    if form.project():
        scope.get_project_or_404(user, form.project())
    for row in progress.rows_for_export(user, form.filters(), form.sort.data):
        p = row.progress
        yield (row.name, row.code, row.region, row.contractor, p.month, p.employed, p.attended, p.on_payroll, p.paid,
               p.failed, float(p.amount_due), float(p.amount_paid),
               float(p.ratio) if p.ratio is not None else None, p.due_on, rules.STATUSES[p.status],
               "、".join(f"{rules.FLAGS[f['code']]}（{rules.COLOURS[f['colour']]}）" for f in p.flags),
               "；".join(f["reason"] for f in p.flags), p.computed_at)


def _project_month(user, params: dict, requesting: bool = False):
    form = _form(ProjectMonthFields, user, params, requesting)
    if not form.project():
        if requesting:
            abort(400)
        raise ValueError("请选择工程")
    return scope.get_project_or_404(user, form.project()), form.month.data


def describe_lines(user, params: dict) -> str:
    project, month = _project_month(user, params, requesting=True)
    return f"{project.name} · {month}"


def lines_subject(user, params: dict) -> str:
    project, month = _project_month(user, params, requesting=True)
    return f"{project.name}_{month}"


@register_export("wage_lines", "工资代发实时进度明细", headers=LINE_HEADERS, scope="project", needs_reviewer=True,
                 describe=describe_lines, subject=lines_subject)
def line_rows(user, params: dict):
    project, month = _project_month(user, params)
    payroll_numbers = {sheet.id: sheet.payroll_no for sheet in detail.sheets(project.id, month)}
    for line in detail.lines(project.id, month):
        yield (payroll_numbers[line.payroll_id], line.name, line.id_masked, line.days_attended, line.days_worked,
               float(line.amount_due), float(line.amount_paid) if line.amount_paid is not None else None,
               line.status_label, "是" if line.is_back_pay else "", line.fail_reason, line.paid_at)
