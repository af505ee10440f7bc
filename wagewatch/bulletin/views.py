"""数据通报: every R4 indicator per child region, with notes, charts, changes and 未达成项目清单 downloads."""
from flask import abort, request
from flask_login import current_user, login_required

from wagewatch import clock
from wagewatch.bulletin import charts, queries
from wagewatch.bulletin.blueprint import bp
from wagewatch.bulletin.compute import month_of
from wagewatch.bulletin.forms import BulletinFilterForm
from wagewatch.htmx import render
from wagewatch.rules.bulletin import INDICATORS
from wagewatch.settings import rule_settings


@bp.get("")
@login_required
def index():
    today = clock.beijing_today()
    form = BulletinFilterForm(request.args, queries.months(today))
    valid = form.validate()
    region = queries.start_region(current_user, form.region.data if not form.region.errors else None)
    if region is None:
        abort(404)  # a region outside the jurisdiction is not there
    computing = queries.ensure_current(today) == "computing"
    report = queries.bulletin(current_user, form.month.data if valid else month_of(today), region)
    drawn = {i.key: charts.chart(i, report.rows) for i in INDICATORS} if len(report.rows) > 1 else {}
    return render("bulletin/index.html", "bulletin/_report.html", status=200 if valid else 422, form=form,
                  report=report, indicators=INDICATORS, charts=drawn, settings=rule_settings(),
                  current=report.month == month_of(today), computing=computing, format_value=charts.format_value)
