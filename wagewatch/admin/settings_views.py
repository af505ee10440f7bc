"""规则参数 (安全管理员 of the 自治区): every threshold of DESIGN §3, changed with a reason, previous value kept."""
from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select, update
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from wagewatch import audit, policy
from wagewatch.admin.access import at_platform_top, role_required
from wagewatch.admin.blueprint import bp
from wagewatch.admin.recompute import recompute
from wagewatch.extensions import db
from wagewatch.htmx import render
from wagewatch.models import RuleSetting, User
from wagewatch.models._types import utcnow
from wagewatch.projects.forms import clean
from wagewatch.reference import RULE_DEFAULTS

# (kind, lowest, highest): ratios are shares 0–1, counts and days whole numbers, amounts in yuan.
BOUNDS = {
    "realname.min_active": ("int", 0, 10000), "realname.contract_ratio": ("ratio", 0, 1),
    "realname.update_ratio": ("ratio", 0, 1), "realname.update_window_days": ("int", 1, 90),
    "wage.min_monthly": ("money", 1, 100000), "wage.full_month_days": ("int", 1, 31),
    "wage.outlier_monthly": ("money", 1, 10000000), "wage.coverage_red_ratio": ("ratio", 0, 1),
    "complaint.read_days": ("int", 1, 90), "complaint.handle_days": ("int", 1, 90),
    "complaint.close_days": ("int", 1, 365), "complaint.due_soon_hours": ("int", 1, 720),
    "attendance.future_tolerance_minutes": ("int", 0, 1440), "export.keep_days": ("int", 1, 365),
    "api.idempotency_keep_days": ("int", 1, 365), "session.keep_days": ("int", 1, 3650),
}
KIND_HINTS = {"int": "整数", "ratio": "0到1之间的小数，如0.90", "money": "金额（元），最多两位小数"}


def bounds(code: str) -> tuple[str, int, int]:
    """Declared bounds, or for a threshold added later bounds read off its default (whole number or share)."""
    if code in BOUNDS:
        return BOUNDS[code]
    if code in policy.POLICY:
        return policy.POLICY[code][2]
    default = Decimal(RULE_DEFAULTS[code][0])
    if default == default.to_integral_value():
        return "int", 0, max(1000, int(default) * 100)
    return ("ratio", 0, 1) if default < 1 else ("money", 0, 10000000)


def parse_value(code: str, raw: str) -> str:
    """The canonical text of a valid value, or ValidationError with the Chinese reason."""
    kind, low, high = bounds(code)
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise ValidationError(f"请输入{KIND_HINTS[kind]}") from None
    if not value.is_finite() or (kind == "int" and value != value.to_integral_value()) \
            or (kind == "money" and value.as_tuple().exponent < -2) \
            or (kind == "ratio" and value.as_tuple().exponent < -4):
        raise ValidationError(f"请输入{KIND_HINTS[kind]}")
    if not low <= value <= high:
        raise ValidationError(f"取值范围为{low}至{high}")
    return str(value.quantize(Decimal(1)) if kind == "int" else value)


class RuleSettingForm(FlaskForm):
    value = StringField("新值", filters=[clean], validators=[DataRequired("请输入新值"), Length(max=20, message="新值过长")])
    reason = TextAreaField("修改原因", filters=[clean], validators=[DataRequired("请填写修改原因"),
                                                                 Length(max=200, message="修改原因最多200个字")])
    expected = HiddenField()

    def __init__(self, code: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.code = code

    def validate_value(self, field):
        field.canonical = parse_value(self.code, field.data)


def _secadmin_of_region():
    if not at_platform_top(current_user):
        abort(403)  # thresholds hold for every region and industry: set once, by the 自治区人社厅


@bp.get("/settings")
@role_required("secadmin")
def settings():
    _secadmin_of_region()
    found = {s.code: s for s in db.session.scalars(select(RuleSetting))}
    names = dict(db.session.execute(select(User.id, User.username).where(
        User.id.in_({s.changed_by for s in found.values() if s.changed_by}))).all())
    rows = [(code, label, found.get(code), bounds(code)) for code, (_default, label) in RULE_DEFAULTS.items()]
    # 安全策略: a value never changed here is the environment's default, shown as such.
    policies = [(code, label, found.get(code), bounds(code), policy.default(code))
                for code, (_source, label, _bounds) in policy.POLICY.items()]
    return render("admin/settings.html", "admin/_settings_table.html", rows=rows, policies=policies, names=names,
                  hints=KIND_HINTS)


def _setting_or_404(code: str) -> RuleSetting:
    if code not in RULE_DEFAULTS and code not in policy.POLICY:
        abort(404)
    setting = db.session.get(RuleSetting, code)
    if setting is None and code in policy.POLICY:  # first change of a 安全策略 value: start from the default
        setting = RuleSetting(code=code, value=str(policy.default(code)), label=policy.POLICY[code][1])
        db.session.add(setting)
        db.session.flush()
    elif setting is None:  # flask setup not run since this code was added: start from the default
        setting = RuleSetting(code=code, value=RULE_DEFAULTS[code][0], label=RULE_DEFAULTS[code][1])
        db.session.add(setting)
        db.session.flush()
    return setting


def _edit(setting, form, status=200, conflict=False):
    return render("admin/setting_edit.html", "admin/_setting_form.html", status=status, setting=setting, form=form,
                  bounds=bounds(setting.code), hints=KIND_HINTS, conflict=conflict)


@bp.get("/settings/<code>")
@role_required("secadmin")
def edit_setting(code: str):
    _secadmin_of_region()
    setting = _setting_or_404(code)
    return _edit(setting, RuleSettingForm(code, formdata=None, expected=setting.value))


@bp.post("/settings/<code>")
@role_required("secadmin")
def change_setting(code: str):
    _secadmin_of_region()
    setting = _setting_or_404(code)
    form = RuleSettingForm(code)
    if not form.validate_on_submit():
        return _edit(setting, form, 422)
    old, new = form.expected.data, form.value.canonical
    # Conditional on the value the form was opened with: two administrators never overwrite each other unseen.
    changed = db.session.execute(
        update(RuleSetting).where(RuleSetting.code == code, RuleSetting.value == old)
        .values(value=new, previous_value=old, reason=form.reason.data, changed_by=current_user.id,
                changed_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if not changed:
        db.session.rollback()
        db.session.expire_all()
        return _edit(_setting_or_404(code), form, 409, conflict=True)
    audit.record("rule_setting.changed", object_type="rule_settings", object_id=code, previous=old, value=new,
                 reason=form.reason.data)
    label = setting.label or code
    db.session.commit()  # before the recomputation: its job reads the new value in a session of its own
    policy.forget()
    recomputing = recompute(code)
    flash(f"“{label}”已由 {old} 改为 {new}，" + (recomputing or "下次计算起生效。"), "info")
    return redirect(url_for("admin.settings"), 303)
