"""Demo 欠薪投诉 in every state of R3, each with its 投诉流转 timeline and 系统数据核查 findings."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from wagewatch import crypto
from wagewatch.demo import enterprises
from wagewatch.demo.context import DemoContext, Hire, Site
from wagewatch.demo.names import person_name, phone
from wagewatch.demo.projects import BEIJING, INDUSTRY_WEIGHTS, project_name
from wagewatch.extensions import db
from wagewatch.identity import make_id_number
from wagewatch.masking import mask_id
from wagewatch.models import Complaint, ComplaintEvent
from wagewatch.models.complaints import COMPLAINT_TYPES
from wagewatch.rules.complaint_checks import ComplaintFacts, run_checks


@dataclass(frozen=True)
class Scenario:
    status: str
    appeal: str
    supervision: str
    read: bool
    age_hours: tuple[int, int]


# Every 投诉状态 × 申诉状态 × 督办情况 the screens must show, with ages that make the deadlines plausible.
SCENARIOS = (
    Scenario("open", "none", "none", False, (1, 20)),
    Scenario("open", "none", "none", True, (30, 66)),
    Scenario("open", "none", "pushed", False, (100, 300)),
    Scenario("open", "none", "pushed", True, (100, 400)),
    Scenario("open", "none", "supervising", True, (150, 500)),
    Scenario("handled", "none", "none", True, (60, 300)),
    Scenario("handled", "open", "none", True, (200, 600)),
    Scenario("handled", "handled", "none", True, (300, 900)),
    Scenario("handled", "none", "done", True, (300, 900)),
    Scenario("handled", "open", "supervising", True, (350, 900)),
    Scenario("closed", "none", "none", True, (300, 1400)),
    Scenario("closed", "handled", "none", True, (400, 1400)),
    Scenario("closed", "none", "done", True, (400, 1400)),
)
HANDLED_NOTES = ("已与班组长核实，拖欠工资已通过专户补发", "经核对考勤，已按实际出勤补足差额",
                 "已约谈分包单位负责人，承诺三日内结清", "投诉人已离职，工资已结算至个人账户")
SUPERVISION_NOTES = ("已电话督促总包单位限期处理", "已下发督办通知书，要求三日内反馈", "已约谈项目经理")
DESCRIPTIONS = {"拖欠工资": "{p}拖欠本人{m}个月工资共计{a}元，多次讨要未果。",
                "克扣工资": "{p}以考勤缺失为由克扣工资{a}元。",
                "未签劳动合同": "在{p}务工至今未签订劳动合同，工资{a}元未结清。",
                "其他": "{p}工资发放不透明，要求公示工资单，涉及金额{a}元。"}


def _timeline(ctx: DemoContext, scenario: Scenario, submitted: datetime) -> list[tuple]:
    """(kind, actor, at, note) events in time order."""
    rng, hours = ctx.rng, lambda a, b: timedelta(hours=rng.randint(a, b))
    events = [("submitted", "complainant", submitted, "投诉人提交投诉")]
    clock = submitted
    if scenario.supervision != "none":
        pushed = submitted + timedelta(days=3)
        events.append(("pushed", "system", pushed, "企业超期未处理，系统自动推送监管"))
        if scenario.supervision in ("supervising", "done"):
            events.append(("supervised", "regulator", pushed + hours(2, 24), rng.choice(SUPERVISION_NOTES)))
    if scenario.read:
        clock = submitted + hours(1, 20)
        events.append(("enterprise_read", "enterprise", clock, "企业已读取投诉"))
    if scenario.status in ("handled", "closed"):
        clock = max(e[2] for e in events) + hours(4, 40)
        events.append(("enterprise_handled", "enterprise", clock, rng.choice(HANDLED_NOTES)))
    if scenario.appeal != "none":
        clock += hours(12, 48)
        events.append(("appealed", "complainant", clock, "投诉人对处理结果不满意，提出申诉"))
        if scenario.appeal == "handled":
            clock += hours(1, 12)
            events.append(("appeal_read", "enterprise", clock, "企业已读取申诉"))
            clock += hours(8, 48)
            events.append(("appeal_handled", "enterprise", clock, "已补发差额工资并向投诉人说明"))
    if scenario.supervision == "done":
        clock = max(e[2] for e in events) + hours(12, 48)
        events.append(("supervision_closed", "regulator", clock, "企业已整改到位，督办办结"))
    if scenario.status == "closed":
        clock = max(e[2] for e in events) + hours(12, 72)
        events.append(("closed", "regulator", clock, "经核实工资已足额支付，投诉办结"))
    return sorted(events, key=lambda e: e[2])


def _subject(ctx: DemoContext, sites: list[Site]):
    """The project complained about (None 20% of the time), and the complainant (a rostered worker or not)."""
    rng = ctx.rng
    if not sites or rng.random() < 0.2:
        county = rng.choice(ctx.counties())
        industry = rng.choices([k for k, _ in INDUSTRY_WEIGHTS], weights=[w for _, w in INDUSTRY_WEIGHTS])[0]
        name = project_name(ctx, county, industry, ctx.today.year)
        contractor = enterprises.fill(rng.choice(enterprises.CONTRACTOR_FORMS["housing"]), ctx, county)
        return None, name, contractor, county.code, industry, None
    site = rng.choice(sites)
    project = site.project
    hire = rng.choice(site.hires) if site.hires and rng.random() < 0.75 else None
    return (project, project.name, ctx.enterprise_names[project.contractor_id], project.region_code,
            project.industry, hire)


def _checks(ctx: DemoContext, project, hire: Hire | None, submitted: datetime) -> list[dict]:
    """The findings the intake would have stored, from what the demo data held when the complaint came in."""
    if project is None:
        return run_checks(ComplaintFacts(project_matched=False))
    month = f"{submitted.astimezone(BEIJING):%Y-%m}"
    days, payments = 0, []
    if hire is not None:
        days = sum(n for (p, w, m), n in ctx.attended.items() if p == project.id and w == hire.worker_id
                   and m <= month)
        paid = ctx.paid.get((project.id, hire.worker_id), [])
        payments = [(m, amount) for m, at, amount in paid if at <= submitted]
    return run_checks(ComplaintFacts(project_matched=True, has_wage_account=project.id in ctx.accounts,
                                     on_roster=hire is not None, attendance_days=days, payments=payments))


def build_complaints(ctx: DemoContext, count: int, now: datetime) -> None:
    sites = [s for s in ctx.sites
             if s.project.review_status == "approved" and s.project.status != "not_started"]
    for index in range(max(count, len(SCENARIOS))):
        scenario = SCENARIOS[index] if index < len(SCENARIOS) else ctx.rng.choice(SCENARIOS)
        _complaint(ctx, index, scenario, sites, now)
    ctx.count("complaints", max(count, len(SCENARIOS)))


def _complaint(ctx: DemoContext, index: int, scenario: Scenario, sites: list[Site], now: datetime) -> None:
    rng = ctx.rng
    project, name, contractor, region, industry, hire = _subject(ctx, sites)
    if hire is not None:
        who, id_number = hire.name, ctx.id_numbers[hire.worker_id]
    else:
        gender = rng.choice("MMMF")
        who = person_name(rng, gender)
        id_number = make_id_number(rng, rng.choice(ctx.birth_counties()), None, gender)
    submitted = (now - timedelta(hours=rng.randint(*scenario.age_hours), minutes=rng.randint(0, 59))).replace(
        second=0, microsecond=0)
    kind = rng.choices(COMPLAINT_TYPES, weights=(70, 15, 8, 7))[0]
    group = rng.random() < 0.15
    amount = Decimal(rng.randint(20, 300) * 100 * (rng.randint(3, 12) if group else 1))
    complaint = Complaint(
        complaint_no=f"TS{submitted.astimezone(BEIJING):%Y%m%d}{index + 1:05d}",
        project_id=project.id if project else None, project_name=name, contractor_name=contractor,
        complainant_name=who, complainant_id_enc=crypto.encrypt(id_number),
        complainant_id_hash=crypto.lookup_hash(id_number), complainant_id_masked=mask_id(id_number),
        complainant_phone=phone(rng), type=kind, amount_claimed=amount,
        workers_involved=rng.randint(3, 25) if group else 1, submitted_at=submitted, status=scenario.status,
        appeal_status=scenario.appeal, supervision_status=scenario.supervision,
        checks=_checks(ctx, project, hire, submitted),
        description=DESCRIPTIONS[kind].format(p=name, m=rng.randint(1, 4), a=f"{amount:,.0f}"))
    complaint.set_region(region)
    complaint.industry = industry
    events = _timeline(ctx, scenario, submitted)
    times = {kind: at for kind, _, at, _ in events}
    complaint.read_at, complaint.handled_at = times.get("enterprise_read"), times.get("enterprise_handled")
    complaint.appealed_at, complaint.appeal_read_at = times.get("appealed"), times.get("appeal_read")
    complaint.appeal_handled_at, complaint.closed_at = times.get("appeal_handled"), times.get("closed")
    db.session.add(complaint)
    db.session.flush()
    db.session.add_all([ComplaintEvent(complaint_id=complaint.id, at=at, actor=actor, kind=kind, note=note)
                        for kind, actor, at, note in events if at <= now])
