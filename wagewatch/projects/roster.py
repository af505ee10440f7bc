"""人员信息: everyone who ever worked on a project, masked, shared by the page and the roster export.

Callers pass a project id they have already checked against scope; an ID-number search compares the keyed
hash (`id_hash`, from the URL, see personal_search), so no ID number is ever decrypted to search.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from wagewatch import clock, crypto, keyset, listing
from wagewatch.extensions import db
from wagewatch.masking import mask_phone
from wagewatch.models import Employment, Enterprise, Team, TradeCode, Worker
from wagewatch.models.workers import GENDERS
from wagewatch.validators import normalize_id_number

HEADERS = ("姓名", "身份证号", "性别", "年龄", "手机号", "班组", "分包单位", "工种", "进场日期", "退场日期",
           "在职状态", "合同")


@dataclass(frozen=True)
class RosterRow:
    name: str
    id_masked: str
    gender: str
    age: int
    phone: str
    team: str
    subcontractor: str
    trade: str
    joined_on: date
    left_on: date | None
    contract_signed: bool

    @property
    def state(self) -> str:
        return "离职" if self.left_on else "在职"

    @property
    def contract(self) -> str:
        return "已签" if self.contract_signed else "未签"

    def cells(self) -> tuple:
        return (self.name, self.id_masked, self.gender, self.age, self.phone, self.team, self.subcontractor,
                self.trade, self.joined_on, self.left_on, self.state, self.contract)


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


ORDER = (Employment.left_on.is_not(None), Employment.joined_on.desc(), Employment.id.desc())
COLUMNS = (Employment.joined_on, Employment.left_on, Employment.contract_signed, Worker.name, Worker.id_number_masked,
           Worker.gender, Worker.birth_date, Worker.phone, Team.name.label("team"),
           Enterprise.name.label("subcontractor"), TradeCode.name.label("trade"))


def project_roster(project_id: int):
    """The project's employments as a materialised CTE on the project_id index, so every search reads the
    roster's rows instead of scanning every worker in the region."""
    return (select(Employment.id, Employment.worker_id, Employment.team_id, Employment.joined_on,
                   Employment.left_on)
            .where(Employment.project_id == project_id)
            .cte("roster").prefix_with("MATERIALIZED", dialect="postgresql"))


def order_of(roster) -> keyset.Keyset:
    """在职 first, newest entries first, then id: the list's sort key."""
    return keyset.Keyset((roster.c.left_on.is_not(None), False), (roster.c.joined_on, True), (roster.c.id, True))


def matching(project_id: int, filters: dict, roster=None):
    """Ids of the project's employments that match the search, in the list's order."""
    roster = project_roster(project_id) if roster is None else roster
    stmt = select(roster.c.id).order_by(*order_of(roster).order_by())
    if "name" in filters:
        # A correlated lookup per roster row (primary key) rather than a join: otherwise the planner prefers
        # scanning every worker's name, which grows with the region instead of with the project.
        name = select(Worker.name).where(Worker.id == roster.c.worker_id).scalar_subquery()
        stmt = stmt.where(name.contains(filters["name"], autoescape=True))
    id_hash = filters.get("id_hash") or (
        crypto.lookup_hash(normalize_id_number(filters["id_number"])) if "id_number" in filters else None)
    if id_hash:
        stmt = stmt.join(Worker, Worker.id == roster.c.worker_id).where(Worker.id_number_hash == id_hash)
    if "team" in filters:
        stmt = stmt.join(Team, Team.id == roster.c.team_id).where(Team.name.contains(filters["team"], autoescape=True))
    if filters.get("state") == "active":
        stmt = stmt.where(roster.c.left_on.is_(None))
    elif filters.get("state") == "left":
        stmt = stmt.where(roster.c.left_on.is_not(None))
    return stmt


def rows_for(ids):
    """The displayed columns for a set of employment ids; 在职 first, newest entries first."""
    return (select(*COLUMNS).join(Worker, Worker.id == Employment.worker_id)
            .outerjoin(Team, Team.id == Employment.team_id)
            .outerjoin(Enterprise, Enterprise.id == Team.subcontractor_id)
            .outerjoin(TradeCode, TradeCode.code == Employment.trade_code)
            .where(Employment.id.in_(ids)).order_by(*ORDER))


def statement(project_id: int, filters: dict):
    """The whole filtered roster (the export streams it)."""
    return rows_for(matching(project_id, filters))


def to_row(row, today: date) -> RosterRow:
    return RosterRow(row.name, row.id_number_masked, GENDERS.get(row.gender, ""), age_on(row.birth_date, today),
                     mask_phone(row.phone), row.team or "", row.subcontractor or "", row.trade or "",
                     row.joined_on, row.left_on, row.contract_signed)


def today_in_beijing() -> date:
    return clock.beijing_today()


def roster_page(project_id: int, filters: dict, wanted: listing.PageRequest) -> listing.Page:
    """Count (capped) and seek the page's 20 employments on the narrow query, then join the columns for those."""
    roster = project_roster(project_id)
    today = today_in_beijing()

    def load(rows):
        return [to_row(row, today) for row in db.session.execute(rows_for([row[0] for row in rows]))]
    return listing.paginate(matching(project_id, filters, roster), order_of(roster), wanted, load=load)
