"""Forms of 欠薪投诉监控: the manual's filter bar (§8) and the 督办 / 办结督办 forms of the detail pane."""
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import Form, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from wagewatch import scope
from wagewatch.extensions import db
from wagewatch.models import Org
from wagewatch.models.complaints import COMPLAINT_TYPES, SUPERVISION_STATUSES
from wagewatch.models.projects import INDUSTRIES
from wagewatch.personal_search import KeyedHashField, hide_numbers
from wagewatch.projects.forms import DateText, clean, page_error
from wagewatch.rules.complaints import TIMELINESS
from wagewatch.validators import MOBILE, id_number_error, normalize_id_number

CATEGORIES = {"": "全部", "complaint": "投诉", "appeal": "申诉"}
# The filters as they appear in the URL, in the order of the manual's filter bar.
FILTER_KEYS = ("no", "project", "contractor", "hr_org", "industry", "industry_org", "complainant",
               "id_hash", "phone_hash", "type", "region", "timeliness", "supervision", "submitted_from", "submitted_to",
               "category")


def _choice(options: dict, message: str):
    def check(form, field):
        if field.data and field.data not in options:
            raise ValidationError(message)
    return check


def number_kind(text: str) -> str | None:
    """'id_number' for a full, valid ID number typed into 投诉人, 'phone' for a mobile number, else None (a name)."""
    if len(text) == 18 and id_number_error(normalize_id_number(text)) is None:
        return "id_number"
    return "phone" if MOBILE.fullmatch(text) else None


def hide_complainant(values) -> dict:
    """The filter values with a number typed into 投诉人 replaced by its keyed hash (personal_search), so that
    neither a URL nor export parameters ever hold it; a name stays as typed."""
    values = {key: values.get(key) for key in values}
    text = (values.get("complainant") or "").strip()
    kind = number_kind(text)
    if kind:
        values.pop("complainant")
        values[kind] = text
    hidden, _valid = hide_numbers(values)  # valid: the number was checked above
    return hidden


def org_choices(user, kind: str) -> dict[str, str]:
    """人社监管单位 / 行业主管单位 the user may filter by: the orgs at or below the user's region."""
    org = user.org
    stmt = select(Org.id, Org.name).where(Org.kind == kind).order_by(Org.level, Org.region_code, Org.industry)
    if org.level == 2:
        stmt = stmt.where((Org.region_code == org.region_code) |
                          (Org.region_code.like(org.region_code[:4] + "%") & (Org.level == 3)))
    elif org.level >= 3:
        stmt = stmt.where(Org.region_code == org.region_code)
    if kind == "industry" and org.kind == "industry":
        stmt = stmt.where(Org.industry == org.industry)
    return {"": "请选择", **{str(i): name for i, name in db.session.execute(stmt)}}


