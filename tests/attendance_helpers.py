"""Shared builders for the 人员考勤日报表 tests: a worker's punches on a project, aggregated by the real job."""
from datetime import date, datetime, timedelta, timezone
from io import BytesIO

import openpyxl

from jobs.aggregation import aggregate_attendance
from tests.factories import ProjectFactory, TeamFactory, employ, make_worker
from wagewatch import clock
from wagewatch.extensions import db
from wagewatch.models import Punch

UTC = timezone.utc
YESTERDAY = clock.beijing_today() - timedelta(days=1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """Beijing wall-clock time on `day`, as a UTC instant."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.BEIJING).astimezone(UTC)


def punch(project, worker, moment, device="KQ-01", received=None):
    """A punch, received now unless said otherwise (so the next incremental run takes it in)."""
    db.session.add(Punch(project_id=project.id, worker_id=worker.id, punched_at=moment, device_id=device,
                         received_at=received or clock.now()))


def site(name="木垒县安居工程", region="652328", trade="housing", workers=("买买提·艾力",), team="钢筋班"):
    """An approved project with a team and its workers employed."""
    project = ProjectFactory(name=name, region=region, trade=trade, review_status="approved",
                             status="in_progress")
    crew = TeamFactory(project_id=project.id, name=team)
    db.session.flush()
    people = []
    for worker_name in workers:
        worker = make_worker(worker_name)
        employ(project, worker, team=crew)
        people.append(worker)
    return project, people


def worked(project, worker, day=YESTERDAY, times=((9, 0), (18, 30))):
    for hour, minute in times:
        punch(project, worker, at(day, hour, minute))


def aggregate():
    db.session.commit()
    return aggregate_attendance()


def sheet(data: bytes) -> list:
    workbook = openpyxl.load_workbook(BytesIO(data), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    return rows
