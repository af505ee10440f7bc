"""工程现场管理: the 区域 → 工程 selector, 人员信息 and 工程信息 of the chosen project (manual §2)."""
from flask import request
from flask_login import current_user, login_required

from wagewatch.htmx import render, wants_fragment
from wagewatch.personal_search import posted_search
from wagewatch.projects import queries, roster, tree
from wagewatch.projects.blueprint import bp
from wagewatch.projects.forms import WORK_STATES, RosterFilterForm

SITE_TABS = {"workers": "人员信息", "info": "工程信息"}


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
        return {"form": form, "listing": None, "args": {}}, 422
    filters = form.filters()
    return {"form": form, "listing": roster.roster_page(project.id, filters, form.page_number()),
            "args": {key: request.args[key] for key in filters}}, 200


@bp.route("/site", methods=["GET", "POST"])
@login_required
@posted_search  # the 身份证号 search posts; the page's URL holds only the number's keyed hash
def site():
    project = _chosen_project()
    tab = request.args.get("tab") if request.args.get("tab") in SITE_TABS else "workers"
    context, status = _tab_context(project, tab)
    root = None
    if not wants_fragment():
        root = tree.level(current_user, tree.region_or_404(current_user, current_user.org.region_code))
    return render("projects/site.html", "projects/_site_panel.html", status=status, project=project, tab=tab,
                  tabs=SITE_TABS, states=WORK_STATES, root=root, **context)


@bp.get("/tree/children")
@login_required
def tree_children():
    region = tree.region_or_404(current_user, request.args.get("region"))
    offset = min(max(0, request.args.get("offset", 0, type=int)), tree.MAX_OFFSET)
    return render("projects/tree.html", "projects/_tree_children.html",
                  level=tree.level(current_user, region, offset), current=None)


@bp.get("/tree/search")
@login_required
def tree_search():
    text = request.args.get("q", "")[:100]
    return render("projects/tree.html", "projects/_tree_results.html", results=tree.search(current_user, text),
                  q=text, current=None)
