"""导出数据 of 实名制进度预警: the list's rows with the page's filters, streamed, always through scope."""
from werkzeug.datastructures import MultiDict

from wagewatch.exports.registry import region_subject, register_export
from wagewatch.extensions import db
from wagewatch.realname import queries
from wagewatch.realname.compute import fill_missing
from wagewatch.realname.forms import COMPLIANCE, RealnameFilterForm


def _form(user, params: dict) -> RealnameFilterForm:
    form = RealnameFilterForm(MultiDict({k: str(v) for k, v in params.items() if v is not None}), user)
    if not form.validate():
        raise ValueError("；".join(message for errors in form.errors.values() for message in errors))
    return form


def describe(user, params: dict) -> str:
    """The filters in words. Called when the export is requested, so verdicts missing then are stored first
    (the request commits) and the file lists what the page lists."""
    fill_missing()
    form = RealnameFilterForm(MultiDict(params), user)
    form.validate()
    parts = []
    for key in ("name", "hr_org", "industry_org"):
        if form[key].data and not form[key].errors:
            parts.append(f"{form[key].label.text}含“{form[key].data}”")
    for key in ("region", "industry"):
        if form[key].data and not form[key].errors:
            parts.append(form[key].choices[form[key].data].strip("　"))
    if form.compliance.data in ("ok", "failed"):
        parts.append(COMPLIANCE[form.compliance.data])
    if form.registered_from.data or form.registered_to.data:
        parts.append(f"登记日期 {form.registered_from.data or '…'} 至 {form.registered_to.data or '…'}")
    return " · ".join(parts) or "管辖范围内全部在建工程"


def subject(user, params: dict) -> str:
    """实名制进度预警_<区域>[_未达标]_<时间>.xlsx: the chosen region (else the jurisdiction) and 达标情况."""
    form = RealnameFilterForm(MultiDict(params), user)
    form.validate()
    region = form.region.data if form.region.data and not form.region.errors else None
    compliance = COMPLIANCE[form.compliance.data] if form.compliance.data in ("ok", "failed") else ""
    return "_".join(part for part in (region_subject(user, region), compliance) if part)


@register_export("realname", "实名制进度预警", queries.HEADERS, scope="region", describe=describe, subject=subject)
def rows(user, params: dict):
    stmt = queries.rows_statement(user, _form(user, params).filters()).execution_options(yield_per=1000)
    for values in db.session.execute(stmt):
        yield queries.to_row(values).cells()
