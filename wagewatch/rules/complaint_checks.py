"""R3 系统数据核查: what the platform's own data says about a complaint, computed at intake."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

LABELS = {
    "project_not_registered": "工程未在平台登记",
    "no_wage_account": "工程未绑定工资专户",
    "not_on_roster": "投诉人不在实名制名单",
    "no_recent_attendance": "投诉人近三个月无考勤记录",
    "wages_paid_recently": "近三个月工资已代发",
}
WINDOW_MONTHS = 3


@dataclass(frozen=True)
class ComplaintFacts:
    """What the intake found in the database for one complaint (None project = no match)."""

    project_matched: bool
    has_wage_account: bool = False
    on_roster: bool = False
    attendance_days: int = 0
    payments: list[tuple[str, Decimal]] = field(default_factory=list)  # (month YYYY-MM, amount paid)


def window_start(submitted_on: date, months: int = WINDOW_MONTHS) -> date:
    """The same day `months` calendar months earlier (clamped to the month's end): 近三个月 begins here."""
    month_index = submitted_on.year * 12 + submitted_on.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in (submitted_on.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(submitted_on)  # pragma: no cover - day 28 always exists


def finding(code: str, **extra) -> dict:
    return {"code": code, "label": LABELS[code], **extra}


def run_checks(facts: ComplaintFacts) -> list[dict]:
    """Findings in the order the 欠薪投诉监控 list shows them; an empty list displays as "--"."""
    if not facts.project_matched:
        return [finding("project_not_registered")]
    found = []
    if not facts.has_wage_account:
        found.append(finding("no_wage_account"))
    if not facts.on_roster:
        found.append(finding("not_on_roster"))
        return found  # attendance and pay are looked up through the roster: nothing more to say
    if facts.attendance_days == 0:
        found.append(finding("no_recent_attendance"))
    if facts.payments:
        by_month: dict[str, Decimal] = {}
        for month, amount in facts.payments:
            by_month[month] = by_month.get(month, Decimal("0.00")) + amount
        total = sum(by_month.values(), Decimal("0.00"))
        found.append(finding("wages_paid_recently", amount_paid=f"{total:.2f}",
                             months=[{"month": m, "amount_paid": f"{a:.2f}"} for m, a in sorted(by_month.items())]))
    return found
