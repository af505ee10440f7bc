"""R5 考勤日报: what one worker's punches on one Beijing day add up to (the nightly job does the same in SQL)."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from wagewatch.clock import BEIJING, beijing_day, day_bounds  # noqa: F401 - re-exported for callers

# An incremental run re-reads punches received this long before the last watermark, so a punch whose
# transaction committed after the run had started is still taken in (recomputing a day twice is harmless).
OVERLAP = timedelta(minutes=10)


@dataclass(frozen=True)
class DaySummary:
    first_in: datetime
    last_out: datetime
    punches: int
    work_minutes: int
    status: str  # 'normal' 正常 | 'single' 单次打卡


def summarize(punched_at: list[datetime]) -> DaySummary:
    """first_in = earliest, last_out = latest, work_minutes = whole minutes between them, 单次打卡 for one punch."""
    if not punched_at:
        raise ValueError("a day summary needs at least one punch")
    first_in, last_out = min(punched_at), max(punched_at)
    minutes = int((last_out - first_in).total_seconds() // 60)
    return DaySummary(first_in, last_out, len(punched_at), minutes, "single" if len(punched_at) == 1 else "normal")
