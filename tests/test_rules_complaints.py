"""R3 clocks: due times from the rule settings, 超时情况 at each boundary, the push rule, and the SQL twin."""
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.complaint_factories import make_complaint
from wagewatch.complaints.queries import filtered
from wagewatch.extensions import db
from wagewatch.models import Complaint, RuleSetting
from wagewatch.reference import RULE_DEFAULTS
from wagewatch.rules.complaints import CaseTimes, ClockSettings, deadlines, should_push, timeliness
from wagewatch.settings import rule_settings

T0 = datetime(2026, 5, 15, 9, 52, tzinfo=UTC)
H = timedelta(hours=1)
DEFAULTS = ClockSettings.from_rules({code: Decimal(value) for code, (value, _) in RULE_DEFAULTS.items()})


def test_settings_come_from_the_rule_table():
    assert (DEFAULTS.read, DEFAULTS.handle, DEFAULTS.close, DEFAULTS.soon) == (
        timedelta(days=1), timedelta(days=3), timedelta(days=15), timedelta(hours=24))


def test_an_administrators_change_moves_the_deadlines(app):
    setting = db.session.get(RuleSetting, "complaint.handle_days")
    setting.value = "5"
    db.session.commit()
    try:
        settings = ClockSettings.from_rules(rule_settings())
        handle = next(d for d in deadlines(CaseTimes(T0), settings) if d.step == "handle")
        assert handle.at == T0 + timedelta(days=5)
    finally:  # rule settings are reference data: kept between tests, so put the default back
        setting.value = RULE_DEFAULTS["complaint.handle_days"][0]
        db.session.commit()


def test_due_times_for_read_handle_close_and_the_appeal():
    case = CaseTimes(T0, status="handled", read_at=T0 + H, handled_at=T0 + 30 * H, appeal_status="open",
                     appealed_at=T0 + 50 * H)
    due = {d.step: d.at for d in deadlines(case, DEFAULTS)}
    assert due == {"read": T0 + 24 * H, "handle": T0 + 72 * H, "close": T0 + 15 * 24 * H,
                   "appeal_read": T0 + 74 * H, "appeal_handle": T0 + 122 * H}


@pytest.mark.parametrize("elapsed, expected", [
    (timedelta(0), "soon"),  # read is due within 24 h from the first minute with the default settings
    (24 * H - timedelta(seconds=1), "soon"),
    (24 * H, "overdue"),  # the read deadline itself: late
])
def test_unread_case_around_the_read_deadline(elapsed, expected):
    assert timeliness(CaseTimes(T0), T0 + elapsed, DEFAULTS) == expected


@pytest.mark.parametrize("elapsed, expected", [
    (48 * H - timedelta(seconds=1), "ok"),  # handle due at 72 h: more than 24 h away
    (48 * H, "soon"),  # exactly 24 h before: 即将超时
    (72 * H - timedelta(seconds=1), "soon"),
    (72 * H, "overdue"),
])
def test_read_case_around_the_handle_deadline(elapsed, expected):
    assert timeliness(CaseTimes(T0, read_at=T0 + H), T0 + elapsed, DEFAULTS) == expected


def test_a_handled_case_waits_for_closing_and_a_closed_case_owes_nothing():
    handled = CaseTimes(T0, status="handled", read_at=T0 + H, handled_at=T0 + 2 * H)
    assert timeliness(handled, T0 + 13 * 24 * H, DEFAULTS) == "ok"
    assert timeliness(handled, T0 + 14 * 24 * H, DEFAULTS) == "soon"
    assert timeliness(handled, T0 + 15 * 24 * H, DEFAULTS) == "overdue"
    closed = CaseTimes(T0, status="closed", read_at=T0 + 30 * H, handled_at=T0 + 90 * H, closed_at=T0 + 99 * H)
    assert timeliness(closed, T0 + 100 * 24 * H, DEFAULTS) == "ok"


def test_an_appeal_restarts_the_enterprise_clock():
    case = CaseTimes(T0, status="handled", read_at=T0 + H, handled_at=T0 + 2 * H, appeal_status="open",
                     appealed_at=T0 + 3 * 24 * H)
    assert timeliness(case, T0 + 3 * 24 * H + 23 * H, DEFAULTS) == "soon"
    assert timeliness(case, T0 + 4 * 24 * H, DEFAULTS) == "overdue"


def test_done_steps_say_whether_they_were_late():
    case = CaseTimes(T0, status="handled", read_at=T0 + 25 * H, handled_at=T0 + 2 * H)
    states = {d.step: d.state(T0 + 30 * H, DEFAULTS) for d in deadlines(case, DEFAULTS)}
    assert states["read"] == "overdue" and states["handle"] == "ok"


@pytest.mark.parametrize("elapsed, status, supervision, expected", [
    (72 * H - timedelta(seconds=1), "open", "none", False),
    (72 * H, "open", "none", True),
    (72 * H, "open", "pushed", False),
    (72 * H, "open", "supervising", False),
    (72 * H, "handled", "none", False),
])
def test_push_when_handling_is_overdue(elapsed, status, supervision, expected):
    case = Supervised(T0, status=status, handled_at=T0 + H if status != "open" else None,
                      supervision_status=supervision)
    assert should_push(case, T0 + elapsed, DEFAULTS) is expected


@dataclass(frozen=True)
class Supervised(CaseTimes):
    supervision_status: str = "none"


def _random_cases(now: datetime, count: int = 120):
    rng = random.Random(7)
    for _ in range(count):
        submitted = now - timedelta(minutes=rng.randint(0, 20 * 24 * 60))
        step = lambda start: min(now, start + timedelta(minutes=rng.randint(1, 5 * 24 * 60)))
        read = step(submitted) if rng.random() < 0.6 else None
        handled = step(read) if read and rng.random() < 0.5 else None
        fields = {"read_at": read, "handled_at": handled, "status": "handled" if handled else "open"}
        if handled and rng.random() < 0.5:
            fields.update(appeal_status="open", appealed_at=step(handled))
            if rng.random() < 0.5:
                fields["appeal_read_at"] = step(fields["appealed_at"])
        if handled and rng.random() < 0.2 and fields.get("appeal_status") != "open":
            fields.update(status="closed", closed_at=step(handled))
        yield submitted, fields


def test_sql_filter_agrees_with_the_rule_case_by_case(any_app, login):
    """超时情况 in SQL (the list filter) and in Python (the row's mark) give the same verdict for every case."""
    now = datetime.now(UTC).replace(microsecond=0)
    for submitted, fields in _random_cases(now):
        make_complaint(submitted_at=submitted, events=False, **fields)
    db.session.commit()
    from tests.conftest import make_user
    user = make_user("top")
    cases = db.session.scalars(select(Complaint)).all()
    for state in ("ok", "soon", "overdue"):
        stmt = filtered(user, {"timeliness": state}, now, DEFAULTS)
        found = set(db.session.scalars(stmt.with_only_columns(Complaint.id)))
        assert found == {c.id for c in cases if timeliness(c, now, DEFAULTS) == state}, state
    assert {timeliness(c, now, DEFAULTS) for c in cases} == {"ok", "soon", "overdue"}
