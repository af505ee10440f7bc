"""Workers by ID number: encryption, keyed-hash lookup and masking in one place."""
from sqlalchemy import select

from wagewatch import crypto
from wagewatch.extensions import db
from wagewatch.masking import mask_id
from wagewatch.models import Worker
from wagewatch.validators import birth_date_of, gender_of, normalize_id_number


def find_worker(id_number: str) -> Worker | None:
    digest = crypto.lookup_hash(normalize_id_number(id_number))
    return db.session.scalars(select(Worker).where(Worker.id_number_hash == digest)).one_or_none()


def new_worker(id_number: str, name: str, phone: str | None = None) -> Worker:
    """A Worker for a validated ID number (the caller validated it); not yet added to the session."""
    id_number = normalize_id_number(id_number)
    return Worker(id_number_enc=crypto.encrypt(id_number), id_number_hash=crypto.lookup_hash(id_number),
                  id_number_masked=mask_id(id_number), name=name, phone=phone,
                  gender=gender_of(id_number), birth_date=birth_date_of(id_number))


def upsert_worker(id_number: str, name: str, phone: str | None = None) -> Worker:
    worker = find_worker(id_number)
    if worker is None:
        worker = new_worker(id_number, name, phone)
        db.session.add(worker)
    else:
        worker.name = name
        worker.phone = phone or worker.phone
    return worker


def id_number_of(worker: Worker) -> str:
    return crypto.decrypt(worker.id_number_enc)
