"""The base of every form: control characters (NUL…) are stripped from the input before any field sees it.

One place for all forms: the submitted data is cleaned as it is wrapped for the form, so every field type (text,
select, date, custom) sees it clean. PostgreSQL refuses NUL in text outright, and no other control character
belongs in a filter or a typed value either (tab and line breaks are kept for multi-line text). What is left is
validated as usual: a code that names nothing (`6523\x00x` → `6523x`) answers 422 with the error beside its field.
"""
import re

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField
from wtforms.validators import StopValidation

from wagewatch.extensions import db
from wagewatch.models import Region

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control(text: str) -> bool:
    return bool(CONTROL.search(text))


class CleanInputMeta:
    """Meta mixin: wraps the submitted data into a copy without control characters."""

    def wrap_formdata(self, form, formdata):
        formdata = super().wrap_formdata(form, formdata)
        if formdata is None:
            return None
        return MultiDict([(key, CONTROL.sub("", value) if isinstance(value, str) else value)
                          for key, value in formdata.items(multi=True)])


class FilterForm(Form):
    """A GET filter bar (no CSRF: a search changes nothing)."""

    class Meta(CleanInputMeta):
        pass


class PostForm(FlaskForm):
    """A form that changes something (CSRF-protected)."""

    class Meta(CleanInputMeta):
        pass


class RegionField(SelectField):
    """A region code that must exist in the regions reference table; any other code is an error, not a filter."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        code = self.data
        if code and not (len(code) == 6 and code.isascii() and code.isdigit() and db.session.get(Region, code)):
            raise StopValidation("所选区域不存在或不在本单位管辖范围内，请从列表中选择")
