"""Demo 工人, 班组 and 用工记录: valid Xinjiang ID numbers, the region's peoples, departures and re-hires."""
from datetime import date, timedelta

from sqlalchemy import insert

from wagewatch.demo import enterprises
from wagewatch.demo.context import DemoContext, Hire, Site
from wagewatch.demo.names import person_name, phone
from wagewatch.extensions import db
from wagewatch.identity import make_id_number
from wagewatch.models import Employment, Team
from wagewatch.people import new_worker

TEAMS = {
    "housing": (("钢筋班", "020"), ("木工班", "240"), ("混凝土班", "040"), ("架子班", "030"), ("砌筑班", "010"),
                ("水电班", "110"), ("防水班", "230"), ("电焊班", "270"), ("装饰班", "190"), ("模板班", "050")),
    "transport": (("路基班", "150"), ("路面班", "040"), ("桥涵班", "020"), ("测量班", "300"), ("电焊班", "270")),
    "water": (("土方班", "150"), ("混凝土班", "040"), ("管道班", "110"), ("钢筋班", "020"), ("模板班", "050")),
    "energy": (("线路班", "310"), ("变电安装班", "120"), ("电工班", "130"), ("基础班", "040")),
}
OTHER_TRADES = ("010", "020", "030", "040", "050", "110", "130", "190", "240", "270", "300")
SOUTH = {"652900", "653000", "653100", "653200"}  # 南疆: mostly Uyghur
NORTH = {"654000", "654200", "654300", "652300", "652700"}  # 北疆: more Kazakh, Hui and Han


def _people(ctx: DemoContext, prefecture: str | None) -> str:
    if prefecture in SOUTH:
        weights = (20, 72, 2, 6)
    elif prefecture in NORTH:
        weights = (45, 15, 25, 15)
    else:
        weights = (55, 25, 8, 12)
    return ctx.rng.choices(("han", "uyghur", "kazakh", "hui"), weights=weights)[0]


def _new_person(ctx: DemoContext, prefecture: str | None):
    rng = ctx.rng
    gender = "M" if rng.random() < 0.88 else "F"
    local = [c for c in ctx.birth_counties() if c[:4] == (prefecture or "")[:4]]
    county = rng.choice(local) if local and rng.random() < 0.6 else rng.choice(ctx.birth_counties())
    while True:
        birth = date(ctx.today.year - rng.randint(20, 58), rng.randint(1, 12), rng.randint(1, 28))
        id_number = make_id_number(rng, county, birth, gender)
        if id_number not in ctx.used_ids:
            ctx.used_ids.add(id_number)
            break
    return new_worker(id_number, person_name(rng, gender, _people(ctx, prefecture)), phone(rng)), id_number


def _teams(ctx: DemoContext, site: Site) -> list[tuple[Team, str]]:
    project = site.project
    options = TEAMS.get(project.industry, TEAMS["housing"])
    size = min(len(options), max(2, (site.active + site.departed) // 10 + 1))
    county = ctx.regions[project.region_code]
    teams = []
    for name, trade in ctx.rng.sample(options, size):
        sub = enterprises.subcontractor(ctx, county) if ctx.rng.random() < 0.7 else None
        team = Team(project_id=project.id, name=name, subcontractor_id=sub.id if sub else None)
        db.session.add(team)
        teams.append((team, trade))
    return teams


def _span(ctx: DemoContext, site: Site, leaving: bool) -> tuple[date, date | None]:
    """Join and leave dates: most joined before the punch window, some during it."""
    rng, project = ctx.rng, site.project
    start = min(project.planned_start or project.registered_on, ctx.today - timedelta(days=60))
    latest = ctx.yesterday - timedelta(days=2)
    if project.status == "completed":
        latest = min(latest, project.planned_end - timedelta(days=15))
    if leaving:
        joined = start + timedelta(days=rng.randint(0, max(0, (latest - start).days - 10)))
        left = joined + timedelta(days=rng.randint(5, max(5, (latest - joined).days)))
        if project.status == "completed":
            left = min(left, project.planned_end)
        return joined, min(left, ctx.yesterday)
    if rng.random() < 0.25:
        return ctx.today - timedelta(days=rng.randint(3, 29)), None
    return start + timedelta(days=rng.randint(0, max(0, (ctx.today - timedelta(days=31) - start).days))), None


def build_workforce(ctx: DemoContext) -> None:
    plans, workers = [], []
    rehire_pool: list[tuple[int, date]] = []  # (index into `workers`, left_on) of people who left a project
    for site in ctx.sites:
        if site.active + site.departed == 0:
            continue
        teams = _teams(ctx, site)
        prefecture = site.project.prefecture_code
        for index in range(site.active + site.departed):
            leaving = index >= site.active
            joined, left = _span(ctx, site, leaving)
            if not leaving and rehire_pool and ctx.rng.random() < 0.06:
                person, last_left = rehire_pool.pop(0)
                joined = max(joined, min(last_left + timedelta(days=ctx.rng.randint(3, 30)), ctx.yesterday))
            else:
                worker, id_number = _new_person(ctx, prefecture)
                workers.append((worker, id_number))
                person = len(workers) - 1
            if leaving:
                rehire_pool.append((person, left))
            manager = index < min(2, site.active) or (site.active == 0 and index == 0)
            team, trade = (None, "900") if manager else ctx.rng.choice(teams)
            if not manager and ctx.rng.random() < 0.2:
                trade = ctx.rng.choice(OTHER_TRADES)
            plans.append((site, person, team, trade, 10 if manager else 20, joined, left,
                          manager or ctx.rng.random() < site.contract_rate))
    db.session.add_all([w for w, _ in workers])
    db.session.flush()
    for worker, id_number in workers:
        ctx.id_numbers[worker.id] = id_number
    _employ(ctx, plans, workers)
    ctx.count("workers", len(workers))


def _employ(ctx: DemoContext, plans, workers) -> None:
    rows, seen = [], set()
    for site, person, team, trade, role, joined, left, signed in plans:
        worker = workers[person][0]
        key = (site.project.id, worker.id)
        if key in seen:  # a re-hire drawn back to the same project: keep the first record
            continue
        seen.add(key)
        hire = Hire(worker_id=worker.id, name=worker.name, team_id=team.id if team else None, trade_code=trade,
                    role=role, joined_on=joined, left_on=left, contract_signed=signed)
        site.hires.append(hire)
        rows.append(dict(worker_id=hire.worker_id, project_id=key[0], team_id=hire.team_id, trade_code=trade,
                         role=role, contract_signed=signed, joined_on=joined, left_on=left))
    db.session.execute(insert(Employment), rows)
    ctx.count("employments", len(rows))
