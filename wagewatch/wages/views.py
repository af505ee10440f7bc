"""工资代发实时进度 (manual §5) and 工资代发实时进度明细 (manual §6): parse the filters, query, render."""
from flask import redirect, request, url_for
from flask_login import current_user, login_required

from wagewatch import clock, scope, selector
from wagewatch import listing as lists
from wagewatch.htmx import invalid_filters, render, wants_fragment
from wagewatch.models import Payroll
from wagewatch.models.projects import INDUSTRIES
from wagewatch.rules import wages as rules
from wagewatch.settings import rule_settings
from wagewatch.wages import detail as details
from wagewatch.wages import progress as listing
from wagewatch.wages.blueprint import bp
from wagewatch.wages.forms import SORTS, ProgressFilterForm, ProjectMonthFields

selector.register_target("wages.progress")
selector.register_target("wages.progress_detail")


@bp.context_processor
def labels() -> dict:
    return {"flag_labels": rules.FLAGS, "status_labels": rules.STATUSES, "colour_labels": rules.COLOURS,
            "industry_labels": INDUSTRIES, "evidence_titles": details.EVIDENCE_TITLES}


def default_month() -> str:
    """The last month whose payday has passed: the earliest payday (1) counts, so from the 2nd the previous
    month shows; projects whose own payday is later show 未到发薪日 until it passes."""
    return rules.last_passed_month(clock.beijing_today(), 1)


PROGRESS_FIELDS = ("region", "industry", "month", "project_status", "status", "colour", "flag", "abnormal", "attended")


@bp.get("/progress")
@login_required
def progress():
    form = ProgressFilterForm(request.args, current_user, default_month())
    valid = form.validate()
    sort = form.sort.data if not form.sort.errors else "ratio"
    project = scope.get_project_or_404(current_user, form.project()) if form.project() else None
    picker = None if wants_fragment() else selector.build(current_user, "wages.progress", project)
    context = {"form": form, "chosen": form.filters(), "sort": sort, "sorts": SORTS, "project": project,
               "picker": picker, "shown": PROGRESS_FIELDS,
               "hidden": {key: value for key, value in (("project_id", project.id if project else None),
                                                        ("sort", sort)) if value}}
    if not valid:  # with htmx the table stays as it was and the filter bar comes back marked
        return invalid_filters("wages/progress.html", "wages/_progress_filters.html", summary=None, listing=None,
                               **context)
    summary = listing.summary(current_user, context["chosen"])
    wanted = lists.PageRequest.from_args(request.args, form.page_number())
    page = listing.page(current_user, context["chosen"], sort, wanted, summary.total)
    return render("wages/progress.html", "wages/_progress_table.html", summary=summary, listing=page, **context)


@bp.get("/progress/detail")
@login_required
def progress_detail():
    form = ProjectMonthFields(request.args, current_user, default_month())
    valid = form.validate()
    project = details.load_project(current_user, form.project()) if form.project() else None
    context = {"form": form, "project": project, "month": form.month.data, "shown": ("month",),
               "hidden": {"project_id": project.id} if project else {},
               "picker": None if wants_fragment() else selector.build(current_user, "wages.progress_detail", project)}
    if not valid:
        return invalid_filters("wages/detail.html", "wages/_detail_filters.html", **dict(context, project=None))
    if project:
        month, settings = form.month.data, rule_settings()
        sheets = details.sheets(project.id, month)
        expanded = request.args.get("sheet", type=int)
        expanded = expanded if expanded in {sheet.id for sheet in sheets} else None
        lines = details.lines_page(project.id, month, expanded, _page_arg("lines_page")) if expanded else None
        review = details.review(project, month, clock.beijing_today(), settings)
        context.update(result=review.result, sheets=sheets, evidence=review.evidence, expanded=expanded, lines=lines)
    return render("wages/detail.html", "wages/_detail.html", **context)


@bp.get("/progress/sheets/<int:payroll_id>/lines")
@login_required
def sheet_lines_pane(payroll_id: int):
    """A sheet's lines, swapped under its row; without htmx the 明细 page opens with that sheet expanded."""
    payroll = scope.get_or_404(current_user, Payroll, payroll_id)  # 404 outside the user's scope
    project = details.load_project(current_user, payroll.project_id)
    number = _page_arg("page")
    if not wants_fragment():
        return redirect(url_for("wages.progress_detail", project_id=project.id, month=payroll.month,
                                sheet=payroll.id, lines_page=number if number > 1 else None,
                                _anchor=f"sheet-{payroll.id}"), 303)
    return render("wages/detail.html", "wages/_sheet_lines.html", sheet_id=payroll.id,
                  lines=details.lines_page(project.id, payroll.month, payroll.id, number))


def _page_arg(name: str) -> int:
    """A page number from the query string; anything but 1–100000 is the first page (the pager never makes one)."""
    raw = request.args.get(name, "1")
    return int(raw) if raw.isascii() and raw.isdecimal() and 1 <= int(raw) <= 100000 else 1
