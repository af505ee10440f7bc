"""R2 工资代发进度 as pure functions, at each edge of DESIGN R2."""
from datetime import date
from decimal import Decimal as D

import pytest

from wagewatch.reference import RULE_DEFAULTS
from wagewatch.rules.wages import (
    Figures,
    Line,
    due_day,
    evaluate,
    evidence,
    figures,
    last_passed_month,
    worker_pay,
)

SETTINGS = {code: D(value) for code, (value, _label) in RULE_DEFAULTS.items()}
MONTH = "2026-09"          # due 2026-10-15 with payday 15
DUE = date(2026, 10, 15)
AFTER = date(2026, 10, 16)


def paid(worker, amount="5000.00", days=22, sheet=1, back=False):
    return Line(worker, days, D(amount), D(amount), "paid", back, sheet)


def unpaid(worker, status="pending", amount="5000.00", days=22, sheet=1):
    return Line(worker, days, D(amount), None, status, False, sheet)


def verdict(lines, attended, today=AFTER, has_account=True, payday=15, settings=SETTINGS):
    fig = figures(lines, attended, employed=len(set(attended)), has_account=has_account, settings=settings)
    return fig, evaluate(fig, MONTH, payday, today, settings)


def colour_of(v, code):
    return {flag.code: flag.colour for flag in v.flags}.get(code)


def test_due_day_is_payday_of_next_month_clamped():
    assert due_day("2026-09", 15) == date(2026, 10, 15)
    assert due_day("2026-12", 28) == date(2027, 1, 28)
    assert due_day("2027-01", 31) == date(2027, 2, 28)


def test_last_passed_month():
    assert last_passed_month(date(2026, 10, 16), 15) == "2026-09"
    assert last_passed_month(date(2026, 10, 15), 15) == "2026-08"   # the due day itself has not passed
    assert last_passed_month(date(2026, 11, 29)) == "2026-10"       # payday 28 of November passed
    assert last_passed_month(date(2026, 11, 28)) == "2026-09"
    assert last_passed_month(date(2027, 1, 5)) == "2026-11"


def test_exactly_100_percent_is_full_and_without_flags():
    fig, v = verdict([paid(w) for w in range(1, 11)], range(1, 11))
    assert fig.ratio == 1 and fig.paid == 10 and fig.amount_paid == D("50000.00")
    assert v.status == "paid_full" and v.flags == ()


def test_exactly_10_percent_unpaid_is_red_below_is_yellow():
    lines = [paid(w) for w in range(1, 10)] + [unpaid(10, "failed")]
    fig, v = verdict(lines, range(1, 11))
    assert fig.attended_unpaid == 1 and colour_of(v, "PAY_COVERAGE") == "red"
    assert v.status == "failed" and fig.failed == 1
    lines = [paid(w) for w in range(1, 11)] + [unpaid(11, "failed")]
    fig, v = verdict(lines, range(1, 12))   # 1 of 11 = 9.1 %
    assert colour_of(v, "PAY_COVERAGE") == "yellow"
    assert "9.1%" in next(f.reason for f in v.flags if f.code == "PAY_COVERAGE")


def test_coverage_threshold_comes_from_settings():
    lines = [paid(w) for w in range(1, 11)] + [unpaid(11, "failed")]
    strict = {**SETTINGS, "wage.coverage_red_ratio": D("0.05")}
    assert colour_of(verdict(lines, range(1, 12), settings=strict)[1], "PAY_COVERAGE") == "red"


@pytest.mark.parametrize("amount, days, flagged", [
    ("1900.00", 22, False),   # exactly the minimum wage
    ("1899.99", 22, True),
    ("1500.00", 21, False),   # not a full month
    ("1500.00", 24, True),
])
def test_below_minimum_wage(amount, days, flagged):
    fig, v = verdict([paid(1, amount, days)], [1])
    assert (fig.below_min == 1) is flagged
    assert (colour_of(v, "PAY_BELOW_MIN") == "red") is flagged


@pytest.mark.parametrize("amount, flagged", [("50000.00", False), ("50000.01", True)])
def test_outlier_at_exactly_50000(amount, flagged):
    _fig, v = verdict([paid(1, amount)], [1])
    assert (colour_of(v, "PAY_OUTLIER") == "red") is flagged


def test_the_due_day_itself_is_in_time_the_day_after_is_late():
    lines = [paid(1), unpaid(2)]
    _fig, on_due = verdict(lines, [1, 2], today=DUE)
    assert on_due.status == "processing" and "PAY_LATE" not in on_due.codes and "PAY_COVERAGE" not in on_due.codes
    _fig, before = verdict(lines, [1, 2], today=date(2026, 10, 14))
    assert before.status == "not_due" and before.flags == ()
    _fig, after = verdict(lines, [1, 2], today=AFTER)
    assert colour_of(after, "PAY_LATE") == "orange" and after.status == "processing"
    _fig, month_end = verdict(lines, [1, 2], today=date(2026, 10, 31))
    assert colour_of(month_end, "PAY_LATE") == "orange"
    _fig, later = verdict(lines, [1, 2], today=date(2026, 11, 1))
    assert colour_of(later, "PAY_LATE") == "red"


def test_payday_beyond_month_length_clamps():
    _fig, v = verdict([unpaid(1)], [1], today=date(2026, 10, 31), payday=31)
    assert v.due == date(2026, 10, 31) and v.status == "processing" and "PAY_LATE" not in v.codes


