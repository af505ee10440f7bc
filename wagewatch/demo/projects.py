"""Demo 工程: plausible names over every prefecture and industry, with review states and compliance facts."""
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from wagewatch import crypto
from wagewatch.clock import BEIJING
from wagewatch.demo import enterprises
from wagewatch.demo.context import DemoContext, Site
from wagewatch.demo.names import han_name, phone
from wagewatch.extensions import db
from wagewatch.masking import mask_account
from wagewatch.models import Project, Region, WageAccount
from wagewatch.registration import place_project

INDUSTRY_WEIGHTS = (("housing", 50), ("transport", 20), ("water", 15), ("energy", 5), ("agriculture", 4),
                    ("rail", 2), ("telecom", 2), ("aviation", 1), ("other", 3))
NUMERALS = "一二三四五六"
TOWNS = "托格拉克乡 阿克提坎乡 英阿瓦提乡 喀拉苏乡 阔什墩乡 萨依巴格乡 阿热勒乡 塔尕克乡 园艺场 城关镇".split()
WATERS = "克孜勒 喀拉苏 红山 东风 胜利 白杨河 柳树沟 黄羊泉 吉尔格勒 阿克塔什".split()
ROADS = "G216 G217 G218 G219 G312 G314 G315 G575 G580 G577 S101 S201 S215 S303 S309".split()
NAME_FORMS = {
    "housing": ("{c}第{n}中学教学楼建设项目", "{c}人民医院门诊综合楼建设项目", "{c}{t}保障性住房建设项目",
                "{c}城{d}片区老旧小区改造项目", "{c}第{n}幼儿园建设项目", "{c}{t}小学综合楼建设项目",
                "{c}全民健身中心建设项目", "{c}{t}周转宿舍建设项目", "{c}城市供热管网改造工程",
                "{c}职业技术学校实训楼建设项目", "{c}{w}花园住宅小区{k}#—{k2}#楼建设项目"),
    "transport": ("{r}线{c}至{c2}段公路改建工程", "{r}线{c}段公路建设项目", "{c}城关镇至{t}农村公路建设项目",
                  "{c}城区道路提升改造工程", "{c}{w}大桥新建工程"),
    "water": ("{c}{w}水库除险加固工程", "{c}{y}年高效节水灌溉工程", "{c}{t}农村饮水安全巩固提升工程",
              "{c}{w}河防洪治理工程", "{c}{w}干渠防渗改建工程"),
    "energy": ("{c}{t}110千伏输变电工程", "{y}年{c}农网改造升级工程", "{c}{k}万千瓦光伏发电项目"),
    "rail": ("{c}火车站站房改扩建工程", "{p}铁路专用线建设工程"),
    "aviation": ("{p}机场航站楼改扩建工程",),
    "telecom": ("{c}5G基站建设工程", "{c}乡村通信光缆建设工程"),
    "agriculture": ("{c}{y}年高标准农田建设项目", "{c}设施农业大棚建设项目"),
    "other": ("{c}产业园标准化厂房建设项目", "{c}物流园仓储设施建设项目"),
}
AMOUNTS = {"housing": (3, 150), "transport": (5, 400), "water": (2, 80)}  # 万元 × 100
STREETS = "人民路 解放路 迎宾大道 友好路 团结路 天山路 幸福路 光明路 建设路 新华路".split()
BANKS = ("中国农业银行", "中国工商银行", "中国建设银行", "中国银行", "新疆农村信用合作联社", "乌鲁木齐银行", "昆仑银行")
APPROVE_NOTES = ("资料齐全，同意通过", "审核通过", "登记信息完整，同意")
REJECT_NOTES = ("建设单位统一社会信用代码与营业执照不一致", "合同金额与施工合同不符，请核实后重新登记",
                "未上传施工许可证", "工程地址填写不完整", "总承包施工单位名称有误")


def beijing(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), BEIJING).astimezone(timezone.utc)


