"""R2 工资代发进度: a project-month's pay figures, its progress status and its abnormal flags, with their evidence.

Pure functions (no Flask, no database): rows and settings in, verdicts out. The SQL in wagewatch/wages/queries.py
(`month_figures`, `month_verdicts`) computes the same `Figures` set-based; a test holds the two equal.

API (what other modules call):
- `month_span(month) -> (first day, last day)`
- `due_day(month, payday) -> date`                 wages of M are due on the payday of M+1 (clamped to its end)
- `last_passed_month(today, payday=28) -> str`     the latest month whose due day lies before today
- `worker_pay(lines) -> dict[worker_id, WorkerPay]`  one worker's lines of the month merged (two sheets, 补发)
- `figures(lines, attended, employed, has_account, settings) -> Figures`
- `evaluate(figures, month, payday, today, settings) -> Verdict`   status + flags (code, colour, label, reason)
- `evidence(lines, attended, settings) -> dict[flag code, list[Evidence]]`   which workers, which amounts
`settings` is wagewatch.settings.rule_settings(): wage.min_monthly, wage.full_month_days, wage.outlier_monthly,
wage.coverage_red_ratio.

Decisions where DESIGN R2 is silent:
- A worker's month merges all their lines of M (a worker on two sheets counts once). The worker is 已发 when
  every line is paid, or when what was paid covers the regular (non-补发) amount due — a failed line made good
  by a 补发 line on another sheet is paid. Otherwise 发放失败 if a line failed, else 重新发放中, else 未发.
- 补发 (is_back_pay) lines count in 应发/实发 (so sheet totals add up) but not in the wage-level checks
  (days and amounts for PAY_BELOW_MIN / PAY_OUTLIER use the regular lines).
- Coverage counts attendees: 发薪比例 = attendees 已发 / 考勤人数; PAY_LATE and PAY_COVERAGE are judged once
  the due day has passed (the due day itself is still in time).
"""
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

ZERO = Decimal("0.00")
STATUSES = {
    "not_due": "未到发薪日", "no_payroll": "未提交工资单", "processing": "银行处理中",
    "paid_full": "已足额发放", "partial": "部分发放", "failed": "发放失败",
}
FLAGS = {
    "NO_ACCOUNT": "未开设工资专户", "PAY_LATE": "逾期未足额发放", "PAY_COVERAGE": "发薪人数不足",
    "PAY_BELOW_MIN": "低于最低工资", "PAY_OUTLIER": "单人工资异常", "PAID_NO_ATTENDANCE": "发薪无考勤",
}
COLOURS = {"red": "红", "orange": "橙", "yellow": "黄"}  # most serious first
WORKER_STATES = {"paid": "已发", "failed": "发放失败", "retrying": "重新发放中", "pending": "未发"}


@dataclass(frozen=True)
class Line:
    """One 工资单明细 row as the rules need it."""

    worker_id: int
    days_worked: int
    amount_due: Decimal
    amount_paid: Decimal | None = None
    pay_status: str = "pending"  # pending | paid | failed | retrying
    is_back_pay: bool = False
    payroll_id: int = 0
    paid_at: datetime | None = None


@dataclass(frozen=True)
class WorkerPay:
    worker_id: int
    days: int            # regular lines' 天数
    regular_due: Decimal  # regular lines' 应发
    amount_due: Decimal   # all lines' 应发
    amount_paid: Decimal  # paid lines' 实发
    state: str            # key of WORKER_STATES
    sheets: int


@dataclass(frozen=True)
class Figures:
    """The counts and amounts of one project-month (the progress row)."""

    employed: int = 0          # 在职人数: employed at some time during M
    attended: int = 0          # 考勤人数
    on_payroll: int = 0        # 工资单人数
    paid: int = 0              # 已发人数
    failed: int = 0            # 失败人数
    retrying: int = 0          # 重新发放中
    pending: int = 0           # 未发
    amount_due: Decimal = ZERO    # 应发金额
    amount_paid: Decimal = ZERO   # 实发金额
    attended_paid: int = 0     # attendees who are 已发
    below_min: int = 0         # workers under PAY_BELOW_MIN
    outliers: int = 0          # workers under PAY_OUTLIER
    paid_no_attendance: int = 0
    has_account: bool = True

    @property
    def attended_unpaid(self) -> int:
        return self.attended - self.attended_paid

    @property
    def ratio(self) -> Decimal | None:
        """发薪比例: attendees paid / attendees; None without attendance."""
        return Decimal(self.attended_paid) / Decimal(self.attended) if self.attended else None


