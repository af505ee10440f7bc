"""人员考勤日报表: the search bar, the list, the 注释 panel, and a day's punches as evidence (manual §3)."""
from datetime import timedelta

from flask import abort, request, url_for
from flask_login import current_user, login_required

from wagewatch import scope, selector
from wagewatch.attendance import queries
from wagewatch.attendance.blueprint import bp
from wagewatch.attendance.forms import FILTER_FIELDS, DailyFilterForm
from wagewatch.attendance.notes import notes, updated_at
from wagewatch.htmx import invalid_filters, render, wants_fragment
from wagewatch.personal_search import posted_search
from wagewatch.projects.queries import project_id_of


def _checked(form: DailyFilterForm):
    """The chosen project and worker, each 404 when outside the user's jurisdiction (or not a valid id)."""
    project = None
    if form.project_id.data:
        project = scope.get_project_or_404(current_user, project_id_of(form.project_id.data))
    if form.worker_id.data:
        raw = form.worker_id.data
        if not (raw.isascii() and raw.isdecimal()) or not queries.worker_visible(current_user, int(raw)):
            abort(404)
    return project


selector.register_target("attendance.daily")  # the one 区域 → 工程 selector leads here with ?project_id=


@bp.route("/daily", methods=["GET", "POST"])
@login_required
@posted_search  # the 身份证号 search posts; the page's URL holds only the number's keyed hash
def daily():
    form = DailyFilterForm(request.args, current_user)
    project = _checked(form)
    picker = None if wants_fragment() else selector.build(current_user, "attendance.daily", project)
    context = {"form": form, "project": project, "picker": picker, "updated_at": updated_at(), "notes": notes()}
    if not form.validate():
        # Without JavaScript the page with its fields marked; with htmx only the filter bar, the list untouched.
        return invalid_filters("attendance/daily.html", "attendance/_filters.html", shown=FILTER_FIELDS,
                               listing=None, args={}, **context)
    listing = queries.page(current_user, form.filters(), form.sort.data, form.after.data, form.before.data,
                           form.page_number())
    return render("attendance/daily.html", "attendance/_list.html", listing=listing, args=form.args(),
                  shown=FILTER_FIELDS, **context)


@bp.get("/daily/<int:day_id>/punches")
@login_required
def punches_pane(day_id: int):
    """The evidence for a dispute: the day's raw punches next to the same worker's days before and after."""
    evidence = queries.evidence(current_user, day_id)
    back, listing = request.args.get("back", ""), url_for("attendance.daily")
    if not (back == listing or back.startswith(listing + "?")):  # only ever back to our own list
        back = listing
    return render("attendance/punches.html", "attendance/_punches_pane.html", evidence=evidence, back=back,
                  timedelta=timedelta)
