"""导出数据 of 人员考勤日报表: the list's filters re-checked, scope applied, IDs masked, rows streamed."""
from flask import abort
from werkzeug.datastructures import MultiDict

from wagewatch import scope
from wagewatch.attendance import queries
from wagewatch.attendance.forms import STATUSES, DailyFilterForm
from wagewatch.exports.registry import register_export
from wagewatch.extensions import db
from wagewatch.projects.queries import project_id_of


def _form(user, params: dict) -> DailyFilterForm:
    form = DailyFilterForm(MultiDict({key: str(value) for key, value in params.items() if value is not None}), user)
    if form.project_id.data:  # 404 outside the jurisdiction: nothing is queued, nothing is written
        scope.get_project_or_404(user, project_id_of(form.project_id.data))
    if form.worker_id.data and not (form.worker_id.data.isdecimal()
                                    and queries.worker_visible(user, int(form.worker_id.data))):
        abort(404)
    return form


def describe(user, params: dict) -> str:
    """The filters in words for 我的导出 (an ID number only masked)."""
    form = _form(user, params)
    parts = [f"{form.date_from.raw_data[0]} 至 {form.date_to.raw_data[0]}"]
    if form.project_id.data:
        parts.insert(0, scope.get_project_or_404(user, project_id_of(form.project_id.data)).name)
    if form.region.data:
        parts.append(form.region.choices.get(form.region.data, form.region.data).strip("　"))
    if form.team.data:
        parts.append(f"班组 {form.team.choices.get(form.team.data, form.team.data)}")
    if form.name.data:
        parts.append(f"姓名“{form.name.data}”")
    if form.id_hash.data:
        parts.append(f"身份证号 {params.get('id_masked') or form.id_hash.masked}")
    if form.status.data in STATUSES and form.status.data:
        parts.append(STATUSES[form.status.data])
    return " · ".join(parts)


def subject(user, params: dict) -> str:
    """The file is about the chosen project, else the dates: 人员考勤日报表_<工程名称>_<时间>.xlsx."""
    form = _form(user, params)
    if form.project_id.data:
        return scope.get_project_or_404(user, project_id_of(form.project_id.data)).name
    start, end = form.date_from.raw_data[0], form.date_to.raw_data[0]
    return start if start == end else f"{start}至{end}"


@register_export("attendance_daily", "人员考勤日报表", headers=queries.HEADERS, scope="owned", needs_reviewer=True,
                 describe=describe, subject=subject)
def rows(user, params: dict):
    form = _form(user, params)
    if not form.validate():
        raise ValueError("；".join(message for errors in form.errors.values() for message in errors))
    stmt = queries.export_statement(user, form.filters(), form.sort.data).execution_options(yield_per=1000)
    chunk = []
    for row in db.session.execute(stmt):
        chunk.append(row)
        if len(chunk) == 1000:
            yield from _cells(chunk)
            chunk = []
    yield from _cells(chunk)


def _cells(chunk: list):
    """班组 and 工种 for a thousand rows at a time: one query per chunk, not one per row."""
    jobs = queries.employments({(r.project_id, r.worker_id) for r in chunk})
    for row in chunk:
        yield queries.to_row(row, jobs).cells()
