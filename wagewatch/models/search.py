"""Trigram (pg_trgm) GIN indexes for the "contains" searches on names: built on PostgreSQL only.

`trigram_index("ix_workers_name_trgm", "name")` goes in a model's __table_args__. The index is skipped on
other dialects (SQLite scans; its tables are small), the extension is created before `create_all` on
PostgreSQL, the initial migration calls `create_indexes(op)` / `drop_indexes(op)`, and Alembic compares
them through `include_object_for(dialect)` so SQLite and PostgreSQL schemas both match the models.
"""
from sqlalchemy import DDL, Index, event

from wagewatch.extensions import db

EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"

event.listen(db.metadata, "before_create", DDL(EXTENSION).execute_if(dialect="postgresql"))


def trigram_index(name: str, column: str) -> Index:
    """A GIN index with gin_trgm_ops on one text column, so `ILIKE '%text%'` uses an index on PostgreSQL."""
    index = Index(name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"})
    return index.ddl_if(dialect="postgresql")


def _dialect_of(index) -> str | None:
    condition = getattr(index, "_ddl_if", None)
    return getattr(condition, "dialect", None)


def trigram_indexes() -> list[Index]:
    return [index for table in db.metadata.sorted_tables for index in sorted(table.indexes, key=lambda i: i.name)
            if _dialect_of(index) == "postgresql"]


def create_indexes(op) -> None:
    """Called at the end of the initial migration's upgrade(): the extension and the indexes, PostgreSQL only."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(EXTENSION)
    for index in trigram_indexes():
        index.create(bind, checkfirst=True)


def drop_indexes(op) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for index in trigram_indexes():
        index.drop(bind, checkfirst=True)


def include_object_for(dialect: str):
    """An Alembic include_object hook that leaves out indexes built only on another dialect, and the punches'
    monthly partitions (wagewatch/partitions.py: tables of PostgreSQL's making, not models)."""
    from wagewatch.partitions import is_partition_name

    def include(obj, name, type_, reflected, compare_to):
        if type_ == "table" and reflected and compare_to is None and is_partition_name(name):
            return False
        if type_ == "index" and not reflected:
            wanted = _dialect_of(obj)
            return wanted is None or wanted == dialect
        return True
    return include
