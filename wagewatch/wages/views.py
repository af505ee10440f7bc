"""工资代发实时进度 (manual §5) and 工资代发实时进度明细 (manual §6): parse the filters, query, render."""
from flask import redirect, request, url_for
from flask_login import current_user, login_required

from wagewatch import clock, scope
from wagewatch.htmx import render, wants_fragment
from wagewatch.models import Payroll
from wagewatch.models.projects import INDUSTRIES
from wagewatch.rules import wages as rules
from wagewatch.settings import rule_settings
from wagewatch.projects import tree
from wagewatch.wages import detail as details
from wagewatch.wages import progress as listing
from wagewatch.wages.blueprint import bp
from wagewatch.wages.forms import SORTS, ProgressFilterForm, ProjectMonthFields


@bp.context_processor
def labels() -> dict:
    return {"flag_labels": rules.FLAGS, "status_labels": rules.STATUSES, "colour_labels": rules.COLOURS,
            "industry_labels": INDUSTRIES, "evidence_titles": details.EVIDENCE_TITLES}


def default_month() -> str:
    """The last month whose payday has passed: the earliest payday (1) counts, so from the 2nd the previous
    month shows; projects whose own payday is later show 未到发薪日 until it passes."""
    return rules.last_passed_month(clock.beijing_today(), 1)


@bp.get("/progress")
@login_required
def progress():
    form = ProgressFilterForm(request.args, current_user, default_month())
    valid = form.validate()
    sort = form.sort.data if not form.sort.errors else "ratio"
    filters, summary, page = form.filters(), None, None
    if valid:
        summary = listing.summary(current_user, filters)
        page = listing.page(current_user, filters, sort, form.page_number(), summary.total)
    project = scope.get_project_or_404(current_user, form.project()) if valid and form.project() else None
    return render("wages/progress.html", "wages/_progress_table.html", status=200 if valid else 422, form=form,
                  filters=filters, sort=sort, sorts=SORTS, summary=summary, listing=page, project=project)


@bp.get("/progress/detail")
@login_required
def progress_detail():
    form = ProjectMonthFields(request.args, current_user, default_month())
    valid = form.validate()
    context = {"form": form, "project": None, "month": form.month.data, "found": None}
    if valid and not form.project() and form.q.data:
        context["found"] = tree.search(current_user, form.q.data)
    if valid and form.project():
        project = details.load_project(current_user, form.project())
        month, settings = form.month.data, rule_settings()
        sheets = details.sheets(project.id, month)
        expanded = request.args.get("sheet", type=int)
        expanded = expanded if expanded in {sheet.id for sheet in sheets} else None
        lines = details.lines_page(project.id, month, expanded, _page_arg("lines_page")) if expanded else None
        context.update(project=project, result=details.verdict(project, month, clock.beijing_today(), settings),
                       sheets=sheets, evidence=details.evidence(project.id, month, settings), expanded=expanded,
                       lines=lines)
    return render("wages/detail.html", "wages/_detail.html", status=200 if valid else 422, **context)


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
