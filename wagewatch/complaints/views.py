"""欠薪投诉监控 (manual §8): the filtered list, the search that keeps ID and phone numbers out of URLs,
the detail pane, and 督办 / 办结督办."""
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from wagewatch.complaints import queries, supervision
from wagewatch.complaints.blueprint import bp
from wagewatch.complaints.forms import (
    CloseSupervisionForm,
    ComplaintFilterForm,
    SuperviseForm,
    hide_complainant,
)
from wagewatch.extensions import db
from wagewatch.htmx import render, wants_fragment
from wagewatch.listing import PageRequest
from wagewatch.masking import mask_phone
from wagewatch.models.complaints import APPEAL_STATUSES, COMPLAINT_STATUSES, SUPERVISION_STATUSES
from wagewatch.models.wages import PAY_STATUSES
from wagewatch.rules import complaints as clocks
from wagewatch.rules.complaint_checks import LABELS as CHECK_LABELS

ACTOR_LABELS = {"system": "系统", "enterprise": "企业", "complainant": "投诉人", "regulator": "监管部门"}
EVENT_LABELS = {"submitted": "提交投诉", "enterprise_read": "企业读取投诉", "enterprise_handled": "企业处理投诉",
                "appealed": "投诉人申诉", "appeal_read": "企业读取申诉", "appeal_handled": "企业处理申诉",
                "closed": "投诉办结", "pushed": "推送监管", "supervised": "督办", "supervision_closed": "督办办结"}
ACTIONS = {"supervise": (SuperviseForm, "已督办"), "close": (CloseSupervisionForm, "督办已办结")}


@bp.context_processor
def labels() -> dict:
    return {"mask_phone": mask_phone, "complaint_statuses": COMPLAINT_STATUSES, "appeal_statuses": APPEAL_STATUSES,
            "supervision_statuses": SUPERVISION_STATUSES, "timeliness_labels": clocks.TIMELINESS,
            "pay_statuses": PAY_STATUSES, "check_labels": CHECK_LABELS, "actor_labels": ACTOR_LABELS,
            "event_labels": EVENT_LABELS}


def _list_context(form: ComplaintFilterForm, valid: bool) -> dict:
    at, settings = queries.now(), queries.clock_settings()
    filters = form.filters() if valid else {}
    wanted = PageRequest.from_args(request.args if request.method == "GET" else {}, form.page_number())
    listing = queries.list_page(current_user, filters, wanted, at, settings) if valid else None
    return {"form": form, "listing": listing, "args": filters, "now": at, "settings": settings,
            "timeliness": lambda case: clocks.timeliness(case, at, settings)}


@bp.get("")
@login_required
def index():
    form = ComplaintFilterForm(request.args, current_user)
    valid = form.validate()
    if form.holds_number():  # a number typed into a URL by hand: moved out at once
        return redirect(url_for("complaints.index", **hide_complainant(request.args)), 303)
    context = _list_context(form, valid)
    case_id = queries.case_id_of(request.args.get("case"))
    if case_id is not None and not wants_fragment():  # the no-JS 详情 link: the pane beside the same list
        here = "&".join(p for p in request.query_string.decode().split("&") if p and not p.startswith("case="))
        back = url_for("complaints.index") + (f"?{here}" if here else "")
        context.update(_pane_context(queries.load_case(current_user, case_id), back))
    return render("complaints/index.html", "complaints/_table.html", status=200 if valid else 422, **context)


@bp.route("/search", methods=["GET", "POST"])
@login_required
def search():
    """The filter bar posts here, so a full ID or phone number never appears in a URL, log or history: it is
    replaced by its keyed hash (personal_search) and the browser is sent to the bookmarkable list URL.

    The manual's single 投诉人 field takes a name, an ID number or a phone, so this view sorts the text into
    personal_search's fields itself instead of using its posted_search decorator."""
    if request.method == "GET":  # a bookmarked or hand-typed search URL: the list, numbers moved out
        return redirect(url_for("complaints.index", **hide_complainant(request.args)), 303)
    form = ComplaintFilterForm(MultiDict(hide_complainant(request.form)), current_user)
    if not form.validate():
        if wants_fragment():  # the errors go beside the fields; the table stays as it was
            response = render("complaints/index.html", "complaints/_filters.html", status=422, form=form)
            response.headers.update({"HX-Retarget": "#complaints-search", "HX-Reswap": "outerHTML"})
            return response
        return render("complaints/index.html", "complaints/_table.html", status=422, **_list_context(form, False))
    target = url_for("complaints.index", **form.filters())
    if not wants_fragment():
        return redirect(target, 303)
    response = render("complaints/index.html", "complaints/_search_result.html", **_list_context(form, True))
    response.headers["HX-Push-Url"] = target
    return response


