"""Demo 打卡记录 for the 30 days ending yesterday (Beijing time), then the 考勤日报 built from them."""
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import insert

from wagewatch.clock import BEIJING
from wagewatch.demo.context import DemoContext, Site
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Punch

WINDOW_DAYS = 30
CHUNK = 5000


def _at(day: date, minutes: int) -> datetime:
    """Beijing wall-clock minutes after midnight of `day`, as a UTC instant."""
    return (datetime.combine(day, time(), BEIJING) + timedelta(minutes=minutes)).astimezone(timezone.utc)


def _day_punches(ctx: DemoContext, day: date) -> list[datetime]:
    """Most worker-days have an in and an out punch; some forget one; a few clock out and back for lunch."""
    rng = ctx.rng
    arrive, leave = rng.randint(9 * 60, 10 * 60 + 30), rng.randint(19 * 60, 21 * 60 + 30)
    roll = rng.random()
    if roll < 0.08:
        return [_at(day, rng.choice((arrive, leave)))]
    if roll < 0.15:
        lunch = rng.randint(13 * 60 + 15, 14 * 60)
        return [_at(day, m) for m in (arrive, lunch, lunch + rng.randint(60, 100), leave)]
    return [_at(day, arrive), _at(day, leave)]


def _site_punches(ctx: DemoContext, site: Site, now: datetime, punches: list, days: list) -> None:
    rng, first_day = ctx.rng, ctx.today - timedelta(days=WINDOW_DAYS)
    devices = [f"KQ{site.project.code[-9:]}-{n}" for n in range(1, 2 + len(site.hires) // 25)]
    for hire in site.hires:
        day = max(hire.joined_on, first_day)
        end = min(hire.left_on or ctx.yesterday, site.last_punch_day)
        while day <= end:
            rate = site.attendance_rate * (0.6 if day.weekday() == 6 else 1.0)
            if rng.random() < rate:
                times = _day_punches(ctx, day)
                device = rng.choice(devices)
                for at in times:
                    delay = timedelta(seconds=rng.randint(5, 900))
                    if rng.random() < 0.01:  # a device that was offline uploads days later
                        delay += timedelta(days=rng.randint(1, 3))
                    punches.append(dict(worker_id=hire.worker_id, project_id=site.project.id, punched_at=at,
                                        device_id=device, received_at=min(at + delay, now)))
                days.append(dict(project_id=site.project.id, worker_id=hire.worker_id, day=day,
                                 first_in=times[0], last_out=times[-1], punches=len(times),
                                 work_minutes=int((times[-1] - times[0]).total_seconds() // 60),
                                 status="single" if len(times) == 1 else "normal"))
                key = (site.project.id, hire.worker_id, f"{day:%Y-%m}")
                ctx.attended[key] = ctx.attended.get(key, 0) + 1
            day += timedelta(days=1)


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start:start + CHUNK])


def build_attendance(ctx: DemoContext, now: datetime) -> bool:
    """Insert the punches; returns True when the nightly aggregation must run after the commit."""
    punches, days = [], []
    for site in ctx.sites:
        if site.last_punch_day is not None:
            _site_punches(ctx, site, now, punches, days)
    _insert(Punch, punches)
    ctx.count("punches", len(punches))
    ctx.count("attendance_days", len(days))
    if aggregation_job() is not None:
        return True
    # Without the job, write the rows it would write: first_in earliest, last_out latest, work_minutes the
    # difference, 单次打卡 for a lone punch, bucketed by Beijing day.
    _insert(AttendanceDay, days)
    return False


def aggregation_job():
    """The nightly aggregation when it is installed, so the demo's 考勤日报 is exactly what it would write."""
    try:
        from jobs.aggregation import aggregate_attendance
    except ImportError:
        return None
    return aggregate_attendance
