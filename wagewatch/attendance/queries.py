"""人员考勤日报表 queries: the filtered list (keyset pages), its rows' columns, a day's punches, the last run.

Every statement over attendance days or punches passes through scope.owned(); a project or worker id taken
from the URL is checked by the view first (404 outside the jurisdiction).
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import abort
from sqlalchemy import and_, exists, func, or_, select, true, tuple_

from wagewatch import clock, scope
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Employment, Project, Punch, Region, Team, TradeCode, Worker
from wagewatch.models.attendance import DAY_STATUSES

PER_PAGE = 20
COUNT_CAP = 10_000  # beyond this the total reads "10,000+": counting a region's month exactly costs seconds
NEIGHBOUR_DAYS = 3
AD = AttendanceDay


def _key(sort: str):
    """The ordering columns of a sort (unique per row) and whether they run descending."""
    if sort == "project":
        return (AD.project_id, AD.day, AD.worker_id), False
    return (AD.day, AD.project_id, AD.worker_id), sort == "-day"


def parse_cursor(raw: str | None):
    """'YYYY-MM-DD.project.worker' → (date, int, int); None when absent; 404 when forged."""
    if not raw:
        return None
    try:
        day, project_id, worker_id = raw.split(".")
        return date.fromisoformat(day), int(project_id), int(worker_id)
    except ValueError:
        abort(404)


def cursor_of(row) -> str:
    return f"{row.day.isoformat()}.{row.project_id}.{row.worker_id}"


def conditions(filters: dict, with_region: bool = True) -> list:
    """WHERE conditions of the search bar on attendance days (the jurisdiction is added by the callers)."""
    found = [AD.day >= filters["date_from"], AD.day <= filters["date_to"]]
    if "project_id" in filters:
        found.append(AD.project_id == int(filters["project_id"]))
    if "region" in filters and with_region:
        found.append(AD.project_id.in_(select(Project.id).where(scope.region_filter(Project, filters["region"]))))
    if "team" in filters:  # a team of the chosen project: its members' (project, worker) pairs, a small set
        members = select(Employment.project_id, Employment.worker_id).where(Employment.team_id == int(filters["team"]))
        found.append(tuple_(AD.project_id, AD.worker_id).in_(members))
    if "worker_id" in filters:
        found.append(AD.worker_id == int(filters["worker_id"]))
    if "name" in filters:  # an exact name: the workers index finds it without scanning the region
        found.append(AD.worker_id.in_(select(Worker.id).where(Worker.name == filters["name"])))
    if "id_hash" in filters:  # a full ID number, known here only by its keyed hash (never decrypted)
        found.append(AD.worker_id.in_(select(Worker.id).where(Worker.id_number_hash == filters["id_hash"])))
    if "status" in filters:
        found.append(AD.status == filters["status"])
    return found


def filtered(user, filters: dict):
    """Visible attendance days matching the search bar (ids and sort keys only)."""
    return scope.owned(select(AD.id, AD.day, AD.project_id, AD.worker_id), user, AD).where(*conditions(filters))


def per_project(user, filters: dict) -> bool:
    """Whether a page is best read project by project: the jurisdiction or the 区域 leaves only some projects
    and nothing narrower (one project, one worker) is chosen. Walking the whole day's index newest first would
    otherwise pass every other region's rows before reaching the first visible one."""
    if db.engine.dialect.name != "postgresql":  # LATERAL is PostgreSQL's; SQLite (development) reads plainly
        return False
    narrower = {"project_id", "worker_id", "name", "id_hash"} & set(filters)
    return not narrower and (bool(scope.conditions(user)) or "region" in filters)


def visible_projects(user, filters: dict):
    stmt = scope.projects(user).with_only_columns(Project.id)
    if "region" in filters:
        stmt = stmt.where(scope.region_filter(Project, filters["region"]))
    return stmt.subquery("visible")


NARROWER = frozenset({"project_id", "worker_id", "name", "id_hash", "team"})


