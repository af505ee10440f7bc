"""导出数据 of 欠薪投诉监控: the list's rows with its filters and scope, personal data masked, streamed."""
from flask import abort
from werkzeug.datastructures import MultiDict

from wagewatch.complaints import queries
from wagewatch.complaints.forms import ComplaintFilterForm, hide_complainant, number_kind
from wagewatch.exports.registry import region_subject, register_export
from wagewatch.extensions import db
from wagewatch.masking import mask_phone
from wagewatch.models import Region
from wagewatch.models.complaints import APPEAL_STATUSES, COMPLAINT_STATUSES, SUPERVISION_STATUSES
from wagewatch.personal_search import protect
from wagewatch.rules import complaints as clocks

HEADERS = ("投诉编号", "工程名称", "所在区域", "总包单位", "系统数据核查", "投诉人姓名", "身份证号", "手机号", "投诉类型",
           "投诉金额（元）", "投诉时间", "申诉时间", "超时情况", "督办情况", "投诉读取情况", "投诉处理情况", "投诉状态",
           "申诉读取情况", "申诉处理情况", "申诉状态")


def _form(user, params: dict) -> ComplaintFilterForm:
    values = {k: str(v) for k, v in params.items() if v is not None}
    form = ComplaintFilterForm(MultiDict(hide_complainant(values)), user)
    if not form.validate():
        raise ValueError("；".join(message for errors in form.errors.values() for message in errors))
    return form


SCOPED_FILTERS = ("region", "industry", "hr_org", "industry_org")


def describe(user, params: dict) -> str:
    """The filters in words for 我的导出; a full number appears only as 身份证号/手机号 (已隐藏).

    Asked when the export is requested: a filter outside the jurisdiction is 404 (as its page would be), any
    other invalid filter 400, and nothing is queued.
    """
    if number_kind((params.get("complainant") or "").strip()):
        # A hand-made request named a full ID or phone in 投诉人: the params about to be stored with the export
        # (and in the audit log) keep only its keyed hash and mask, like the screen's URL (personal_search).
        text = params.pop("complainant").strip()
        params.update(protect({**params, number_kind(text): text}))
    try:
        form = _form(user, params)
    except ValueError:
        abort(404 if any(params.get(key) for key in SCOPED_FILTERS) else 400)
    parts = []
    for key, value in form.filters().items():
        field = form[key]
        if key in ("id_hash", "phone_hash"):
            masked = params.get("id_masked" if key == "id_hash" else "phone_masked") or field.masked
            parts.append(f"{field.label.text} {masked}")
        elif hasattr(field, "choices") and isinstance(field.choices, dict):
            parts.append(f"{field.label.text}：{field.choices.get(value, value)}")
        else:
            parts.append(f"{field.label.text}含“{value}”" if key in ("no", "project", "contractor", "complainant")
                         else f"{field.label.text}：{value}")
    return " · ".join(parts) or "全部投诉"


def cells(complaint, region: str | None, state: str) -> tuple:
    appeal = complaint.appeal_status != "none"
    return (complaint.complaint_no, complaint.project_name, region or complaint.region_code,
            complaint.contractor_name or "", "、".join(c["label"] for c in complaint.checks or []) or "--",
            complaint.complainant_name, complaint.complainant_id_masked or "", mask_phone(complaint.complainant_phone),
            complaint.type, complaint.amount_claimed, complaint.submitted_at, complaint.appealed_at or "暂无",
            clocks.TIMELINESS[state], SUPERVISION_STATUSES.get(complaint.supervision_status, ""),
            "企业已读" if complaint.read_at else "企业未读", "企业已处理" if complaint.handled_at else "企业未处理",
            COMPLAINT_STATUSES.get(complaint.status, complaint.status),
            ("企业已读" if complaint.appeal_read_at else "企业未读") if appeal else "暂无",
            ("企业已处理" if complaint.appeal_handled_at else "企业未处理") if appeal else "暂无",
            APPEAL_STATUSES.get(complaint.appeal_status, "暂无"))


def subject(user, params: dict) -> str:
    """欠薪投诉_<区域>_<起止日期>_<时间>.xlsx: the chosen region (else the jurisdiction) and 投诉时间 range."""
    values = {k: str(v) for k, v in params.items() if v is not None}
    form = ComplaintFilterForm(MultiDict(hide_complainant(values)), user)
    form.validate()
    chosen = form.filters()
    region = region_subject(user, chosen.get("region") if not form.region.errors else None)
    start, end = chosen.get("submitted_from", ""), chosen.get("submitted_to", "")
    dates = (start if start == end else f"{start}至{end}") if start and end else \
        (f"{start}起" if start else (f"至{end}" if end else ""))
    return "_".join(part for part in (region, dates) if part)


@register_export("complaints", "欠薪投诉", headers=HEADERS, scope="complaints", needs_reviewer=True,
                 describe=describe, subject=subject)
def rows(user, params: dict):
    """Same form, same query, same scope as the screen; newest first."""
    form = _form(user, params)
    at, settings = queries.now(), queries.clock_settings()
    stmt = queries.ordered(queries.filtered(user, form.filters(), at, settings)).add_columns(Region.name) \
        .outerjoin(Region, Region.code == queries.Complaint.region_code).execution_options(yield_per=1000)
    for complaint, region in db.session.execute(stmt):
        yield cells(complaint, region, clocks.timeliness(complaint, at, settings))