def _pane_context(complaint, back: str | None = None) -> dict:
    settings, at = queries.clock_settings(), queries.now()
    return {"case": complaint, "project": queries.load_project(complaint), "events": queries.timeline(complaint),
            "evidence": queries.evidence(complaint), "region_label": queries.region_name(complaint.region_code),
            "deadlines": clocks.deadlines(complaint, settings), "case_state": clocks.timeliness(complaint, at, settings),
            "now": at, "settings": settings, "forms": {name: form(formdata=None) for name, (form, _) in ACTIONS.items()},
            "back": back or _back(), "conflict": False, "allowed": supervision.allowed}


def _back() -> str:
    """The list URL the user came from (filters kept), only ever our own list path."""
    candidate = urlsplit(request.form.get("back") or request.referrer or "")
    path = url_for("complaints.index")
    if candidate.path == path and candidate.netloc in ("", request.host):
        query = "&".join(part for part in candidate.query.split("&") if not part.startswith("case="))
        return path + (f"?{query}" if query else "")
    return path


@bp.get("/<int:complaint_id>/pane")
@login_required
def detail_pane(complaint_id: int):
    complaint = queries.load_case(current_user, complaint_id)
    if not wants_fragment():  # the pane's own URL without JavaScript: the list with the pane beside it
        return redirect(url_for("complaints.index", case=complaint.id), 303)
    return render("complaints/index.html", "complaints/_pane.html", **_pane_context(complaint))


def _act(complaint_id: int, action: str):
    complaint = queries.load_case(current_user, complaint_id)  # 404 outside the jurisdiction, before 403
    if not current_user.can_review:
        abort(403)
    form_class, done = ACTIONS[action]
    form = form_class()
    context = _pane_context(complaint)
    if not supervision.allowed(action, complaint.supervision_status):
        return _pane(context, 409)
    if not form.validate():
        context["forms"][action] = form
        return _pane(context, 422)
    if not supervision.transition(complaint, action, form.note.data, form.expected.data or None, queries.now()):
        db.session.rollback()
        return _pane(_pane_context(queries.load_case(current_user, complaint_id)), 409)
    # committed once by the request (transactions.py) after this answer rendered
    message = f"投诉 {complaint.complaint_no} {done}。"
    if not wants_fragment():
        flash(message, "info")
        back = context["back"]
        return redirect(back + ("&" if "?" in back else "?") + urlencode({"case": complaint.id}), 303)
    context = _pane_context(complaint)
    context.update(message=message, row=_row(complaint))
    return render("complaints/index.html", "complaints/_pane.html", **context)


def _pane(context: dict, status: int):
    context["conflict"] = status == 409
    if not wants_fragment():  # no-JS: the list the reviewer came from, with the pane and its message beside it
        args = MultiDict(parse_qsl(urlsplit(context["back"]).query))
        form = ComplaintFilterForm(args, current_user)
        context.update(_list_context(form, form.validate()))
    return render("complaints/index.html", "complaints/_pane.html", status=status, **context)


def _row(complaint):
    """The row's 督办情况, swapped in place (out of band) beside the pane: the only cell 督办 changes.

    A bare <tr> outside a table would be dropped by the HTML parser, so the swapped element is the badge.
    """
    return Markup(render_template("complaints/_supervision_badge.html", case=complaint, oob=True))


@bp.post("/<int:complaint_id>/supervise")
@login_required
def supervise(complaint_id: int):
    return _act(complaint_id, "supervise")


@bp.post("/<int:complaint_id>/close-supervision")
@login_required
def close_supervision(complaint_id: int):
    return _act(complaint_id, "close")