def count(user, filters: dict) -> tuple[int, bool]:
    """The total, capped: (number, capped?)."""
    inner = filtered(user, filters).with_only_columns(AD.day)
    if not (NARROWER & set(filters)) and not per_project(user, filters):
        # A day's rows lie together on disk (written night by night). Asked for any 10,001 rows of yesterday,
        # PostgreSQL may gamble on a sequential scan meeting them early, and read most of the table first
        # (seconds, now and then); in day order it reads them from the day index alone.
        inner = inner.order_by(AD.day)
    total = db.session.scalar(select(func.count()).select_from(inner.limit(COUNT_CAP + 1).subquery()))
    return min(total, COUNT_CAP), total > COUNT_CAP


@dataclass(frozen=True)
class Listing:
    items: list
    total: int
    capped: bool
    number: int
    next_cursor: str | None
    prev_cursor: str | None


def page(user, filters: dict, sort: str, after: str | None, before: str | None, number: int) -> Listing:
    """One page by keyset: rows strictly after (or before) a cursor, never an OFFSET scan."""
    columns, descending = _key(sort)
    going_back = bool(before) and not after
    cursor = parse_cursor(before if going_back else after)
    reverse = descending != going_back  # which way the page reads the index
    where = []
    if cursor is not None:
        values = (cursor[1], cursor[0], cursor[2]) if sort == "project" else cursor
        where.append(tuple_(*columns) < tuple_(*values) if reverse else tuple_(*columns) > tuple_(*values))
    if per_project(user, filters):
        # Each visible project's first rows through its (project, day, worker) index, then the best of those.
        visible = visible_projects(user, filters)
        inner = (select(AD.id, AD.day, AD.project_id, AD.worker_id)
                 .where(AD.project_id == visible.c.id, *conditions(filters, with_region=False), *where)
                 .order_by(*(c.desc() if reverse else c.asc() for c in (AD.day, AD.worker_id)))
                 .limit(PER_PAGE + 1).lateral("firsts"))
        outer = [inner.c[c.key] for c in columns]
        if sort == "project" or filters["date_from"] == filters["date_to"]:
            # The same order led by the project (the day is fixed, or comes second): PostgreSQL then reads the
            # visible projects in id order and stops after the first page instead of sorting every project's rows.
            outer = [visible.c.id, inner.c.day, inner.c.worker_id]
        stmt = select(inner).select_from(visible).join(inner, true()) \
            .order_by(*(c.desc() if reverse else c.asc() for c in outer)).limit(PER_PAGE + 1)
    else:
        stmt = filtered(user, filters).where(*where) \
            .order_by(*(c.desc() if reverse else c.asc() for c in columns)).limit(PER_PAGE + 1)
    keys = list(db.session.execute(stmt))
    more = len(keys) > PER_PAGE
    keys = keys[:PER_PAGE]
    if going_back:
        keys.reverse()
    total, capped = count(user, filters)
    items = rows_for([k.id for k in keys])
    has_next = more if not going_back else True
    has_prev = (cursor is not None) if not going_back else more
    return Listing(items, total, capped, max(1, number),
                   cursor_of(keys[-1]) if keys and has_next else None,
                   cursor_of(keys[0]) if keys and has_prev else None)


@dataclass(frozen=True)
class DayRow:
    id: int
    day: date
    project_id: int
    project: str
    region: str
    team: str
    worker_id: int
    name: str
    id_masked: str
    trade: str
    first_in: datetime
    last_out: datetime
    punches: int
    work_minutes: int
    status: str

    @property
    def hours(self) -> str:
        return f"{self.work_minutes // 60}:{self.work_minutes % 60:02d}"

    @property
    def status_label(self) -> str:
        return DAY_STATUSES.get(self.status, self.status)

    def cells(self) -> tuple:
        """Export cells: a date and aware instants (the export writes them in Beijing time), the masked ID."""
        return (self.day, self.project, self.region, self.team, self.name, self.id_masked, self.trade,
                self.first_in, self.last_out, self.punches, self.hours, self.status_label)


HEADERS = ("日期", "工程名称", "所在区域", "班组", "姓名", "身份证号", "工种", "首次打卡", "末次打卡", "打卡次数",
           "工时", "状态")
