"""POST /attendance/punches: device punches, bulk-inserted; natural key (project, worker, time, device)."""

from sqlalchemy import select

from wagewatch import clock, crypto
from wagewatch.api import schemas
from wagewatch.api.auth import endpoint
from wagewatch.api.batches import Batch
from wagewatch.api.blueprint import bp
from wagewatch.api.body import batch_body
from wagewatch.api.bulk import insert_ignore
from wagewatch.api.workers import ids_by_hash
from wagewatch.extensions import db
from wagewatch.models import Employment, Project, Punch

NOT_ON_ROSTER = "该工人不在此工程的实名制名单中"


def roster_pairs(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which (project, worker) pairs are on a roster; a batch usually comes from one site's devices."""
    projects, workers = sorted({p for p, _w in pairs}), sorted({w for _p, w in pairs})
    found = set()
    for start in range(0, len(workers), 1000):
        found.update(db.session.execute(select(Employment.project_id, Employment.worker_id).where(
            Employment.project_id.in_(projects), Employment.worker_id.in_(workers[start:start + 1000]))).all())
    return found & pairs


@bp.post("/attendance/punches", merge_slashes=False)
@endpoint("attendance")
def add_punches():
    batch = Batch(batch_body(), schemas.punch)
    codes = {v["project_code"] for _i, v in batch.good}
    projects = dict(db.session.execute(select(Project.code, Project.id).where(
        Project.code.in_(codes))).all()) if codes else {}
    batch.keep(lambda v: None if v["project_code"] in projects else ("project_code", "工程不存在"))
    for _index, values in batch.good:
        values["worker_hash"] = crypto.lookup_hash(values["id_number"])
    workers = ids_by_hash(list({v["worker_hash"] for _i, v in batch.good}))
    batch.keep(lambda v: None if v["worker_hash"] in workers else ("id_number", NOT_ON_ROSTER))
    on_roster = roster_pairs({(projects[v["project_code"]], workers[v["worker_hash"]]) for _i, v in batch.good})
    batch.keep(lambda v: None if (projects[v["project_code"]], workers[v["worker_hash"]]) in on_roster
               else ("id_number", NOT_ON_ROSTER))
    received = clock.now()  # the nightly aggregation picks up punches by received_at
    rows = [{"project_id": projects[v["project_code"]], "worker_id": workers[v["worker_hash"]],
             "punched_at": v["punched_at"], "device_id": v["device_id"], "received_at": received}
            for _i, v in batch.good]
    accepted = insert_ignore(Punch, rows, returning=Punch.id)
    db.session.flush()  # idempotency.run commits, with the Idempotency-Key record
    return batch.answer(accepted, len(rows) - accepted)
