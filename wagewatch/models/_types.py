"""Column helpers shared by the models: UTC timestamps, money, and the region-scoped mixin."""
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, Integer, Numeric, String, TypeDecorator
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

Money = Numeric(14, 2)
# 64-bit ids for the tables that grow by millions of rows a month (punches alone ≈ 2 M a day, and every
# ON CONFLICT burns a sequence value). SQLite's rowid is already 64-bit and only INTEGER PRIMARY KEY autoincrements.
BigId = BigInteger().with_variant(Integer, "sqlite")


def utcnow() -> datetime:
    """The clock's now (wagewatch.clock), so that column defaults follow a frozen clock in tests."""
    from wagewatch import clock

    return clock.now()


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC; SQLite loses the zone, so re-attach it on load."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self):
        return datetime  # so a keyset (keyset.Keyset) decodes a timestamp key from a URL as a datetime

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def prefecture_of(region_code: str | None) -> str | None:
    """The level-2 code above a county code (6523 28 -> 652300); None for the autonomous region."""
    if not region_code or region_code == "650000":
        return None
    return region_code[:4] + "00"


class RegionScoped:
    """Columns the jurisdiction rule reads: county (or prefecture) code, its prefecture, the industry.

    The prefecture is stored beside the region so that a prefecture user's filter is one indexed equality.
    """

    @declared_attr
    def region_code(cls) -> Mapped[str]:
        return mapped_column(String(6), index=True)

    @declared_attr
    def prefecture_code(cls) -> Mapped[str | None]:
        return mapped_column(String(6), index=True)

    @declared_attr
    def industry(cls) -> Mapped[str]:
        return mapped_column(String(16), index=True)

    def set_region(self, code: str) -> None:
        self.region_code = code
        self.prefecture_code = prefecture_of(code)


ZERO = Decimal("0.00")
