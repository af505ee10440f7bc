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
    """Insert rows, skipping those that collide with a unique key; returns how many were new.

    One cached single-row statement executed over all rows: SQLAlchemy's "insertmanyvalues" batches it
    into multi-row INSERTs itself, without compiling a fresh 1,000-row statement for every request.
    """
    if not rows:
        return 0
    stmt = insert_for(model.__table__).on_conflict_do_nothing()
    connection = db.session.connection()
    if returning is None:
        connection.execute(stmt, rows)
        return 0
    return len(connection.execute(stmt.returning(returning), rows).all())


def upsert(model, rows: list[dict], keys: list[str], update: list[str]) -> None:
    """Insert rows or update the given columns of the row with the same natural key."""
    for part in chunks(rows):
        stmt = insert_for(model).values(part)
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_={c: stmt.excluded[c] for c in update})
        db.session.execute(stmt)