def _pick(ctx: DemoContext, weighted) -> str:
    return ctx.rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def project_name(ctx: DemoContext, county: Region, industry: str, year: int) -> str:
    rng = ctx.rng
    prefecture = ctx.regions[county.parent_code]
    neighbours = [r for r in ctx.counties(county.parent_code) if r.code != county.code] or [county]
    k = rng.randint(1, 12)
    fields = dict(c=county.short_name, c2=rng.choice(neighbours).short_name, n=rng.choice(NUMERALS),
                  t=rng.choice(TOWNS), d=rng.choice("东西南北"), w=rng.choice(WATERS), r=rng.choice(ROADS),
                  y=year, k=k, k2=k + rng.randint(1, 6),
                  p=prefecture.short_name if prefecture.code != "659000" else county.short_name)
    return rng.choice(NAME_FORMS[industry]).format(**fields)


def project_code(ctx: DemoContext, registered_on: date) -> str:
    while True:
        code = f"XJ{registered_on:%Y%m%d}{ctx.rng.randint(1, 600):05d}"
        if code not in ctx.used_codes:
            ctx.used_codes.add(code)
            return code


# The first generated projects take these states, so even a small set shows every tab and status.
FIRST_STATES = (("approved", "in_progress"), ("pending", None), ("approved", "in_progress"), ("rejected", None),
                ("approved", "completed"), ("approved", "suspended"), ("approved", "not_started"))


def _lifecycle(ctx: DemoContext, index: int) -> tuple[str, str, date]:
    rng, today = ctx.rng, ctx.today
    forced = FIRST_STATES[index] if index < len(FIRST_STATES) else None
    review = forced[0] if forced else _pick(ctx, (("approved", 62), ("pending", 25), ("rejected", 13)))
    if review == "pending":
        return review, "not_started", today - timedelta(days=rng.randint(0, 40))
    if review == "rejected":
        return review, "not_started", today - timedelta(days=rng.randint(5, 500))
    status = forced[1] if forced else _pick(ctx, (("in_progress", 66), ("completed", 13), ("suspended", 8),
                                                   ("not_started", 13)))
    ages = {"not_started": (10, 120), "in_progress": (60, 1300), "suspended": (150, 1000),
            "completed": (420, 1500)}
    return review, status, today - timedelta(days=rng.randint(*ages[status]))


def new_project(ctx: DemoContext, county: Region, industry: str, review: str, status: str, registered_on: date,
                name: str | None = None, code: str | None = None, owner=None, contractor=None) -> Project:
    rng = ctx.rng
    if owner is None:
        owner, funding = enterprises.owner(ctx, county, industry)
    else:
        funding = "government" if owner.uscc[:2] in ("11", "12") else "private"
    contractor = contractor or enterprises.contractor(ctx, county, industry)
    low, high = AMOUNTS.get(industry, (1, 60))
    amount = Decimal(rng.randint(low * 100, high * 100)) * 10000
    start = registered_on + timedelta(days=rng.randint(7, 45))
    end = start + timedelta(days=rng.randint(180, 1000))
    if status == "completed":
        end = min(end, ctx.today - timedelta(days=rng.randint(30, 200)))
    project = Project(code=code or project_code(ctx, registered_on),
                      name=name or project_name(ctx, county, industry, registered_on.year),
                      address=f"{county.name}{rng.choice(STREETS)}{rng.randint(1, 399)}号", funding=funding,
                      contract_amount=amount, planned_start=start, planned_end=end, registered_on=registered_on,
                      owner_id=owner.id, contractor_id=contractor.id, review_status=review, status=status,
                      payday=rng.choice((5, 10, 10, 15, 15, 15, 20, 20, 25, 28)),
                      manager_name=han_name(rng, "M"))
    place_project(project, county.code, industry)
    _review(ctx, project)
    _compliance(ctx, project)
    db.session.add(project)
    ctx.count("projects")
    return project


def _review(ctx: DemoContext, project: Project) -> None:
    if project.review_status == "pending":
        return
    project.reviewed_by = ctx.reviewer_id
    reviewed_on = min(project.registered_on + timedelta(days=ctx.rng.randint(1, 7)), ctx.today)
    project.reviewed_at = beijing(reviewed_on, 11)
    notes = APPROVE_NOTES if project.review_status == "approved" else REJECT_NOTES
    project.review_reason = ctx.rng.choice(notes)


