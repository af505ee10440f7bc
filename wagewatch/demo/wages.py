"""Demo 工资单 for the last two months with bank results: paid, failed, still pending, and every R2 anomaly.

The punches cover only the last 30 days, so the 考勤日报 of the payroll months' earlier days are written here
(as taken over from the earlier system, their punches not kept): each worker's days on a sheet match the
attendance R2 compares them with.
"""
from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert

from wagewatch.demo.attendance import WINDOW_DAYS
from wagewatch.demo.context import DemoContext, Hire, Site
from wagewatch.demo.projects import beijing
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Payroll, PayrollLine
from wagewatch.wages.refresh import recent_months, refresh

FAIL_REASONS = ("账户已冻结", "户名不符", "账号不存在", "银行卡已注销", "账户状态异常")
CENT = Decimal("0.01")


def months_back(today: date, count: int = 2) -> list[tuple[date, date]]:
    """(first day, last day) of the `count` months before today's, oldest first."""
    spans, first = [], today.replace(day=1)
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        spans.append((first, first.replace(day=monthrange(first.year, first.month)[1])))
    return spans[::-1]


def _due(project, month_end: date) -> date:
    nxt = month_end + timedelta(days=1)
    return nxt.replace(day=min(project.payday, monthrange(nxt.year, nxt.month)[1]))


