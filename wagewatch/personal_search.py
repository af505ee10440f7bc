"""Searching by ID number or phone without the number ever reaching a URL, export parameters or the audit log.

Every screen that searches by 身份证号 or 手机号 uses this (DESIGN §4, issue: numbers in access logs and history):
- the search form posts (method="post", hx-post); `posted_search` answers with a 303 to the same screen's GET
  URL in which each number is replaced by its keyed hash (`id_hash`, `phone_hash`), so the URL stays
  bookmarkable and holds no number; an old link with the number in its query string is redirected the same way;
  a number that fails its check is shown back with the error (422), from the posted body, never in a URL;
- the screen's form declares `id_hash = KeyedHashField()` (and/or `phone_hash`), its query compares the hash
  with the model's keyed-hash column (`Worker.id_number_hash`, `Complaint.complainant_id_hash`…; a phone search
  needs such a column beside the phone);
- `protect(params)` is what an export stores and audits: numbers replaced by hash + mask, the mask shown in 我的导出.
"""
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import redirect, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import HiddenField
from wtforms.validators import ValidationError

from wagewatch import crypto
from wagewatch.extensions import db
from wagewatch.masking import mask_id, mask_phone
from wagewatch.validators import id_number_error, normalize_id_number, phone_error

HASH = re.compile(r"[0-9a-f]{64}")
NOT_IN_ARGS = ("csrf_token",)


@dataclass(frozen=True)
class PersonalField:
    name: str  # the form field the number is typed into
    hash_key: str  # what replaces it in URLs and export parameters
    mask_key: str  # the masked form kept beside the hash in export parameters
    label: str
    normalize: Callable[[str], str]
    error: Callable[[str], str | None]
    mask: Callable[[str], str]

    def hash_of(self, raw: str) -> str:
        return crypto.lookup_hash(self.normalize(raw))


FIELDS = (
    PersonalField("id_number", "id_hash", "id_masked", "身份证号", normalize_id_number, id_number_error, mask_id),
    PersonalField("phone", "phone_hash", "phone_masked", "手机号", lambda raw: raw.strip(), phone_error, mask_phone),
)


def _masked_by_hash(field: PersonalField, value: str) -> str:
    """The mask of a number known only by its hash: the worker's stored mask, else a neutral word."""
    if field.name == "id_number":
        from wagewatch.models import Worker

        found = db.session.scalar(select(Worker.id_number_masked).where(Worker.id_number_hash == value).limit(1))
        if found:
            return found
    return f"{field.label}（已加密）"


def masked_of(field_name: str, value: str | None) -> str:
    """What a screen shows for a search held as a hash (e.g. "身份证号 450*****319")."""
    field = next(f for f in FIELDS if f.name == field_name)
    return _masked_by_hash(field, value) if value and HASH.fullmatch(value) else ""


def hide_numbers(values) -> tuple[dict, bool]:
    """The values with every valid number replaced by its hash; False when a number fails its check."""
    args = {key: values.get(key) for key in values if key not in NOT_IN_ARGS and values.get(key)}
    for field in FIELDS:
        raw = (args.pop(field.name, None) or "").strip()
        if not raw:
            continue
        if field.error(field.normalize(raw)):
            return args, False
        args[field.hash_key] = field.hash_of(raw)
    return args, True


def protect(params: dict) -> dict:
    """Export parameters as stored and audited: no number in clear, its hash and mask instead."""
    safe, _valid = hide_numbers(params)
    for field in FIELDS:
        safe.pop(field.mask_key, None)  # a mask is only ever derived here, never taken from the request
        raw = (params.get(field.name) or "").strip()
        if raw and field.error(field.normalize(raw)) is None:
            safe[field.mask_key] = field.mask(field.normalize(raw))
        elif raw:
            safe[field.mask_key] = f"{field.label}（格式不正确）"
        elif safe.get(field.hash_key):
            safe[field.mask_key] = masked_of(field.name, safe[field.hash_key])
    return safe


def posted_search(view):
    """Decorate a screen's view (registered for GET and POST): numbers leave the URL, see the module docstring."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        source = request.form if request.method == "POST" else request.args
        if request.method != "POST" and not any(source.get(field.name) for field in FIELDS):
            return view(*args, **kwargs)
        hidden, valid = hide_numbers(source)
        if valid:
            return redirect(url_for(request.endpoint, **(request.view_args or {}), **hidden), 303)
        # Re-render the screen from the posted values: its form shows the number's error beside the field.
        request.args = ImmutableMultiDict(list(source.items(multi=True)))
        response = view(*args, **kwargs)
        if hasattr(response, "headers"):
            response.headers["HX-Push-Url"] = "false"  # the POST's URL is no page to return to
        return response

    return wrapped


class KeyedHashField(HiddenField):
    """A search held as a keyed hash in the URL: 64 hex digits, or nothing. `masked` is what the screen shows."""

    def __init__(self, *args, of: str = "id_number", **kwargs):
        super().__init__(*args, **kwargs)
        self.of = of

    @property
    def masked(self) -> str:
        return "" if self.errors else masked_of(self.of, self.data)

    def pre_validate(self, form):
        self.data = (self.data or "").strip()
        if self.data and not HASH.fullmatch(self.data):
            raise ValidationError("搜索条件无效，请重新输入号码搜索")
