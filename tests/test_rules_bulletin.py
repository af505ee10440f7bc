"""R4 as pure functions: each indicator of a project, complaint deadlines, figures, rates and changes."""
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from wagewatch.rules.bulletin import (
    BY_KEY,
    Figure,
    ProjectFacts,
    achieved,
    add_figures,
    change,
    complaint_on_time,
    overall_reasons,
)

ALL_GOOD = ProjectFacts(True, "guarantee", True, True, True, True)


def test_a_project_meeting_everything_achieves_every_indicator():
    assert achieved(ALL_GOOD) == {"account": True, "deposit": True, "realname": True, "notice": True,
                                  "officer": True, "full_pay": True, "overall": True}
    assert overall_reasons(ALL_GOOD) == []


def test_deposit_forms_and_missing_items():
    assert achieved(ProjectFacts(True, "exempt", True, True, True))["deposit"]
    assert achieved(ProjectFacts(True, "cash", True, True, True))["deposit"]
    facts = ProjectFacts(False, "none", False, False, False, False)
    verdicts = achieved(facts)
    assert not any(verdicts.values())
    assert overall_reasons(facts) == ["未开设工资专户", "未存储工资保证金", "实名制未达标", "未设置维权公示牌", "工资代发异常"]


def test_without_attendance_full_pay_is_not_counted_and_does_not_fail_overall():
    facts = ProjectFacts(True, "cash", True, True, False, None)
    verdicts = achieved(facts)
    assert "full_pay" not in verdicts and verdicts["overall"] and not verdicts["officer"]


def test_complaint_deadlines():
    at = datetime(2026, 10, 1, tzinfo=UTC)
    days = Decimal(15)
    assert complaint_on_time(at, at + timedelta(days=15), at + timedelta(days=40), days) is True
    assert complaint_on_time(at, at + timedelta(days=15, seconds=1), at + timedelta(days=40), days) is False
    assert complaint_on_time(at, None, at + timedelta(days=16), days) is False
    assert complaint_on_time(at, None, at + timedelta(days=14), days) is None


def test_figures_sum_rate_and_change():
    figures = {}
    for ok in (True, True, False):
        add_figures(figures, "account", ok)
    assert figures["account"] == Figure(Decimal(2), Decimal(3), 1)
    assert figures["account"].rate == Decimal("66.7")
    assert (figures["account"] + Figure(Decimal(1), Decimal(1), 0)).rate == Decimal("75.0")
    assert Figure().rate is None
    assert change(BY_KEY["account"], Figure(Decimal(3), Decimal(4)), Figure(Decimal(1), Decimal(2))) == Decimal("25.0")
    assert change(BY_KEY["supervised"], Figure(Decimal(3), Decimal(3)), Figure(Decimal(5), Decimal(5))) == -2
    assert change(BY_KEY["account"], Figure(Decimal(3), Decimal(4)), None) is None
