"""The 导出数据 request: which export, with the list's current filters as plain strings."""
from werkzeug.datastructures import MultiDict

from wagewatch.forms import has_control

MAX_PARAMS = 20
MAX_VALUE = 200
RESERVED = {"kind", "csrf_token"}


def export_params(form: MultiDict) -> dict[str, str] | None:
    """The filters posted beside `kind`; None when they are not plain short values (a tampered form)."""
    params = {}
    for key in form.keys():
        if key in RESERVED or not form.get(key):
            continue
        value = form.get(key, "")
        if len(key) > 40 or len(value) > MAX_VALUE or has_control(key + value):
            return None  # control characters (NUL…) are never part of a filter: the list refused them already
        params[key] = value
    return params if len(params) <= MAX_PARAMS else None