def _compliance(ctx: DemoContext, project: Project) -> None:
    rng, working = ctx.rng, project.status != "not_started"
    if rng.random() < (0.85 if project.review_status == "approved" else 0.6):
        project.labour_officer_name, project.labour_officer_phone = han_name(rng), phone(rng)
    if project.review_status == "approved":
        project.deposit_form = _pick(ctx, (("cash", 35), ("guarantee", 35), ("exempt", 12), ("none", 18)))
        if project.deposit_form in ("cash", "guarantee"):
            project.deposit_amount = (project.contract_amount * Decimal(rng.choice(("0.02", "0.03")))).quantize(
                Decimal("100"))
    if working and rng.random() < 0.8:
        project.notice_board_posted_on = min(project.planned_start + timedelta(days=rng.randint(0, 30)),
                                             ctx.yesterday)


def open_wage_account(ctx: DemoContext, project: Project, county: Region, contractor_name: str) -> None:
    rng = ctx.rng
    bank = rng.choice(BANKS)
    number = str(rng.randint(1, 9)) + "".join(str(rng.randrange(10)) for _ in range(rng.choice((16, 17, 18))))
    db.session.add(WageAccount(
        project_id=project.id, bank_name=f"{bank}{county.short_name}支行", account_no_enc=crypto.encrypt(number),
        account_no_hash=crypto.lookup_hash(number), account_no_masked=mask_account(number),
        account_name=f"{contractor_name}农民工工资专用账户", tripartite_agreement=rng.random() < 0.9,
        opened_on=min(project.planned_start - timedelta(days=rng.randint(0, 20)), ctx.yesterday)))
    ctx.accounts.add(project.id)
    ctx.count("wage_accounts")


def profile(ctx: DemoContext, site: Site) -> Site:
    """How a working site behaves; a few misbehave so every warning of R1 and R2 has cases."""
    rng, status = ctx.rng, site.project.status
    if status == "in_progress":
        site.active, site.departed = rng.randint(12, 68), rng.randint(1, 8)
        site.attendance_rate = rng.uniform(0.72, 0.95)
        site.last_punch_day = ctx.yesterday if rng.random() > 0.08 else ctx.yesterday - timedelta(
            days=rng.randint(8, 20))
        site.contract_rate = 0.97 if rng.random() > 0.1 else 0.7
        site.pay_profile = _pick(ctx, (("good", 55), ("partial", 12), ("failed", 10), ("missing", 8),
                                       ("late", 7), ("below_min", 4), ("outlier", 4)))
    elif status == "suspended":
        site.active, site.departed = rng.randint(0, 10), rng.randint(5, 20)
        site.last_punch_day = ctx.yesterday - timedelta(days=rng.randint(6, 25))
        site.pay_profile = rng.choice(("good", "missing"))
    elif status == "completed":
        site.departed = rng.randint(10, 35)
    return site


def build_projects(ctx: DemoContext, count: int) -> None:
    """`count` generated projects; the first ones visit every prefecture so each is represented."""
    prefectures = ctx.prefectures()
    for index in range(count):
        prefecture = prefectures[index] if index < len(prefectures) else None
        county = ctx.rng.choice(ctx.counties(prefecture.code if prefecture else None))
        industry = _pick(ctx, INDUSTRY_WEIGHTS)
        review, status, registered_on = _lifecycle(ctx, index)
        project = new_project(ctx, county, industry, review, status, registered_on)
        db.session.flush()
        if project.status != "not_started" and ctx.rng.random() < 0.78 or ctx.rng.random() < 0.15:
            open_wage_account(ctx, project, county, ctx.enterprise_names[project.contractor_id])
        ctx.sites.append(profile(ctx, Site(project=project)))
    # Whatever the draw, the first working sites show every payment habit, so even a small set has each case.
    working = [s for s in ctx.sites if not s.manual and s.project.status == "in_progress"]
    for site, habit in zip(working, ("failed", "partial", "missing", "late", "below_min", "outlier")):
        site.pay_profile, site.project.payday = habit, min(site.project.payday, 15)
