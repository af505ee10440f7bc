"""Set-based writes for batches: INSERT … ON CONFLICT on PostgreSQL and SQLite alike."""
from sqlalchemy.dialects import postgresql, sqlite

from wagewatch.extensions import db

CHUNK = 1000  # 1,000 rows × a handful of columns stays far below both databases' parameter limits


def insert_for(model):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def chunks(rows: list, size: int = CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def insert_ignore(model, rows: list[dict], returning=None) -> int:
    """Insert rows, skipping those that collide with a unique key; returns how many were new."""
    inserted = 0
    for part in chunks(rows):
        stmt = insert_for(model).values(part).on_conflict_do_nothing()
        if returning is not None:
            inserted += len(db.session.execute(stmt.returning(returning)).all())
        else:
            db.session.execute(stmt)
    return inserted


def upsert(model, rows: list[dict], keys: list[str], update: list[str]) -> None:
    """Insert rows or update the given columns of the row with the same natural key."""
    for part in chunks(rows):
        stmt = insert_for(model).values(part)
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_={c: stmt.excluded[c] for c in update})
        db.session.execute(stmt)
