"""The demo data set of `flask demo`: realistic, deterministic (seeded) and built through the model layer."""
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import select

from wagewatch import clock
from wagewatch.demo.attendance import aggregation_job, build_attendance
from wagewatch.demo.complaints import build_complaints
from wagewatch.demo.context import DemoContext
from wagewatch.demo.manual import MANUAL_ROWS, build_manual_rows
from wagewatch.demo.projects import BEIJING, build_projects
from wagewatch.demo.users import DemoAccount, ensure_demo_users, reviewer_id
from wagewatch.demo.wages import build_payrolls, store_progress
from wagewatch.demo.workforce import build_workforce
from wagewatch.extensions import db
from wagewatch.models import Project
from wagewatch.models._types import utcnow

DEFAULT_SEED = 20261127
PROJECTS_PER_SCALE = 140  # plus the manual's ten rows: about 150 projects at scale 1
COMPLAINTS_PER_SCALE = 40


@dataclass
class DemoResult:
    accounts: list[DemoAccount]
    counts: dict = field(default_factory=dict)
    skipped: bool = False


def beijing_today() -> date:
    return clock.beijing_today()


def already_loaded() -> bool:
    found = db.session.scalars(select(Project.id).where(Project.code == MANUAL_ROWS[0].code)).first()
    return found is not None


def build_demo(scale: float = 1.0, seed: int = DEFAULT_SEED, today: date | None = None) -> DemoResult:
    """Add the demo users and data set; the data set is added once (a second run only tops up missing users).

    The same seed and day give the same projects, enterprises, people and numbers. Punches cover the 30 days
    ending yesterday (Beijing time), payrolls the two months before the current one.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    accounts = ensure_demo_users(seed)
    if already_loaded():
        db.session.commit()
        return DemoResult(accounts, skipped=True)
    now = utcnow() if today is None else datetime.combine(today, time(8), BEIJING)
    ctx = DemoContext(rng=random.Random(seed), today=today or beijing_today(), scale=scale)
    ctx.load_regions()
    ctx.reviewer_id = reviewer_id()
    build_manual_rows(ctx)
    build_projects(ctx, max(1, round(PROJECTS_PER_SCALE * scale)))
    build_workforce(ctx)
    aggregate_later = build_attendance(ctx, now)
    build_payrolls(ctx)
    build_complaints(ctx, round(COMPLAINTS_PER_SCALE * scale), now)
    db.session.commit()
    if aggregate_later:  # the nightly job turns the committed punches into 考勤日报
        aggregation_job()(all_days=True)
        db.session.commit()
    store_progress(ctx.today)  # after the 考勤日报 exist: 考勤人数 counts them
    db.session.commit()
    return DemoResult(accounts, ctx.counts)
