"""The 数据通报 selector: 月份 (one of the last twelve) and the region drilled into, in the query string."""
from wtforms import Form, SelectField, StringField
from wtforms.validators import ValidationError


class BulletinFilterForm(Form):
    month = SelectField("月份", validate_choice=False)
    region = StringField("区域")

    def __init__(self, formdata, months: list[str]):
        super().__init__(formdata)
        self.month.choices = {m: f"{m[:4]}年{int(m[5:])}月" for m in months}
        if not self.month.data:
            self.month.data = months[0]

    def validate_month(self, field):
        if field.data not in self.month.choices:
            raise ValidationError("月份应为最近12个月之一，格式YYYY-MM")

    def validate_region(self, field):
        raw = field.data or ""
        if raw and not (raw.isascii() and raw.isdecimal() and len(raw) == 6):
            raise ValidationError("区域代码应为6位数字")
