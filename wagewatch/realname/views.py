"""实名制进度预警: the list of approved 在建 projects with their stored R1 verdict (manual §4)."""
from flask import request
from flask_login import current_user, login_required

from wagewatch.htmx import invalid_filters, render
from wagewatch.listing import PageRequest
from wagewatch.realname import queries
from wagewatch.realname.blueprint import bp
from wagewatch.realname.compute import fill_missing
from wagewatch.realname.forms import RealnameFilterForm, link_args

FILTER_FIELDS = ("name", "region", "industry", "hr_org", "industry_org", "compliance", "registered_from",
                 "registered_to")


@bp.get("")
@login_required
def index():
    form = RealnameFilterForm(request.args, current_user)
    fill_missing()  # a project approved or set 在建 since the nightly run gets its verdict now (kept by the commit)
    context = {"form": form, "computed_at": queries.computed_at(current_user)}
    if not form.validate():
        return invalid_filters("realname/index.html", "realname/_filters.html", shown=FILTER_FIELDS, listing=None,
                               args={}, **context)
    filters = form.filters()
    listing = queries.page(current_user, filters, PageRequest.from_args(request.args, form.page_number()))
    return render("realname/index.html", "realname/_table.html", listing=listing, args=link_args(filters),
                  shown=FILTER_FIELDS, **context)
