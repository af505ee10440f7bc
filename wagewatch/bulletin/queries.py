"""数据通报 figures for a user: stored per (county, industry), summed per child region of the region shown."""
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from wagewatch import scope
from wagewatch.bulletin.compute import month_of
from wagewatch.extensions import db
from wagewatch.models import BulletinFigure, Region
from wagewatch.rules import bulletin as r4

TOP = "650000"


@dataclass
class RegionRow:
    code: str
    name: str
    figures: dict = field(default_factory=dict)  # indicator key -> Figure
    drill: bool = False  # the name links to this region's children


@dataclass
class Bulletin:
    month: str
    region: Region
    rows: list
    total: RegionRow
    previous: dict  # indicator key -> Figure of the previous month's total (None when not stored)
    wage_month: str | None
    computed_at: datetime | None

    def change(self, key: str):
        return r4.change(r4.BY_KEY[key], self.total.figures.get(key), self.previous.get(key))


def previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year - (mon == 1)}-{(mon - 2) % 12 + 1:02d}"


def months(today: date, count: int = 12) -> list[str]:
    found, month = [], month_of(today)
    for _ in range(count):
        found.append(month)
        month = previous_month(month)
    return found


def ensure_current(today: date) -> str:
    """'stored' when the current month's figures are stored, 'computing' when a background job is computing them,
    'unavailable' when no job can start (Redis down). The month's first page view asks for the job (one job
    however many ask; in-process without Redis, so 'stored' at once); the nightly job then rewrites them."""
    from jobs.indicators import store_bulletin
    from wagewatch.jobs_runner import enqueue_once

    month = month_of(today)
    if stored(month):
        return "stored"
    # Nothing of this request's is pending (a page view), so the job, on a session of its own, misses nothing;
    # run in-process, it has committed by the time the next statement here reads.
    done = enqueue_once("nightly", store_bulletin, today.isoformat(), claim=f"bulletin-{month}",
                        hold_seconds=6 * 3600)
    if not done.started:
        return "unavailable"
    return "stored" if done.inline else "computing"


def stored(month: str) -> bool:
    return db.session.scalar(select(BulletinFigure.id).where(BulletinFigure.month == month).limit(1)) is not None


def child_key(region: Region):
    """The column whose value names a figure's child region below `region`."""
    return BulletinFigure.prefecture_code if region.level == 1 else BulletinFigure.region_code


def _sums(user, month: str, region: Region):
    key = child_key(region)
    stmt = select(key, BulletinFigure.indicator, func.sum(BulletinFigure.numerator),
                  func.sum(BulletinFigure.denominator), func.sum(BulletinFigure.failing),
                  func.max(BulletinFigure.wage_month), func.min(BulletinFigure.computed_at)) \
        .where(BulletinFigure.month == month, scope.region_filter(BulletinFigure, region.code),
               *scope.conditions(user, BulletinFigure)) \
        .group_by(key, BulletinFigure.indicator)
    return db.session.execute(stmt).all()


def children(region: Region) -> list[Region]:
    if region.level >= 3:
        return [region]
    stmt = select(Region).where(Region.parent_code == region.code).order_by(Region.code)
    return [region] + list(db.session.scalars(stmt)) if region.level == 2 else list(db.session.scalars(stmt))


def bulletin(user, month: str, region: Region) -> Bulletin:
    """Every indicator per child region of `region` (in the user's scope) plus the total row."""
    kids = children(region)
    rows = {r.code: RegionRow(r.code, r.name + ("本级" if r.code == region.code and region.level == 2 else ""),
                              drill=r.level < 3 and r.code != region.code) for r in kids}
    total = RegionRow(region.code, "合计")
    wage_month, computed = None, None
    for code, key, num, den, failing, wmonth, at in _sums(user, month, region):
        figure = r4.Figure(Decimal(num or 0), Decimal(den or 0), int(failing or 0))
        row = rows.get(code) or rows.setdefault(code, RegionRow(code, code))
        row.figures[key] = figure
        total.figures[key] = total.figures.get(key, r4.Figure()) + figure
        wage_month = wage_month or wmonth
        computed = at if computed is None or (at and at < computed) else computed
    previous = {}
    for _code, key, num, den, failing, _w, _at in _sums(user, previous_month(month), region):
        previous[key] = previous.get(key, r4.Figure()) + r4.Figure(Decimal(num or 0), Decimal(den or 0),
                                                                   int(failing or 0))
    shown = [row for row in rows.values() if row.figures or row.code != region.code]
    return Bulletin(month, region, shown, total, previous, wage_month, computed)


def start_region(user, code: str | None) -> Region | None:
    """The region shown: the user's own, or a region below it picked by drilling down; None out of scope."""
    code = code or user.org.region_code
    if not scope.region_in_scope(user, code):
        return None
    return db.session.get(Region, code)
