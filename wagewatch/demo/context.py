"""What one demo run carries from step to step: the seeded random source, the date and the sites."""
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from wagewatch.extensions import db
from wagewatch.models import Project, Region

# Codes created after most workers were born: an ID number keeps the code of its first registration.
NEW_CODES = {"650502", "652902", "653228", "653229", "654203", "659009", "659010", "659011", "659012"}


@dataclass
class Hire:
    """One 用工记录 as the later steps (punches, payrolls, complaints) need it."""

    worker_id: int
    name: str
    team_id: int | None
    trade_code: str
    role: int
    joined_on: date
    left_on: date | None
    contract_signed: bool


@dataclass
class Site:
    """A project and how the demo makes it behave (headcount, attendance, payroll habits)."""

    project: Project
    active: int = 0
    departed: int = 0
    attendance_rate: float = 0.85
    last_punch_day: date | None = None  # None: nobody punches (not started, completed, empty)
    contract_rate: float = 0.96
    pay_profile: str = "good"
    manual: bool = False
    teams: list = field(default_factory=list)
    hires: list[Hire] = field(default_factory=list)


@dataclass
class DemoContext:
    rng: random.Random
    today: date
    scale: float
    regions: dict[str, Region] = field(default_factory=dict)
    sites: list[Site] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)
    used_codes: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)
    enterprises: dict = field(default_factory=dict)  # name -> Enterprise, so a name keeps one USCC
    contractors: dict = field(default_factory=dict)  # trade family -> [Enterprise]
    labour_firms: list = field(default_factory=list)
    enterprise_names: dict[int, str] = field(default_factory=dict)
    reviewer_id: int | None = None  # who approved or rejected the demo registrations
    id_numbers: dict[int, str] = field(default_factory=dict)  # worker id -> ID number, for complainants
    attended: dict[tuple[int, int, str], int] = field(default_factory=dict)  # (project, worker, month): days
    accounts: set[int] = field(default_factory=set)  # projects with a 工资专户
    paid: dict[tuple[int, int], list] = field(default_factory=dict)  # (project, worker): [(month, at, amount)]

    @property
    def yesterday(self) -> date:
        return self.today - timedelta(days=1)

    def load_regions(self) -> None:
        self.regions = {r.code: r for r in db.session.scalars(select(Region).order_by(Region.code))}

    def counties(self, prefecture: str | None = None) -> list[Region]:
        return [r for r in self.regions.values()
                if r.level == 3 and (prefecture is None or r.parent_code == prefecture)]

    def prefectures(self) -> list[Region]:
        return [r for r in self.regions.values() if r.level == 2]

    def birth_counties(self) -> list[str]:
        return [r.code for r in self.counties() if r.code not in NEW_CODES]

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n