class ComplaintFilterForm(Form):
    """The filter bar: 投诉编号 … 投诉/申诉筛选, plus the page; read from the URL or from the search POST."""

    no = StringField("投诉编号", filters=[clean], validators=[Optional(), Length(max=32, message="投诉编号最多32个字符")])
    project = StringField("工程名称", filters=[clean], validators=[Optional(), Length(max=100, message="工程名称最多100个字")])
    contractor = StringField("总包单位", filters=[clean], validators=[Optional(), Length(max=100, message="总包单位最多100个字")])
    hr_org = SelectField("人社监管单位", validate_choice=False)
    industry = SelectField("行业领域", validate_choice=False)
    industry_org = SelectField("行业主管单位", validate_choice=False)
    complainant = StringField("投诉人", filters=[clean], validators=[Optional(), Length(max=64, message="投诉人最多64个字")])
    id_hash = KeyedHashField("投诉人身份证号", of="id_number")
    phone_hash = KeyedHashField("投诉人手机号", of="phone")
    type = SelectField("投诉类型", choices={"": "全部", **{t: t for t in COMPLAINT_TYPES}}, validate_choice=False,
                       validators=[_choice(dict.fromkeys(COMPLAINT_TYPES), "未知的投诉类型")])
    region = SelectField("所在区域", validate_choice=False)
    timeliness = SelectField("超时情况", choices={"": "全部情况", **TIMELINESS}, validate_choice=False,
                             validators=[_choice(TIMELINESS, "未知的超时情况")])
    supervision = SelectField("督办情况", choices={"": "全部情况", **SUPERVISION_STATUSES}, validate_choice=False,
                              validators=[_choice(SUPERVISION_STATUSES, "未知的督办情况")])
    submitted_from = DateText("投诉起始时间")
    submitted_to = DateText("投诉截止时间")
    category = SelectField("投诉/申诉筛选", choices=CATEGORIES, validate_choice=False,
                       validators=[_choice(CATEGORIES, "投诉/申诉筛选只能是全部、投诉或申诉")])
    page = StringField("页码", default="1")

    def __init__(self, formdata, user):
        super().__init__(formdata)
        self.user = user
        regions = scope.visible_regions(user)
        self.region.choices = {"": "请选择", **{r.code: ("　" if r.level == 3 else "") + r.name for r in regions}}
        own = user.org.industry if user.org.kind == "industry" else None
        self.industry.choices = {"": "全部", **({own: INDUSTRIES[own]} if own else INDUSTRIES)}
        self.hr_org.choices = org_choices(user, "hr")
        self.industry_org.choices = org_choices(user, "industry")

    def validate_region(self, field):
        if field.data and (field.data not in self.region.choices or not scope.region_in_scope(self.user, field.data)):
            raise ValidationError("所选区域不在本单位管辖范围内")

    def validate_industry(self, field):
        if field.data and field.data not in self.industry.choices:
            raise ValidationError("所选行业领域不在本单位管辖范围内")

    def validate_hr_org(self, field):
        if field.data and field.data not in self.hr_org.choices:
            raise ValidationError("所选人社监管单位不在本单位管辖范围内")

    def validate_industry_org(self, field):
        if field.data and field.data not in self.industry_org.choices:
            raise ValidationError("所选行业主管单位不在本单位管辖范围内")

    def validate_submitted_to(self, field):
        start = self.submitted_from.data
        if field.data and start and field.data < start:
            raise ValidationError("投诉截止时间不能早于起始时间")

    def validate_page(self, field):
        message = page_error(field.data)
        if message:
            raise ValidationError(message)

    def holds_number(self) -> bool:
        """A full ID or phone number typed into 投诉人 (it must leave the URL: hide_complainant)."""
        return number_kind(self.complainant.data or "") is not None

    def filters(self) -> dict:
        """The filter values for queries and links: strings (dates as YYYY-MM-DD), empty ones dropped."""
        found = {}
        for key in FILTER_KEYS:
            value = self[key].data
            if key in ("submitted_from", "submitted_to"):
                value = value.isoformat() if value else ""
            if value:
                found[key] = value.strip()
        return found

    def searched_number(self) -> str:
        """What the filter bar shows for a number held as its hash: "身份证号（已加密）", a worker's mask…"""
        return self.id_hash.masked or self.phone_hash.masked

    def page_number(self) -> int:
        return int(self.page.data or 1) if not self.page.errors else 1


class SuperviseForm(FlaskForm):
    """督办: a required note; `expected` is the 督办情况 the reviewer saw, so a stale pane is refused (409)."""

    note = TextAreaField("督办意见", filters=[clean], validators=[DataRequired("请填写督办意见"),
                                                             Length(max=500, message="督办意见最多500个字")])
    expected = StringField(validators=[Optional()])


class CloseSupervisionForm(FlaskForm):
    """办结督办: the result of the supervision, required."""

    note = TextAreaField("办结结果", filters=[clean], validators=[DataRequired("请填写督办办结结果"),
                                                             Length(max=500, message="办结结果最多500个字")])
    expected = StringField(validators=[Optional()])