@dataclass(frozen=True)
class Flag:
    code: str
    colour: str  # red | orange | yellow
    reason: str

    @property
    def label(self) -> str:
        return FLAGS[self.code]


@dataclass(frozen=True)
class Verdict:
    status: str
    due: date
    flags: tuple[Flag, ...] = field(default_factory=tuple)

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def abnormal(self) -> bool:
        return bool(self.flags)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(flag.code for flag in self.flags)

    @property
    def colour(self) -> str | None:
        """The most serious flag colour (red, then orange, then yellow); None without flags."""
        return worst_colour(flag.colour for flag in self.flags)


def worst_colour(colours: Iterable[str]) -> str | None:
    found = set(colours)
    return next((colour for colour in COLOURS if colour in found), None)


@dataclass(frozen=True)
class Evidence:
    """One worker behind a flag: the figures that raised it."""

    worker_id: int
    days_attended: int
    days: int
    amount_due: Decimal
    amount_paid: Decimal
    state: str | None  # None: on no sheet


def _month_first(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def month_span(month: str) -> tuple[date, date]:
    """First and last day of a 'YYYY-MM' month."""
    first = _month_first(month)
    return first, _next_month(first) - timedelta(days=1)


def due_day(month: str, payday: int) -> date:
    """The payday of M+1 (a payday beyond the month's length falls on its last day)."""
    nxt = _next_month(_month_first(month))
    return nxt.replace(day=min(payday, monthrange(nxt.year, nxt.month)[1]))


def late_red_after(month: str) -> date:
    """The last day of M+1: still unpaid after it, PAY_LATE turns red."""
    return _next_month(_next_month(_month_first(month))) - timedelta(days=1)


def last_passed_month(today: date, payday: int = 28) -> str:
    """The latest month whose due day (payday of the month after) lies before today."""
    first = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)  # the month before today's
    while due_day(f"{first:%Y-%m}", payday) >= today:
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    return f"{first:%Y-%m}"


def worker_pay(lines: Iterable[Line]) -> dict[int, WorkerPay]:
    grouped: dict[int, list[Line]] = {}
    for line in lines:
        grouped.setdefault(line.worker_id, []).append(line)
    merged = {}
    for worker_id, own in grouped.items():
        regular = [line for line in own if not line.is_back_pay]
        regular_due = sum((line.amount_due for line in regular), ZERO)
        paid = sum((line.amount_paid or ZERO for line in own if line.pay_status == "paid"), ZERO)
        statuses = {line.pay_status for line in own}
        if statuses == {"paid"} or (paid > 0 and paid >= regular_due):
            state = "paid"
        else:
            state = next(s for s in ("failed", "retrying", "pending") if s in statuses)
        merged[worker_id] = WorkerPay(worker_id, sum(line.days_worked for line in regular), regular_due,
                                      sum((line.amount_due for line in own), ZERO), paid, state,
                                      len({line.payroll_id for line in own}))
    return merged


def below_min(pay: WorkerPay, settings: dict) -> bool:
    """Paid for a full month (≥ wage.full_month_days) and due less than wage.min_monthly; exactly the minimum is fine."""
    return pay.days >= settings["wage.full_month_days"] and pay.regular_due < settings["wage.min_monthly"]


def outlier(pay: WorkerPay, settings: dict) -> bool:
    """More than wage.outlier_monthly in one month; exactly the limit is fine."""
    return pay.regular_due > settings["wage.outlier_monthly"]


def figures(lines: Iterable[Line], attended: Iterable[int], employed: int, has_account: bool,
            settings: dict) -> Figures:
    """The progress row from the month's lines and the ids of workers with attendance in M."""
    lines = list(lines)
    pays, attendees = worker_pay(lines), set(attended)
    states = [pay.state for pay in pays.values()]
    return Figures(
        employed=employed, attended=len(attendees), on_payroll=len(pays),
        paid=states.count("paid"), failed=states.count("failed"), retrying=states.count("retrying"),
        pending=states.count("pending"),
        amount_due=sum((line.amount_due for line in lines), ZERO),
        amount_paid=sum((line.amount_paid or ZERO for line in lines if line.pay_status == "paid"), ZERO),
        attended_paid=sum(1 for w in attendees if w in pays and pays[w].state == "paid"),
        below_min=sum(1 for pay in pays.values() if below_min(pay, settings)),
        outliers=sum(1 for pay in pays.values() if outlier(pay, settings)),
        paid_no_attendance=sum(1 for pay in pays.values() if pay.amount_paid > 0 and pay.worker_id not in attendees),
        has_account=has_account)


