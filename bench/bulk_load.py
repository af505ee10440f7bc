"""Bulk loading the region-scale set on PostgreSQL: defer the big tables' secondary indexes and constraints, and
spread independent statements over both cores.

Maintaining three or four B-trees and two foreign-key triggers row by row costs several times the rows themselves;
one sorted CREATE INDEX per index after the load, and one anti-join per foreign key, cost a fraction of it. The
indexes and constraints are read from the catalog before they are dropped, so what is rebuilt is exactly the
schema's own (the primary keys stay: appending to them is cheap).
"""
import itertools
import queue
import threading

from sqlalchemy import text

WORKERS = 2  # this machine's cores: PostgreSQL runs one statement per backend on one core

CONSTRAINTS = """
SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = CAST(:table AS regclass) AND contype IN ('u', 'f') AND conparentid = 0"""

INDEXES = """
SELECT pg_get_indexdef(i.indexrelid), CAST(CAST(i.indexrelid AS regclass) AS text) FROM pg_index i
WHERE i.indrelid = CAST(:table AS regclass) AND NOT i.indisprimary
  AND i.indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE contype IN ('u', 'p', 'x'))"""

# Every index of the table and of its partitions, with its validity: what the rebuilt schema must equal.
ALL_INDEXES = """
SELECT CAST(CAST(i.indrelid AS regclass) AS text), pg_get_indexdef(i.indexrelid), i.indisvalid FROM pg_index i
WHERE i.indrelid = CAST(:table AS regclass)
   OR i.indrelid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = CAST(:table AS regclass))"""


def in_parallel(engine, tasks, workers: int = WORKERS, setup: tuple[str, ...] = ()) -> list:
    """Run callables `task(connection)` on `workers` connections of their own, each task in its own transaction;
    returns their results in order. The first failure is raised once every worker has stopped."""
    pending: queue.Queue = queue.Queue()
    for index, task in enumerate(tasks):
        pending.put((index, task))
    results, errors = [None] * len(tasks), []

    def work():
        try:
            with engine.connect() as connection:
                for statement in setup:
                    connection.execute(text(statement))
                while not errors:
                    try:
                        index, task = pending.get_nowait()
                    except queue.Empty:
                        return
                    results[index] = task(connection)
                    connection.commit()
        except Exception as error:  # noqa: BLE001 - handed to the caller below (the connection rolls back)
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def defer_indexes(engine, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """Drop the tables' secondary indexes, unique and foreign-key constraints; returns (table, statement) pairs
    that rebuild them."""
    rebuild = []
    with engine.begin() as connection:
        for table in tables:
            for name, definition in connection.execute(text(CONSTRAINTS), {"table": table}).all():
                connection.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
                rebuild.append((table, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
            for definition, name in connection.execute(text(INDEXES), {"table": table}).all():
                connection.execute(text(f"DROP INDEX {name}"))
                # A partitioned table's index reads "ON ONLY parent": replayed as is, it would index no partition.
                rebuild.append((table, definition.replace(" ON ONLY ", " ON ", 1)))
    return rebuild


def schema_of(engine, tables: tuple[str, ...]) -> set:
    """The constraints and every index of the tables and their partitions (with validity): the rebuilt schema
    must equal the one deferred."""
    with engine.connect() as connection:
        found = set()
        for table in tables:
            found |= {("constraint", table, *row) for row in connection.execute(text(CONSTRAINTS), {"table": table})}
            found |= {("index", *row) for row in connection.execute(text(ALL_INDEXES), {"table": table})}
        return found


def rebuild_indexes(engine, statements: list[tuple[str, str]]) -> int:
    """Run the statements defer_indexes returned on both cores, alternating between the tables: most statements
    on one table wait for each other's lock (a new foreign key locks out index builds and other keys on its
    table, so the keys come last on each table)."""
    by_table: dict[str, list[str]] = {}
    for table, sql in statements:
        by_table.setdefault(table, []).append(sql)
    queues = [sorted(sqls, key=lambda sql: " FOREIGN KEY " in sql) for sqls in by_table.values()]
    ordered = [sql for round_ in itertools.zip_longest(*queues) for sql in round_ if sql]
    in_parallel(engine, [lambda connection, sql=sql: connection.execute(text(sql)) for sql in ordered],
                setup=("SET maintenance_work_mem = '1GB'", "SET max_parallel_maintenance_workers = 0"))
    return len(ordered)
