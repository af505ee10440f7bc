"""POST /projects/{code}/workers: roster entries (人员信息), natural key (project, ID number, joined_on)."""
from sqlalchemy import func, select

from wagewatch import crypto
from wagewatch.api import schemas
from wagewatch.api.auth import endpoint
from wagewatch.api.batches import Batch
from wagewatch.api.blueprint import bp
from wagewatch.api.body import batch_body
from wagewatch.api.bulk import insert_for, insert_ignore, upsert
from wagewatch.api.lookups import project_or_404
from wagewatch.extensions import db
from wagewatch.masking import mask_id
from wagewatch.models import Employment, Enterprise, Team, Worker
from wagewatch.realname.compute import refresh as refresh_realname
from wagewatch.validators import birth_date_of, gender_of

ENTRY = ["team_id", "trade_code", "role", "contract_signed", "left_on"]


def save_workers(entries: list[dict]) -> dict[str, int]:
    """Insert new people and refresh name/phone of known ones; returns {ID hash: worker id}."""
    people = {}
    for values in entries:
        people[crypto.lookup_hash(values["id_number"])] = values
    rows = [{"id_number_hash": digest, "id_number_enc": crypto.encrypt(v["id_number"]),
             "id_number_masked": mask_id(v["id_number"]), "name": v["name"], "phone": v["phone"],
             "gender": gender_of(v["id_number"]), "birth_date": birth_date_of(v["id_number"])}
            for digest, v in people.items()]
    for part in (rows[i:i + 1000] for i in range(0, len(rows), 1000)):
        stmt = insert_for(Worker).values(part)
        stmt = stmt.on_conflict_do_update(index_elements=["id_number_hash"], set_={
            "name": stmt.excluded.name, "phone": func.coalesce(stmt.excluded.phone, Worker.phone)})
        db.session.execute(stmt)
    return ids_by_hash(list(people))


def ids_by_hash(hashes: list[str]) -> dict[str, int]:
    found = {}
    for start in range(0, len(hashes), 1000):
        part = hashes[start:start + 1000]
        found.update(db.session.execute(select(Worker.id_number_hash, Worker.id).where(
            Worker.id_number_hash.in_(part))).all())
    return found


def people_before(entries: list[dict]) -> dict[str, tuple]:
    """{ID hash: (name, phone)} of the people already known, read before the batch changes them."""
    hashes = list({crypto.lookup_hash(v["id_number"]) for v in entries})
    found = {}
    for start in range(0, len(hashes), 1000):
        found.update((h, (n, p)) for h, n, p in db.session.execute(select(
            Worker.id_number_hash, Worker.name, Worker.phone).where(Worker.id_number_hash.in_(hashes[start:start + 1000]))))
    return found


def same_person(stored: tuple | None, values: dict) -> bool:
    """Does this item leave the stored (name, phone) as they are? (A missing phone keeps the old one.)"""
    return stored is not None and stored[0] == values["name"] and values["phone"] in (None, stored[1])


def save_teams(project_id: int, entries: list[dict]) -> dict[str, int]:
    subs = {v["subcontractor"]["uscc"]: v["subcontractor"]["name"] for v in entries if v["subcontractor"]}
    insert_ignore(Enterprise, [{"uscc": u, "name": n} for u, n in subs.items()])
    sub_ids = dict(db.session.execute(select(Enterprise.uscc, Enterprise.id).where(
        Enterprise.uscc.in_(list(subs)))).all()) if subs else {}
    names = {v["team"]: v["subcontractor"] for v in entries if v["team"]}
    insert_ignore(Team, [{"project_id": project_id, "name": n} for n in names])
    teams = {t.name: t for t in db.session.scalars(select(Team).where(
        Team.project_id == project_id, Team.name.in_(list(names))))} if names else {}
    for name, sub in names.items():
        if sub and teams[name].subcontractor_id != sub_ids[sub["uscc"]]:
            teams[name].subcontractor_id = sub_ids[sub["uscc"]]
    return {name: team.id for name, team in teams.items()}


@bp.post("/projects/<code>/workers", merge_slashes=False)
@endpoint("workers")
def add_workers(code):
    project = project_or_404(code, lock=True)  # one roster batch per project at a time: counts stay exact
    batch = Batch(batch_body(), schemas.roster_item)
    latest = {}  # a repeat of one natural key inside the batch: the later item wins
    for _index, values in batch.good:
        latest[(values["id_number"], values["joined_on"])] = values
    repeats = len(batch.good) - len(latest)
    entries = list(latest.values())
    known = people_before(entries)
    workers, teams = save_workers(entries), save_teams(project.id, entries)
    rows = [{"project_id": project.id, "worker_id": workers[crypto.lookup_hash(v["id_number"])],
             "joined_on": v["joined_on"], "team_id": teams.get(v["team"]), "trade_code": v["trade_code"],
             "role": v["role"], "contract_signed": v["contract_signed"], "left_on": v["left_on"]}
            for v in entries]
    before = {(e.worker_id, e.joined_on): tuple(getattr(e, c) for c in ENTRY) for e in db.session.scalars(
        select(Employment).where(Employment.project_id == project.id,
                                 Employment.worker_id.in_({r["worker_id"] for r in rows})))} if rows else {}
    unchanged = sum(1 for r, v in zip(rows, entries)
                    if before.get((r["worker_id"], r["joined_on"])) == tuple(r[c] for c in ENTRY)
                    and same_person(known.get(crypto.lookup_hash(v["id_number"])), v))
    upsert(Employment, rows, ["project_id", "worker_id", "joined_on"], ENTRY)
    refresh_realname([project.id])  # R1's stored verdict changes with the roster, in the same transaction
    db.session.flush()  # idempotency.run commits, with the Idempotency-Key record
    return batch.answer(len(rows) - unchanged, unchanged + repeats)
