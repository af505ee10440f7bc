"""The sort key of a list and its conditions: what a keyset (seek) page of wagewatch/listing.py reads after.

A key travels in the pager's URLs as its values joined by "~" (`encode`), and comes back checked against the
columns' SQL types (`decode`): a malformed key is None, never an error.
"""
from datetime import date, datetime
from urllib.parse import quote, unquote

from sqlalchemy import and_, false, not_, or_


class Keyset:
    """The sort key of a list: (column or expression, descending) pairs, the last one unique."""

    def __init__(self, *parts):
        self.parts = tuple(parts)

    @property
    def columns(self):
        return [column for column, _ in self.parts]

    def order_by(self, reverse: bool = False):
        return [column.desc() if descending != reverse else column.asc() for column, descending in self.parts]

    def beyond(self, key: tuple, reverse: bool = False):
        """Rows strictly after `key` in this order (strictly before it when reverse)."""
        alternatives = []
        for i, (column, descending) in enumerate(self.parts):
            equal = [_equal(c, v) for (c, _), v in zip(self.parts[:i], key[:i], strict=True)]
            alternatives.append(and_(*equal, _later(column, key[i], descending != reverse)))
        return or_(*alternatives)

    def encode(self, key: tuple) -> str:
        return "~".join(_encode_value(value) for value in key)

    def decode(self, text: str | None) -> tuple | None:
        """A key from a URL, or None when it is missing or malformed (then the page number alone decides)."""
        if not text:
            return None
        parts = text.split("~")
        if len(parts) != len(self.parts):
            return None
        try:
            return tuple(_decode_value(raw, column.type.python_type) for raw, (column, _) in zip(parts, self.parts))
        except (ValueError, NotImplementedError, OverflowError):
            return None


def _equal(column, value):
    if isinstance(value, bool):  # a condition such as `left_on IS NOT NULL` is compared as itself or its negation
        return column if value else not_(column)
    return column == value


def _later(column, value, descending: bool):
    """The column comes after `value` in its direction (for booleans: false before true when ascending)."""
    if isinstance(value, bool):
        if value != descending:
            return false()
        return not_(column) if descending else column
    return column < value if descending else column > value


def _encode_value(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return quote(str(value), safe="")


def _decode_value(raw: str, kind):
    if raw == "-":
        return None
    if kind is bool:
        if raw not in ("0", "1"):
            raise ValueError(raw)
        return raw == "1"
    if kind is int:
        if not (raw.isascii() and raw.lstrip("-").isdecimal()) or abs(int(raw)) > 2**63 - 1:
            raise ValueError(raw)
        return int(raw)
    if kind is datetime:
        return datetime.fromisoformat(raw)
    if kind is date:
        return date.fromisoformat(raw)
    return unquote(raw)
