"""Form parts shared by every screen: the region field checked against the regions reference table.

Control characters (NUL…) never reach a form: security.CleanRequest strips them from every query and form value.
"""
from flask_wtf import FlaskForm
from wtforms import Form, SelectField
from wtforms.validators import StopValidation

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