def status(fig: Figures, due: date, today: date) -> str:
    if fig.on_payroll == 0:
        return "not_due" if today < due else "no_payroll"
    if fig.paid == fig.on_payroll and fig.attended_unpaid == 0:
        return "paid_full"
    if today < due:
        return "not_due"
    if fig.pending or fig.retrying:
        return "processing"
    if fig.failed:
        return "failed"
    return "partial"


def _pct(part: int, whole: int) -> str:
    return f"{Decimal(part) * 100 / Decimal(whole):.1f}%"


def evaluate(fig: Figures, month: str, payday: int, today: date, settings: dict) -> Verdict:
    """Status and flags of one project-month on a given Beijing day, in the order of DESIGN R2."""
    due = due_day(month, payday)
    flags = []
    if not fig.has_account:
        flags.append(Flag("NO_ACCOUNT", "red", "工程未开设（绑定）农民工工资专用账户"))
    if today > due and fig.attended_unpaid > 0:
        red = today > late_red_after(month)
        when = f"{late_red_after(month):%Y-%m-%d}（次月底）" if red else f"发薪日{due:%Y-%m-%d}"
        flags.append(Flag("PAY_LATE", "red" if red else "orange",
                          f"已过{when}，{fig.attended_unpaid}名考勤工人仍未足额发放"))
    if today > due and fig.attended and fig.attended_unpaid > 0:
        share = Decimal(fig.attended_unpaid) / Decimal(fig.attended)
        colour = "red" if share >= settings["wage.coverage_red_ratio"] else "yellow"
        flags.append(Flag("PAY_COVERAGE", colour, f"考勤{fig.attended}人，已发{fig.attended_paid}人，"
                          f"未发{fig.attended_unpaid}人（{_pct(fig.attended_unpaid, fig.attended)}）"))
    if fig.below_min:
        flags.append(Flag("PAY_BELOW_MIN", "red", f"{fig.below_min}名工人出勤满{settings['wage.full_month_days']:.0f}天"
                          f"而应发低于最低工资{settings['wage.min_monthly']:.0f}元"))
    if fig.outliers:
        flags.append(Flag("PAY_OUTLIER", "red", f"{fig.outliers}名工人当月工资超过{settings['wage.outlier_monthly']:.0f}元"))
    if fig.paid_no_attendance:
        flags.append(Flag("PAID_NO_ATTENDANCE", "yellow", f"{fig.paid_no_attendance}名工人已发薪但当月无考勤记录"))
    return Verdict(status(fig, due, today), due, tuple(flags))


def evidence(lines: Iterable[Line], attended: dict[int, int], settings: dict) -> dict[str, list[Evidence]]:
    """The workers behind each worker-level flag; `attended` maps worker id → attendance days in M.

    PAY_COVERAGE / PAY_LATE: attendees not 已发 (on no sheet, or unpaid on it); PAY_BELOW_MIN, PAY_OUTLIER,
    PAID_NO_ATTENDANCE: the workers the checks caught.
    """
    pays = worker_pay(lines)

    def item(worker_id: int) -> Evidence:
        pay = pays.get(worker_id)
        if pay is None:
            return Evidence(worker_id, attended.get(worker_id, 0), 0, ZERO, ZERO, None)
        return Evidence(worker_id, attended.get(worker_id, 0), pay.days, pay.regular_due, pay.amount_paid, pay.state)

    found = {
        "PAY_COVERAGE": [item(w) for w in sorted(attended) if w not in pays or pays[w].state != "paid"],
        "PAY_BELOW_MIN": [item(w) for w, pay in sorted(pays.items()) if below_min(pay, settings)],
        "PAY_OUTLIER": [item(w) for w, pay in sorted(pays.items()) if outlier(pay, settings)],
        "PAID_NO_ATTENDANCE": [item(w) for w, pay in sorted(pays.items())
                               if pay.amount_paid > 0 and w not in attended],
    }
    found["PAY_LATE"] = found["PAY_COVERAGE"]
    return found
