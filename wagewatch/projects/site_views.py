"""工程现场管理: the 区域 → 工程 selector, 人员信息 and 工程信息 of the chosen project (manual §2)."""
from flask import request
from flask_login import current_user, login_required

from wagewatch import selector
from wagewatch.htmx import invalid_filters, render, wants_fragment
from wagewatch.listing import PageRequest
from wagewatch.personal_search import posted_search
from wagewatch.projects import queries, roster
from wagewatch.projects.blueprint import bp
from wagewatch.projects.forms import ROSTER_FIELDS, WORK_STATES, RosterFilterForm

SITE_TABS = {"workers": "人员信息", "info": "工程信息"}
selector.register_target("projects.site")


def _chosen_project():
    raw = request.args.get("project_id")
    if not raw:
        return None
    return queries.load_project(current_user, queries.project_id_of(raw))


def _tab_context(project, tab: str) -> tuple[dict, int]:
    """What the chosen tab shows, and the status (422 when the 人员信息 search is invalid)."""
    if project is None:
        return {}, 200
    if tab == "info":
        return {"history": queries.history(project)}, 200
    form = RosterFilterForm(request.args)
    if not form.validate():
        return {"form": form, "listing": None, "args": {}, "shown": ROSTER_FIELDS}, 422
    filters = form.filters()
    listing = roster.roster_page(project.id, filters, PageRequest.from_args(request.args, form.page_number()))
    return {"form": form, "listing": listing, "args": {key: request.args[key] for key in filters},
            "shown": ROSTER_FIELDS}, 200


@bp.route("/site", methods=["GET", "POST"])
@login_required
@posted_search  # the 身份证号 search posts; the page's URL holds only the number's keyed hash
def site():
    project = _chosen_project()
    tab = request.args.get("tab") if request.args.get("tab") in SITE_TABS else "workers"
    context, status = _tab_context(project, tab)
    picker = None if wants_fragment() else selector.build(current_user, "projects.site", project)
    context.update(project=project, tab=tab, tabs=SITE_TABS, states=WORK_STATES, picker=picker)
    if status == 422:
        return invalid_filters("projects/site.html", "projects/_roster_filters.html", **context)
    return render("projects/site.html", "projects/_site_panel.html", **context)
