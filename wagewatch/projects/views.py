"""工程审批: the list with its tabs, the 审批 dialog and the 修改工程状态 dialog (manual §1)."""
from urllib.parse import urlsplit

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from wagewatch.htmx import confirmed, invalid_filters, render
from wagewatch.listing import PageRequest
from wagewatch.masking import mask_phone
from wagewatch.models.projects import PROJECT_STATUSES
from wagewatch.projects import queries
from wagewatch.projects.blueprint import bp
from wagewatch.projects.forms import (
    DECISIONS,
    FILTER_FIELDS,
    SORTS,
    TABS,
    ApprovalFilterForm,
    ProjectStatusForm,
    ReviewDecisionForm,
)


@bp.context_processor
def labels() -> dict:
    return {"mask_phone": mask_phone, "status_labels": PROJECT_STATUSES}


def _require_reviewer() -> None:
    if not current_user.can_review:
        abort(403)


def back_to_list(tab: str) -> str:
    """The 工程审批 list the user came from, filters kept (no-JS flow), else the given tab.

    Only our own list path is accepted, from the form's `back` field or the Referer, so it cannot redirect away.
    """
    candidate = urlsplit(request.form.get("back") or request.referrer or "")
    list_path = url_for("projects.approvals")
    if candidate.path == list_path and candidate.netloc in ("", request.host):
        return list_path + (f"?{candidate.query}" if candidate.query else "")
    return url_for("projects.approvals", tab=tab)


def _done(event: str, project_id: int, message: str, tab: str):
    """After a dialog POST: the dialog closes, the list refreshes and #flash says what was done (both ways)."""
    return confirmed(message, {event: {"project": project_id}}, back_to_list(tab))


@bp.get("/approvals")
@login_required
def approvals():
    form = ApprovalFilterForm(request.args, current_user)
    valid = form.validate()
    tab = form.tab.data if not form.tab.errors else "pending"
    sort = form.sort.data if not form.sort.errors else "-registered_on"
    args = {key: request.args[key] for key in form.filters() if request.args.get(key)}
    context = {"form": form, "tab": tab, "sort": sort, "args": args, "tabs": TABS, "sorts": SORTS,
               "selected": request.args.get("selected", type=int)}
    if not valid:
        # No counts rather than wrong ones; with htmx the table and its counts stay as they were.
        return invalid_filters("projects/approvals.html", "projects/_approvals_filters.html",
                               shown=FILTER_FIELDS, counts=None, listing=None, **context)
    filters = form.filters()
    counts = queries.tab_counts(current_user, filters)
    listing = queries.approvals_page(current_user, filters, tab, sort,
                                     PageRequest.from_args(request.args, form.page_number()), counts[tab])
    return render("projects/approvals.html", "projects/_table.html", counts=counts, listing=listing,
                  shown=FILTER_FIELDS, reviewers=queries.reviewer_names(listing.items), **context)


@bp.get("/selected")
@login_required
def open_selected():
    """Without JavaScript, 审批 / 修改工程状态 submit the ticked row here and land on that dialog's page."""
    endpoint = {"review": "projects.review_dialog", "status": "projects.status_dialog"}.get(request.args.get("action"))
    raw = request.args.get("selected", "")
    if endpoint is None or not raw:
        flash("请先勾选一条登记记录，再点击审批或修改工程状态。", "warn")
        tab = request.args.get("tab") if request.args.get("tab") in TABS else "pending"
        return redirect(url_for("projects.approvals", tab=tab), 303)
    return redirect(url_for(endpoint, project_id=queries.project_id_of(raw)), 303)


def _review(project, form, status: int = 200):
    return render("projects/review.html", "projects/_review_dialog.html", status=status, project=project,
                  form=form, history=queries.history(project), conflict=status == 409,
                  back=back_to_list("pending"))


@bp.get("/<int:project_id>/review")
@login_required
def review_dialog(project_id: int):
    return _review(queries.load_project(current_user, project_id), ReviewDecisionForm())


@bp.post("/<int:project_id>/review")
@login_required
def decide(project_id: int):
    project = queries.load_project(current_user, project_id)
    _require_reviewer()
    form = ReviewDecisionForm()
    if project.review_status != "pending":
        return _review(project, form, 409)
    if not form.validate():
        return _review(project, form, 422)
    if not queries.decide(current_user, project, form.decision.data, form.reason.data):
        return _review(queries.load_project(current_user, project_id), form, 409)
    label = DECISIONS[form.decision.data]
    return _done("project-reviewed", project_id, f"“{project.name}”{label}。", "pending")


def _status(project, form, status: int = 200):
    if project.review_status != "approved":
        status = 409
    return render("projects/status.html", "projects/_status_dialog.html", status=status, project=project,
                  form=form, conflict=status == 409 and project.review_status == "approved",
                  back=back_to_list("approved"))


@bp.get("/<int:project_id>/status")
@login_required
def status_dialog(project_id: int):
    project = queries.load_project(current_user, project_id)
    _require_reviewer()
    return _status(project, ProjectStatusForm(status=project.status))


@bp.post("/<int:project_id>/status")
@login_required
def update_status(project_id: int):
    project = queries.load_project(current_user, project_id)
    _require_reviewer()
    form = ProjectStatusForm(current=project.status)
    if project.review_status != "approved":
        return _status(project, form)
    if not form.validate():
        return _status(project, form, 422)
    old = project.status
    if not queries.change_status(project, old, form.status.data, form.reason.data):
        return _status(queries.load_project(current_user, project_id), form, 409)
    message = f"“{project.name}”的工程状态已修改为{PROJECT_STATUSES[form.status.data]}。"
    return _done("project-status-changed", project_id, message, "approved")

