"""导出数据 of 人员信息: the roster export, with the page's filters, masked, streamed, always through scope."""
from werkzeug.datastructures import MultiDict

from wagewatch import scope
from wagewatch.exports.registry import register_export
from wagewatch.extensions import db
from wagewatch.projects import queries, roster
from wagewatch.projects.forms import WORK_STATES, RosterFilterForm


def describe(user, params: dict) -> str:
    """The project and the 人员信息 filters in words; 404 when the project is outside the user's scope."""
    project = scope.get_project_or_404(user, queries.project_id_of(params.get("project_id")))
    parts = [project.name]
    if params.get("name"):
        parts.append(f"姓名含“{params['name']}”")
    if params.get("id_masked"):
        parts.append(f"身份证号 {params['id_masked']}")
    if params.get("team"):
        parts.append(f"班组含“{params['team']}”")
    if params.get("state") in ("active", "left"):
        parts.append(WORK_STATES[params["state"]])
    return " · ".join(parts)


def subject(user, params: dict) -> str:
    return scope.get_project_or_404(user, queries.project_id_of(params.get("project_id"))).name


@register_export("roster", "人员信息", headers=roster.HEADERS, scope="project", needs_reviewer=True,
                 describe=describe, subject=subject)
def rows(user, params: dict):
    """Re-check the project against the user's scope (404 otherwise), then stream the filtered roster."""
    project = scope.get_project_or_404(user, queries.project_id_of(params.get("project_id")))
    form = RosterFilterForm(MultiDict({key: str(value) for key, value in params.items() if value is not None}))
    if not form.validate():
        raise ValueError("；".join(message for errors in form.errors.values() for message in errors))
    today = roster.today_in_beijing()
    stmt = roster.statement(project.id, form.filters()).execution_options(yield_per=1000)
    for row in db.session.execute(stmt):
        yield roster.to_row(row, today).cells()
