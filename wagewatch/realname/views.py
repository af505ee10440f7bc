"""实名制进度预警: the list of approved 在建 projects with their stored R1 verdict (manual §4)."""
from flask import request
from flask_login import current_user, login_required

from wagewatch.htmx import render
from wagewatch.realname import queries
from wagewatch.realname.blueprint import bp
from wagewatch.realname.compute import fill_missing
from wagewatch.realname.forms import RealnameFilterForm, link_args


@bp.get("")
@login_required
def index():
    form = RealnameFilterForm(request.args, current_user)
    valid = form.validate()
    fill_missing()  # a project approved or set 在建 since the nightly run gets its verdict now (kept by the commit)
    listing, args = None, {}
    if valid:
        args = link_args(form.filters())
        listing = queries.page(current_user, form.filters(), form.page_number())
    return render("realname/index.html", "realname/_table.html", status=200 if valid else 422, form=form,
                  listing=listing, args=args, computed_at=queries.computed_at(current_user))
