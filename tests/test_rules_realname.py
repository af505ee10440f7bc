"""R1 实名制达标 as a pure function."""
from decimal import Decimal

import pytest

from wagewatch.reference import RULE_DEFAULTS
from wagewatch.rules.realname import evaluate

SETTINGS = {code: Decimal(value) for code, (value, _label) in RULE_DEFAULTS.items()}


def test_manual_first_case_no_active_workers_fails():
    verdict = evaluate(0, 0, 0, True, SETTINGS)
    assert not verdict.ok and verdict.label == "未达标"
    assert verdict.failed[0] == "min_active"
    assert verdict.text.startswith("未达标（在职人数不足")


def test_all_criteria_met_is_compliant():
    verdict = evaluate(16, 16, 14, True, SETTINGS)
    assert verdict.ok and verdict.text == "达标" and verdict.reasons == []


@pytest.mark.parametrize("signed, updated, officer, failed", [
    (8, 10, True, ("contract_ratio",)),       # 80% < 90%
    (9, 10, True, ()),                         # exactly 90% passes
    (10, 8, True, ("update_ratio",)),          # 80% < 85%
    (10, 10, False, ("labour_officer",)),
    (0, 0, False, ("contract_ratio", "update_ratio", "labour_officer")),
])
def test_each_criterion(signed, updated, officer, failed):
    assert evaluate(10, signed, updated, officer, SETTINGS).failed == failed


def test_thresholds_come_from_settings():
    strict = {**SETTINGS, "realname.contract_ratio": Decimal("1.00"), "realname.min_active": Decimal("20")}
    assert evaluate(16, 15, 16, True, strict).failed == ("min_active", "contract_ratio")
