"""The 注释 panel's facts, read from the rule settings and the job schedule in force (never copied into a template)."""
from dataclasses import dataclass

from jobs.aggregation import last_success
from wagewatch.attendance.forms import MAX_DAYS
from wagewatch.rules.attendance import OVERLAP
from wagewatch.settings import rule_settings


@dataclass(frozen=True)
class Notes:
    nightly_at: str          # Beijing wall-clock time of the nightly run
    overlap_minutes: int     # how far back an incremental run re-reads
    future_tolerance: int    # minutes a punch may lie ahead of the server clock (intake API)
    max_days: int


def notes() -> Notes:
    from jobs.schedule import (
        AGGREGATE_AT_UTC,  # the schedule rq cron runs (importing it only fills rq's registry)
    )

    minute, hour = AGGREGATE_AT_UTC
    return Notes(nightly_at=f"{(hour + 8) % 24:02d}:{minute:02d}", overlap_minutes=int(OVERLAP.total_seconds() // 60),
                 future_tolerance=int(rule_settings()["attendance.future_tolerance_minutes"]), max_days=MAX_DAYS)


def updated_at():
    """When the data was last refreshed: the finish of the last successful aggregation run, or None."""
    run = last_success()
    return run.finished_at if run else None
