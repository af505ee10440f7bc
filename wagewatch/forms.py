"""Form parts shared by every screen: the region field checked against the regions reference table.

Control characters (NUL…) never reach a form: security.CleanRequest strips them from every query and form value.
"""
from flask_wtf import FlaskForm
from wtforms import Form, SelectField
from wtforms.validators import StopValidation, ValidationError

from wagewatch.extensions import db
from wagewatch.models import Region
from wagewatch.security import CONTROL


def has_control(text: str) -> bool:
    return bool(CONTROL.search(text))


class FilterForm(Form):
    """A GET filter bar (no CSRF: a search changes nothing). Its input arrives clean, as every form's does."""


class PostForm(FlaskForm):
    """A form that changes something (CSRF-protected). Its input arrives clean, as every form's does."""


class RegionField(SelectField):
    """A region code that must exist in the regions reference table; any other code is an error, not a filter."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        code = self.data
        if code and not (len(code) == 6 and code.isascii() and code.isdigit() and db.session.get(Region, code)):
            raise StopValidation("所选区域不存在或不在本单位管辖范围内，请从列表中选择")


class JurisdictionFilters:
    """所在区域 and 行业领域 of a filter form, offered and checked within the signed-in user's jurisdiction.

    A form mixes this in and calls `limit_to(user)` in its constructor: the region list holds the user's region and
    those below it (counties indented), the industry list only the org's industry for an industry authority; a
    value outside either (a hand-edited URL) is a validation error beside its field.
    """

    def limit_to(self, user) -> None:
        from wagewatch import scope
        from wagewatch.models.projects import INDUSTRIES

        self.user = user
        if "region" in self:
            self.region.choices = {"": "全部", **{r.code: ("　" if r.level == 3 else "") + r.name
                                                for r in scope.visible_regions(user)}}
        if "industry" in self:
            mine = {user.org.industry: INDUSTRIES[user.org.industry]} if user.org.kind == "industry" else INDUSTRIES
            self.industry.choices = {"": "全部", **mine}

    def validate_region(self, field):
        from wagewatch import scope

        if field.data and not scope.region_in_scope(self.user, field.data):
            raise ValidationError("所选区域不在本单位管辖范围内")

    def validate_industry(self, field):
        if field.data and field.data not in self.industry.choices:
            raise ValidationError("所选行业领域不在本单位管辖范围内")
