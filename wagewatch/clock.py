"""The one clock: what time it is, which Beijing day and month that is, and where those days begin in UTC.

Times are stored in UTC and bucketed by day in Beijing time (DESIGN §2). Every "now" and "today" in the
application comes from here, so a test freezes time in one place (the `frozen_clock` fixture) and every
deadline rule — the payday of M+1, 即将超时 within 24 h, the last-N-days windows — agrees on the same instant.
"""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

BEIJING = ZoneInfo("Asia/Shanghai")
_frozen: datetime | None = None


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return _frozen if _frozen is not None else datetime.now(timezone.utc)


def freeze(moment: datetime | None) -> None:
    """Stop the clock at `moment` (aware), or let it run again with None. For tests and reproducible demos."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = moment.astimezone(timezone.utc) if moment is not None else None


def to_beijing(moment: datetime) -> datetime:
    return moment.astimezone(BEIJING)


def beijing_day(moment: datetime) -> date:
    """The Beijing calendar day an instant belongs to."""
    return moment.astimezone(BEIJING).date()


def beijing_today() -> date:
    return beijing_day(now())


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants [start, end) of a Beijing calendar day."""
    start = datetime.combine(day, time(), BEIJING)
    return start.astimezone(timezone.utc), (start + timedelta(days=1)).astimezone(timezone.utc)


def last_days(count: int, today: date | None = None) -> tuple[date, date]:
    """The inclusive range of the last `count` Beijing days ending today: last_days(7) covers exactly 7 days."""
    end = today or beijing_today()
    return end - timedelta(days=count - 1), end


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def parse_month(month: str) -> date:
    """'2026-11' -> date(2026, 11, 1); ValueError for anything else."""
    year, _, number = month.partition("-")
    if len(year) != 4 or len(number) != 2 or not (month.isascii() and year.isdigit() and number.isdigit()):
        raise ValueError(f"not a month: {month!r}")
    return date(int(year), int(number), 1)


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a 'YYYY-MM' month."""
    first = parse_month(month)
    return first, next_month(first) - timedelta(days=1)


def next_month(day: date) -> date:
    """The first day of the month after `day`'s month."""
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def previous_month(day: date) -> date:
    """The first day of the month before `day`'s month."""
    return date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


class day_of(FunctionElement):  # noqa: N801 - used like a SQL function: clock.day_of(Punch.punched_at)
    """SQL: the Beijing calendar day of a UTC timestamp column, as a DATE, on PostgreSQL and SQLite."""

    type = Date()
    inherit_cache = True


@compiles(day_of, "postgresql")
def _day_of_pg(element, compiler, **kw):
    column = compiler.process(list(element.clauses)[0], **kw)
    return f"(({column}) AT TIME ZONE 'Asia/Shanghai')::date"


@compiles(day_of)
def _day_of_default(element, compiler, **kw):
    # Beijing has had no daylight saving since 1991, so a fixed +8 hours is exact for every date we store.
    column = compiler.process(list(element.clauses)[0], **kw)
    return f"date({column}, '+8 hours')"


__all__ = ["BEIJING", "now", "freeze", "to_beijing", "beijing_day", "beijing_today", "day_bounds", "last_days",
           "month_of", "parse_month", "month_bounds", "next_month", "previous_month", "day_of"]
