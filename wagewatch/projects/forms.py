"""Forms of 项目管理: the GET filters of both screens and the two dialog forms."""
from datetime import date, datetime

from flask_wtf import FlaskForm
from wtforms import Form, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from wagewatch.forms import JurisdictionFilters, RegionField
from wagewatch.models.projects import PROJECT_STATUSES
from wagewatch.personal_search import KeyedHashField
from wagewatch.validators import id_number_error

TABS = {"pending": "未审核", "approved": "审核已通过", "rejected": "审核未通过"}
SORTS = {"-registered_on": "登记日期 新→旧", "registered_on": "登记日期 旧→新"}
DECISIONS = {"approved": "审核通过", "rejected": "审核不通过"}
WORK_STATES = {"": "全部", "active": "在职", "left": "离职"}
# The fields of the 工程审批 filter bar (marked beside themselves on a 422; tab, sort and page have no field)
FILTER_FIELDS = ("name", "code", "owner", "contractor", "region", "industry", "registered_from", "registered_to")
ROSTER_FIELDS = ("name", "id_number", "team", "state")


class DateText(StringField):
    """A YYYY-MM-DD date typed or picked; a bad value is a Chinese message, never an exception."""

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw_data = [raw]
        self.data = None
        if raw:
            try:
                self.data = datetime.strptime(raw, "%Y-%m-%d").date()
            except ValueError:
                raise ValueError("日期格式应为YYYY-MM-DD，例如2022-05-08") from None

    def _value(self):
        return self.raw_data[0] if self.raw_data else (self.data.isoformat() if isinstance(self.data, date) else "")


def clean(value):
    """Typed text without surrounding blanks or NUL characters (PostgreSQL refuses NUL in text)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


def page_error(raw: str | None) -> str | None:
    """None for a page number 1–100000, else the message (isdecimal: '²' is a digit but no number)."""
    raw = raw or "1"
    if not (raw.isascii() and raw.isdecimal()) or not 1 <= int(raw) <= 100000:
        return "页码应为1到100000之间的整数"
    return None


def _choice(options: dict, message: str):
    def check(form, field):
        if field.data not in options:
            raise ValidationError(message)
    return check


class ApprovalFilterForm(JurisdictionFilters, Form):
    """The 工程审批 search bar and the tab, sort and page that live beside it in the URL."""

    name = StringField("工程名称", filters=[clean], validators=[Optional(), Length(max=100, message="工程名称最多100个字")])
    code = StringField("工程编号", filters=[clean], validators=[Optional(), Length(max=32, message="工程编号最多32个字符")])
    owner = StringField("建设单位", filters=[clean], validators=[Optional(), Length(max=100, message="建设单位最多100个字")])
    contractor = StringField("总承包单位", filters=[clean], validators=[Optional(), Length(max=100, message="总承包单位最多100个字")])
    region = RegionField("所在区域")
    industry = SelectField("行业领域", validate_choice=False)
    registered_from = DateText("登记日期从")
    registered_to = DateText("至")
    status = SelectField("工程状态", choices={"": "全部", **PROJECT_STATUSES}, validate_choice=False, default="",
                         validators=[_choice({"": "", **PROJECT_STATUSES}, "未知的工程状态")])
    tab = StringField("标签页", default="pending", validators=[_choice(TABS, "未知的标签页")])
    sort = StringField("排序", default="-registered_on", validators=[_choice(SORTS, "未知的排序方式")])
    page = StringField("页码", default="1")

    def __init__(self, formdata, user):
        super().__init__(formdata)
        self.user = user
        self.limit_to(user)
        self.tab.data = self.tab.data or "pending"
        self.sort.data = self.sort.data or "-registered_on"

    def validate_registered_to(self, field):
        start = self.registered_from.data
        if field.data and start and field.data < start:
            raise ValidationError("登记日期的结束日期不能早于开始日期")

    def validate_page(self, field):
        message = page_error(field.data)
        if message:
            raise ValidationError(message)

    def filters(self) -> dict:
        """The search values, stripped, empty ones dropped (what the queries and the links use)."""
        keys = ("name", "code", "owner", "contractor", "region", "industry", "status")
        found = {key: (self[key].data or "").strip() for key in keys}
        found["registered_from"], found["registered_to"] = self.registered_from.data, self.registered_to.data
        return {key: value for key, value in found.items() if value}

    def page_number(self) -> int:
        return int(self.page.data or 1) if not self.page.errors else 1


class ReviewDecisionForm(FlaskForm):
    decision = RadioField("审核结果", choices=DECISIONS, invalid_choice_message="请选择审核通过或审核不通过",
                          validators=[InputRequired("请选择审核通过或审核不通过")])
    reason = TextAreaField("原因", filters=[clean], validators=[Length(max=500, message="原因最多500个字")])

    def validate_reason(self, field):
        field.data = (field.data or "").strip()
        if self.decision.data == "rejected" and not field.data:
            raise ValidationError("审核不通过时必须填写原因")


class ProjectStatusForm(FlaskForm):
    status = RadioField("工程状态", choices=PROJECT_STATUSES, invalid_choice_message="请选择工程状态",
                        validators=[InputRequired("请选择工程状态")])
    reason = TextAreaField("原因", filters=[clean], validators=[Length(max=500, message="原因最多500个字")])

    def __init__(self, *args, current: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current

    def validate_status(self, field):
        if self.current and field.data == self.current:
            raise ValidationError("所选状态与当前工程状态相同")

    def validate_reason(self, field):
        field.data = (field.data or "").strip()


class RosterFilterForm(Form):
    """人员信息 search: 姓名, 身份证号 (full number only: it is stored encrypted; in URLs only its keyed hash,
    see personal_search), 班组, 在职/离职."""

    name = StringField("姓名", filters=[clean], validators=[Optional(), Length(max=64, message="姓名最多64个字")])
    id_number = StringField("身份证号", filters=[clean], validators=[Optional()])
    id_hash = KeyedHashField()
    team = StringField("班组", filters=[clean], validators=[Optional(), Length(max=64, message="班组最多64个字")])
    state = SelectField("在职状态", choices=WORK_STATES, validate_choice=False, default="",
                        validators=[_choice(WORK_STATES, "在职状态只能是在职或离职")])
    page = StringField("页码", default="1")

    def validate_id_number(self, field):
        field.data = (field.data or "").strip().upper()
        if field.data:
            message = id_number_error(field.data)
            if message:
                raise ValidationError("请输入完整、正确的18位身份证号：" + message)

    def validate_page(self, field):
        message = page_error(field.data)
        if message:
            raise ValidationError(message)

    def filters(self) -> dict:
        found = {key: (self[key].data or "").strip() for key in ("name", "id_number", "id_hash", "team", "state")}
        return {key: value for key, value in found.items() if value}

    def page_number(self) -> int:
        return int(self.page.data or 1) if not self.page.errors else 1
