"""R3 clocks: when the enterprise must read, handle and close a case, and whether it is late. No Flask here."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

TIMELINESS = {"ok": "未超时", "soon": "即将超时", "overdue": "已超时"}


@dataclass(frozen=True)
class ClockSettings:
    read: timedelta
    handle: timedelta
    close: timedelta
    soon: timedelta

    @classmethod
    def from_rules(cls, values: dict[str, Decimal]) -> "ClockSettings":
        """From rule_settings(): complaint.read_days / handle_days / close_days and due_soon_hours."""
        days = lambda code: timedelta(days=float(values[code]))
        return cls(days("complaint.read_days"), days("complaint.handle_days"), days("complaint.close_days"),
                   timedelta(hours=float(values["complaint.due_soon_hours"])))


@dataclass(frozen=True)
class CaseTimes:
    """The columns of a Complaint the clocks read (a Complaint itself fits)."""

    submitted_at: datetime
    status: str = "open"
    read_at: datetime | None = None
    handled_at: datetime | None = None
    appeal_status: str = "none"
    appealed_at: datetime | None = None
    appeal_read_at: datetime | None = None
    appeal_handled_at: datetime | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True)
class Due:
    """One deadline: what is owed, by when, and whether it is still owed."""

    step: str  # read / handle / close / appeal_read / appeal_handle
    label: str
    at: datetime
    done_at: datetime | None

    def state(self, now: datetime, settings: ClockSettings) -> str:
        """未超时 / 即将超时 / 已超时 for an open step; a step done in time is ok, one done late stays overdue."""
        if self.done_at is not None:
            return "overdue" if self.done_at > self.at else "ok"
        if now >= self.at:
            return "overdue"
        return "soon" if self.at - now <= settings.soon else "ok"


def deadlines(case, settings: ClockSettings) -> list[Due]:
    """Every deadline of the case: read and handle from submission, close from submission, appeal steps from
    the appeal (the enterprise gets the same read/handle times for an appeal as for the complaint)."""
    start = case.submitted_at
    found = [Due("read", "企业读取", start + settings.read, case.read_at),
             Due("handle", "企业处理", start + settings.handle, case.handled_at),
             Due("close", "办结", start + settings.close, case.closed_at)]
    if case.appeal_status != "none" and case.appealed_at is not None:
        found += [Due("appeal_read", "申诉读取", case.appealed_at + settings.read, case.appeal_read_at),
                  Due("appeal_handle", "申诉处理", case.appealed_at + settings.handle, case.appeal_handled_at)]
    return found


def pending(case, settings: ClockSettings) -> list[Due]:
    """Deadlines still owed: nothing is owed on a closed case."""
    if case.status == "closed":
        return []
    return [due for due in deadlines(case, settings) if due.done_at is None]


def timeliness(case, now: datetime, settings: ClockSettings) -> str:
    """超时情况 of the case now: the worst state of what is still owed ('ok' when nothing is)."""
    states = {due.state(now, settings) for due in pending(case, settings)}
    return "overdue" if "overdue" in states else "soon" if "soon" in states else "ok"


def handling_overdue(case, now: datetime, settings: ClockSettings) -> bool:
    """Handling is late: the case is still 投诉中, unhandled, past its handle deadline (push it to supervision)."""
    return case.status == "open" and case.handled_at is None and now >= case.submitted_at + settings.handle


def should_push(case, now: datetime, settings: ClockSettings) -> bool:
    """未推送监管 → 已推送监管 is due: handling overdue and no regulator has been involved yet."""
    return case.supervision_status == "none" and handling_overdue(case, now, settings)


@dataclass(frozen=True)
class Cutoffs:
    """The same clocks as submission-time bounds, for SQL: a case submitted before `handle` is past handling."""

    read: datetime
    handle: datetime
    close: datetime
    read_soon: datetime
    handle_soon: datetime
    close_soon: datetime


def cutoffs(now: datetime, settings: ClockSettings) -> Cutoffs:
    """A step is overdue iff its start <= now - limit, due soon iff start <= now - limit + soon (see Due.state)."""
    return Cutoffs(now - settings.read, now - settings.handle, now - settings.close,
                   now - settings.read + settings.soon, now - settings.handle + settings.soon,
                   now - settings.close + settings.soon)