def _days_worked(ctx: DemoContext, site: Site, hire: Hire, first: date, last: date, attendance: list) -> int:
    """Days before the punch window get 考勤日报 rows here (80–95 % of them); days inside it are counted from
    the demo's punches."""
    window = ctx.today - timedelta(days=WINDOW_DAYS)
    start, end = max(first, hire.joined_on), min(last, hire.left_on or last, window - timedelta(days=1))
    span = [start + timedelta(days=n) for n in range(max(0, (end - start).days + 1))]
    worked = sorted(ctx.rng.sample(span, round(len(span) * ctx.rng.uniform(0.8, 0.95)))) if span else []
    for day in worked:
        first_in, last_out = beijing(day, 9, ctx.rng.randint(0, 59)), beijing(day, 19, ctx.rng.randint(0, 59))
        attendance.append({"project_id": site.project.id, "worker_id": hire.worker_id, "day": day,
                           "first_in": first_in, "last_out": last_out, "punches": 2, "status": "normal",
                           "work_minutes": int((last_out - first_in).total_seconds() // 60)})
    counted = ctx.attended.get((site.project.id, hire.worker_id, f"{first:%Y-%m}"), 0)
    return min(len(worked) + counted, last.day)


def _rate(ctx: DemoContext, rates: dict, site: Site, hire: Hire) -> Decimal:
    key = (site.project.id, hire.worker_id)
    if key not in rates:
        daily = ctx.rng.randint(6000, 12000) / 26 if hire.role == 10 else ctx.rng.randint(22, 42) * 10
        rates[key] = Decimal(daily)
    return rates[key]


def _outcome(ctx: DemoContext, site: Site, latest: bool, due: date) -> str:
    """One line's bank result, following the project's payment habit in the latest month."""
    roll, profile = ctx.rng.random(), site.pay_profile if latest else "good"
    if due > ctx.yesterday or profile == "late":
        return "pending"
    if profile == "partial" and roll < 0.2:
        return "pending"
    if profile == "failed" and roll < 0.2:
        return "failed" if roll < 0.15 else "retrying"
    return "failed" if roll < 0.015 else "paid"


def _line(ctx: DemoContext, payroll: Payroll, hire: Hire, days: int, due_amount: Decimal, status: str,
          due: date, batch: str) -> dict:
    paid_on = min(due - timedelta(days=ctx.rng.randint(0, 2)), ctx.yesterday)
    row = dict(payroll_id=payroll.id, worker_id=hire.worker_id, days_worked=days, amount_due=due_amount,
               amount_paid=None, pay_status=status, fail_reason=None, paid_at=None, bank_batch_no=None,
               is_back_pay=False)
    if status in ("paid", "failed", "retrying"):
        row.update(paid_at=beijing(paid_on, 11, ctx.rng.randint(0, 59)), bank_batch_no=batch)
    if status == "paid":
        row["amount_paid"] = due_amount
    elif status in ("failed", "retrying"):
        row["fail_reason"] = ctx.rng.choice(FAIL_REASONS)
    return row


def build_payrolls(ctx: DemoContext) -> None:
    spans, rates, sheets, attendance = months_back(ctx.today), {}, [], []
    for site in ctx.sites:
        if not site.hires or site.project.status not in ("in_progress", "suspended"):
            continue
        for first, last in spans:
            latest = (first, last) == spans[-1]
            employed = [h for h in site.hires
                        if h.joined_on <= last and (h.left_on is None or h.left_on >= first)]
            # attendance first: a month whose sheet is missing still has the attendance that makes it owed
            days = {h.worker_id: _days_worked(ctx, site, h, first, last, attendance) for h in employed}
            due = _due(site.project, last)
            submitted = due - timedelta(days=ctx.rng.randint(2, 8))
            if (latest and site.pay_profile == "missing") or submitted > ctx.yesterday:
                continue
            by_team: dict = {}
            for hire in employed:
                by_team.setdefault(hire.team_id, []).append(hire)
            for number, (team_id, hires) in enumerate(by_team.items(), start=1):
                payroll = Payroll(payroll_no=f"GZ-{site.project.code}-{first:%Y%m}-{number:02d}",
                                  project_id=site.project.id, month=f"{first:%Y-%m}", team_id=team_id,
                                  submitted_at=beijing(submitted, 10, ctx.rng.randint(0, 59)))
                sheets.append((payroll, site, hires, latest, due, days))
    db.session.add_all([sheet[0] for sheet in sheets])
    db.session.flush()
    lines = []
    for payroll, site, hires, latest, due, days in sheets:
        for line in _lines(ctx, rates, payroll, site, hires, latest, due, days):
            if line["amount_paid"] is not None:
                ctx.paid.setdefault((site.project.id, line["worker_id"]), []).append(
                    (payroll.month, line["paid_at"], line["amount_paid"]))
            lines.append(line)
    for start in range(0, len(lines), 5000):
        db.session.execute(insert(PayrollLine), lines[start:start + 5000])
    for start in range(0, len(attendance), 5000):
        db.session.execute(insert(AttendanceDay), attendance[start:start + 5000])
    ctx.count("payrolls", len(sheets))
    ctx.count("payroll_lines", len(lines))
    ctx.count("attendance_days_before_punches", len(attendance))


def _lines(ctx: DemoContext, rates: dict, payroll: Payroll, site: Site, hires: list[Hire], latest: bool,
           due: date, worked: dict[int, int]) -> list[dict]:
    first = date.fromisoformat(payroll.month + "-01")
    batch = f"B{due:%Y%m%d}{site.project.code[-5:]}"
    rows = []
    for hire in hires:
        days = worked[hire.worker_id]
        if days == 0:
            continue
        amount = (_rate(ctx, rates, site, hire) * days).quantize(Decimal("10"))
        status = _outcome(ctx, site, latest, due)
        rows.append(_line(ctx, payroll, hire, days, amount.quantize(CENT), status, due, batch))
    if latest and rows and site.pay_profile == "failed" and due <= ctx.yesterday and not any(
            r["pay_status"] == "failed" for r in rows):
        paid_at = rows[0]["paid_at"] or beijing(due, 11)
        rows[0].update(pay_status="failed", amount_paid=None, fail_reason=ctx.rng.choice(FAIL_REASONS),
                       paid_at=paid_at, bank_batch_no=batch)
    if latest and rows and site.pay_profile == "below_min":  # R2 PAY_BELOW_MIN: a full month under 1,900
        rows[-1].update(days_worked=24, amount_due=Decimal("1500.00"))
        if rows[-1]["amount_paid"] is not None:
            rows[-1]["amount_paid"] = Decimal("1500.00")
    if latest and rows and site.pay_profile == "outlier":  # R2 PAY_OUTLIER: one worker over 50,000
        rows[0].update(amount_due=Decimal("56800.00"))
        if rows[0]["amount_paid"] is not None:
            rows[0]["amount_paid"] = Decimal("56800.00")
        # R2 PAID_NO_ATTENDANCE: a worker who left before the month is paid on it too
        gone = next((h for h in site.hires if h.team_id == payroll.team_id and h.left_on and h.left_on < first), None)
        if gone is not None and due <= ctx.yesterday:
            amount = (_rate(ctx, rates, site, gone) * 20).quantize(Decimal("10")).quantize(CENT)
            rows.append(_line(ctx, payroll, gone, 20, amount, "paid", due, batch))
    if latest and len(rows) > 2 and site.pay_profile == "partial":  # R2 PAY_COVERAGE: attended, on no sheet
        rows.pop()
    return rows


def store_progress(today: date) -> None:
    """The stored R2 rows of 工资代发实时进度 for the demo's months, as the nightly refresh computes them."""
    for month in recent_months(today):
        refresh(month, today=today)
