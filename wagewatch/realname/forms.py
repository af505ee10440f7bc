"""The 实名制进度预警 search bar: the manual's filters, GET, in the query string."""
from wtforms import Form, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from wagewatch.forms import JurisdictionFilters, RegionField
from wagewatch.projects.forms import DateText, clean, page_error

COMPLIANCE = {"": "全部", "ok": "达标", "failed": "未达标"}
TEXT_KEYS = ("name", "hr_org", "industry_org")


def _text(label: str, size: int = 100):
    return StringField(label, filters=[clean],
                       validators=[Optional(), Length(max=size, message=f"{label}最多{size}个字")])


class RealnameFilterForm(JurisdictionFilters, Form):
    name = _text("名称")
    region = RegionField("所在区域")
    industry = SelectField("行业领域", validate_choice=False)
    hr_org = _text("人社监管单位", 64)
    industry_org = _text("行业监管单位", 64)
    compliance = SelectField("达标情况", choices=COMPLIANCE, validate_choice=False, default="")
    registered_from = DateText("登记日期从")
    registered_to = DateText("至")
    page = StringField("页码", default="1")

    def __init__(self, formdata, user):
        super().__init__(formdata)
        self.user = user
        self.limit_to(user)

    def validate_compliance(self, field):
        if (field.data or "") not in COMPLIANCE:
            raise ValidationError("达标情况只能是达标或未达标")

    def validate_registered_to(self, field):
        start = self.registered_from.data
        if field.data and start and field.data < start:
            raise ValidationError("登记日期的结束日期不能早于开始日期")

    def validate_page(self, field):
        message = page_error(field.data)
        if message:
            raise ValidationError(message)

    def filters(self) -> dict:
        """The search values, empty ones dropped: what the query, the links and the export use."""
        found = {key: (self[key].data or "").strip() for key in (*TEXT_KEYS, "region", "industry", "compliance")}
        found["registered_from"], found["registered_to"] = self.registered_from.data, self.registered_to.data
        return {key: value for key, value in found.items() if value}

    def page_number(self) -> int:
        return int(self.page.data or 1) if not self.page.errors else 1


def link_args(filters: dict) -> dict[str, str]:
    """Filters as query-string / export parameters (dates as YYYY-MM-DD)."""
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in filters.items()}