def test_failed_payment_paid_again_later_counts_as_paid():
    # the bank's later result superseded the failure on the same line
    fig, v = verdict([paid(1), paid(2)], [1, 2])
    assert fig.failed == 0 and v.status == "paid_full"
    # the failed line stays, a 补发 line on another sheet made it good
    lines = [paid(1), unpaid(2, "failed", sheet=1), paid(2, sheet=2, back=True)]
    fig, v = verdict(lines, [1, 2])
    assert fig.paid == 2 and fig.failed == 0 and fig.on_payroll == 2
    assert fig.amount_due == D("15000.00") and fig.amount_paid == D("10000.00")
    assert v.status == "paid_full" and v.flags == ()
    # a 补发 that does not cover the failed amount leaves the worker failed
    lines = [unpaid(2, "failed"), paid(2, "100.00", sheet=2, back=True)]
    assert worker_pay(lines)[2].state == "failed"


def test_worker_on_two_sheets_counts_once_with_summed_amounts():
    lines = [paid(1, "30000.00", 11, sheet=1), paid(1, "25000.00", 11, sheet=2), paid(2)]
    fig, v = verdict(lines, [1, 2])
    assert fig.on_payroll == 2 and fig.paid == 2 and fig.attended_paid == 2
    assert worker_pay(lines)[1].sheets == 2 and worker_pay(lines)[1].days == 22
    assert fig.outliers == 1 and colour_of(v, "PAY_OUTLIER") == "red"   # 55,000 over the two sheets
    lines = [paid(1, "1000.00", 11, sheet=1), unpaid(1, "pending", "1000.00", 11, sheet=2)]
    assert worker_pay(lines)[1].state == "pending"  # half paid is not 已发
    assert figures(lines, [1], 1, True, SETTINGS).below_min == 0   # 22 days over two sheets, 2,000 ≥ 1,900


def test_month_with_attendance_and_no_sheet():
    fig, v = verdict([], [1, 2, 3], today=DUE)
    assert fig.on_payroll == 0 and fig.ratio == 0 and v.status == "no_payroll" and v.flags == ()
    _fig, before = verdict([], [1, 2, 3], today=date(2026, 10, 1))
    assert before.status == "not_due"
    fig, v = verdict([], [1, 2, 3])
    assert v.status == "no_payroll"
    assert colour_of(v, "PAY_LATE") == "orange" and colour_of(v, "PAY_COVERAGE") == "red"
    found = evidence([], {1: 20, 2: 18, 3: 2}, SETTINGS)
    assert [(e.worker_id, e.days_attended, e.state) for e in found["PAY_COVERAGE"]] == [
        (1, 20, None), (2, 18, None), (3, 2, None)]


def test_no_wage_account_is_red_whatever_the_date():
    _fig, v = verdict([paid(1)], [1], today=date(2026, 10, 1), has_account=False)
    assert v.status == "paid_full" and colour_of(v, "NO_ACCOUNT") == "red" and v.abnormal


def test_paid_without_attendance_is_yellow_with_its_evidence():
    lines = [paid(1), paid(2, "3000.00"), unpaid(3)]
    fig, v = verdict(lines, [1, 3])
    assert fig.paid_no_attendance == 1 and colour_of(v, "PAID_NO_ATTENDANCE") == "yellow"
    found = evidence(lines, {1: 22, 3: 20}, SETTINGS)
    assert [(e.worker_id, e.amount_paid, e.days_attended) for e in found["PAID_NO_ATTENDANCE"]] == [
        (2, D("3000.00"), 0)]
    assert [(e.worker_id, e.state) for e in found["PAY_COVERAGE"]] == [(3, "pending")]


def test_evidence_names_below_min_and_outlier_workers():
    lines = [paid(1, "1500.00", 24), paid(2, "56800.00"), paid(3)]
    found = evidence(lines, {1: 24, 2: 22, 3: 22}, SETTINGS)
    assert [(e.worker_id, e.amount_due, e.days) for e in found["PAY_BELOW_MIN"]] == [(1, D("1500.00"), 24)]
    assert [e.worker_id for e in found["PAY_OUTLIER"]] == [2]
    assert found["PAY_COVERAGE"] == [] and found["PAID_NO_ATTENDANCE"] == []


def test_statuses_after_the_due_day():
    assert verdict([paid(1), unpaid(2, "retrying")], [1, 2])[1].status == "processing"
    assert verdict([unpaid(1, "failed"), unpaid(2, "failed")], [1, 2])[1].status == "failed"
    assert verdict([paid(1)], [1, 2])[1].status == "partial"   # worker 2 attended and is on no sheet
    assert verdict([paid(1), paid(2)], [1, 2], today=date(2026, 10, 2))[1].status == "paid_full"


def test_flags_keep_design_order_and_ratio_counts_attendees_only():
    fig = Figures(attended=4, attended_paid=3, on_payroll=5, paid=4, paid_no_attendance=1, has_account=False,
                  below_min=1, outliers=1)
    v = evaluate(fig, MONTH, 15, date(2026, 11, 2), SETTINGS)
    assert v.codes == ("NO_ACCOUNT", "PAY_LATE", "PAY_COVERAGE", "PAY_BELOW_MIN", "PAY_OUTLIER",
                       "PAID_NO_ATTENDANCE")
    assert [f.colour for f in v.flags] == ["red", "red", "red", "red", "red", "yellow"]
    assert fig.ratio == D("0.75") and Figures().ratio is None