COLUMNS = (AD.id, AD.day, AD.project_id, AD.worker_id, AD.first_in, AD.last_out, AD.punches, AD.work_minutes,
           AD.status, Project.name.label("project"), Region.name.label("region"), Worker.name,
           Worker.id_number_masked)


def _columns(stmt):
    return stmt.join(Project, Project.id == AD.project_id).join(Worker, Worker.id == AD.worker_id) \
        .outerjoin(Region, Region.code == Project.region_code)


def rows_for(ids: list[int]) -> list[DayRow]:
    """The displayed columns of a page's days in the order of `ids`: one query, plus one for 班组 and 工种."""
    if not ids:
        return []
    found = {row.id: row for row in db.session.execute(_columns(select(*COLUMNS)).where(AD.id.in_(ids)))}
    rows = [found[i] for i in ids if i in found]
    jobs = employments({(r.project_id, r.worker_id) for r in rows})
    return [to_row(row, jobs) for row in rows]


def employments(pairs: set) -> dict:
    """班组 and 工种 of each (project, worker): the latest employment on that project."""
    if not pairs:
        return {}
    stmt = (select(Employment.project_id, Employment.worker_id, Team.name, TradeCode.name)
            .outerjoin(Team, Team.id == Employment.team_id)
            .outerjoin(TradeCode, TradeCode.code == Employment.trade_code)
            .where(tuple_(Employment.project_id, Employment.worker_id).in_(list(pairs)))
            .order_by(Employment.joined_on, Employment.id))
    return {(p, w): (team or "", trade or "") for p, w, team, trade in db.session.execute(stmt)}


def to_row(row, jobs: dict) -> DayRow:
    team, trade = jobs.get((row.project_id, row.worker_id), ("", ""))
    return DayRow(row.id, row.day, row.project_id, row.project, row.region or "", team, row.worker_id, row.name,
                  row.id_number_masked, trade, row.first_in, row.last_out, row.punches, row.work_minutes,
                  row.status)


def export_statement(user, filters: dict, sort: str):
    """The whole filtered list with its columns, in the page's order (the export streams it)."""
    columns, descending = _key(sort)
    stmt = _columns(filtered(user, filters).with_only_columns(*COLUMNS))
    return stmt.order_by(*(c.desc() if descending else c.asc() for c in columns))


def worker_visible(user, worker_id: int) -> bool:
    """A worker is visible through a visible project they worked on or attended."""
    if not 0 < worker_id <= scope.MAX_ID:
        return False
    employed = scope.owned(select(Employment.id).where(Employment.worker_id == worker_id), user, Employment)
    attended = scope.owned(select(AD.id).where(AD.worker_id == worker_id), user, AD)
    return db.session.scalar(select(or_(exists(employed), exists(attended))))


@dataclass(frozen=True)
class Evidence:
    day: DayRow
    punches: list
    neighbours: list


def evidence(user, day_id: int) -> Evidence:
    """A day's raw punches (with whether each arrived after the day was first aggregated) and the same
    worker's days on that project around it; 404 for a day outside the jurisdiction."""
    found = scope.get_or_404(user, AD, day_id)
    row = rows_for([found.id])[0]
    start, end = clock.day_bounds(found.day)
    punches = db.session.execute(
        scope.owned(select(Punch.punched_at, Punch.device_id, Punch.received_at), user, Punch)
        .where(Punch.worker_id == found.worker_id, Punch.project_id == found.project_id,
               Punch.punched_at >= start, Punch.punched_at < end)
        .order_by(Punch.punched_at, Punch.device_id)).all()
    first = found.first_aggregated_at
    marked = [(p.punched_at, p.device_id, p.received_at, bool(first and p.received_at > first)) for p in punches]
    span = timedelta(days=NEIGHBOUR_DAYS)
    near = scope.owned(select(AD.id), user, AD).where(
        AD.worker_id == found.worker_id, AD.project_id == found.project_id,
        and_(AD.day >= found.day - span, AD.day <= found.day + span)).order_by(AD.day)
    neighbours = rows_for(list(db.session.scalars(near)))
    return Evidence(row, marked, neighbours)
