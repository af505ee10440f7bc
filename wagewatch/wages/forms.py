"""The GET filter forms of 工资代发实时进度 and its 明细; a bad value is a Chinese message beside its field (422)."""
from wtforms import Form, SelectField, StringField
from wtforms.validators import ValidationError

from wagewatch.forms import JurisdictionFilters, RegionField
from wagewatch.models.projects import PROJECT_STATUSES
from wagewatch.projects.forms import clean, page_error
from wagewatch.rules.wages import COLOURS, FLAGS, STATUSES

SORTS = {
    "ratio": "发薪比例 低→高", "-ratio": "发薪比例 高→低",
    "-amount_due": "应发金额 高→低", "amount_due": "应发金额 低→高",
    "-amount_paid": "实发金额 高→低", "amount_paid": "实发金额 低→高",
}
MAX_ID = 2**31 - 1


def month_error(raw: str) -> str | None:
    """None for a month 2000-01 … 2099-12 written YYYY-MM."""
    if not (len(raw) == 7 and raw[4] == "-" and raw[:4].isascii() and raw[:4].isdecimal()
            and raw[5:].isascii() and raw[5:].isdecimal() and 2000 <= int(raw[:4]) <= 2099
            and 1 <= int(raw[5:]) <= 12):
        return "月份格式应为YYYY-MM，例如2026-09"
    return None


class ProjectMonthFields(Form):
    """工程 (the selector's project id) and 月份, common to both screens."""

    project_id = StringField("工程", filters=[clean])
    month = StringField("月份", filters=[clean])

    def __init__(self, formdata, user, default_month: str):
        super().__init__(formdata)
        self.user = user
        self.month.data = self.month.data or default_month

    def validate_project_id(self, field):
        raw = field.data or ""
        if raw and not (raw.isascii() and raw.isdecimal() and 0 < int(raw) <= MAX_ID):
            raise ValidationError("请从工程列表中选择工程")

    def validate_month(self, field):
        message = month_error(field.data or "")
        if message:
            raise ValidationError(message)

    def project(self) -> int | None:
        return int(self.project_id.data) if self.project_id.data and not self.project_id.errors else None


class ProgressFilterForm(JurisdictionFilters, ProjectMonthFields):
    region = RegionField("所在区域")
    industry = SelectField("行业领域", validate_choice=False)
    status = SelectField("代发状态", choices={"": "全部", **STATUSES}, validate_choice=False)
    abnormal = StringField("仅看异常", filters=[clean])
    flag = SelectField("异常类型", choices={"": "全部", **FLAGS}, validate_choice=False)
    colour = SelectField("预警级别", choices={"": "全部", **{k: f"{v}色" for k, v in COLOURS.items()}},
                         validate_choice=False)  # the most serious flag's colour (the 首页 red / orange counts)
    project_status = SelectField("工程状态", choices={"": "全部", **PROJECT_STATUSES}, validate_choice=False)
    attended = StringField("仅看有考勤", filters=[clean])
    sort = StringField("排序", default="ratio")
    page = StringField("页码", default="1")

    def __init__(self, formdata, user, default_month: str):
        super().__init__(formdata, user, default_month)
        self.limit_to(user)
        self.sort.data = self.sort.data or "ratio"

    def validate_status(self, field):
        if field.data and field.data not in STATUSES:
            raise ValidationError("未知的代发状态")

    def validate_abnormal(self, field):
        if field.data and field.data != "1":
            raise ValidationError("仅看异常只能勾选或不选")

    def validate_flag(self, field):
        if field.data and field.data not in FLAGS:
            raise ValidationError("未知的异常类型")

    def validate_colour(self, field):
        if field.data and field.data not in COLOURS:
            raise ValidationError("未知的预警级别")

    def validate_project_status(self, field):
        if field.data and field.data not in PROJECT_STATUSES:
            raise ValidationError("未知的工程状态")

    def validate_attended(self, field):
        if field.data and field.data != "1":
            raise ValidationError("仅看有考勤只能勾选或不选")

    def validate_sort(self, field):
        if field.data not in SORTS:
            raise ValidationError("未知的排序方式")

    def validate_page(self, field):
        message = page_error(field.data)
        if message:
            raise ValidationError(message)

    def filters(self) -> dict:
        """The chosen filters (strings, empty ones dropped) — what the query, links and export use."""
        keys = ("project_id", "month", "region", "industry", "project_status", "status", "abnormal", "attended", "flag",
                "colour")
        found = {key: (self[key].data or "").strip() for key in keys}
        return {key: value for key, value in found.items() if value}

    def page_number(self) -> int:
        return int(self.page.data or 1) if not self.page.errors else 1
