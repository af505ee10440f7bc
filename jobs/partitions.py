"""The punches' monthly partitions (PostgreSQL): create the coming months ahead, archive the months past retention.

create_punch_partitions: nightly, keeps this Beijing month and the next AHEAD_MONTHS ready, so punches never land
in the default partition in normal running.
archive_old_punches (`flask punches archive`): months older than `attendance.punch_keep_months` (default 13)
are detached, dumped with COPY to `<archive dir>/punches_YYYY_MM.csv.gz` and dropped. 考勤日报, payrolls and
complaints stay. A month holding a punch the aggregation has not read yet (received after its watermark) is
refused and kept (checked under the detach's lock, then rolled back). Detaching commits on its own (a brief
lock on punches); the dump then runs without blocking intake, and a month a crash left detached is finished by
the next run.
"""
from pathlib import Path

from flask import current_app

from jobs import app_context
from wagewatch import partitions
from wagewatch.extensions import db
from wagewatch.settings import rule_settings


def create_punch_partitions(ahead: int = partitions.AHEAD_MONTHS) -> dict:
    with app_context():
        created = partitions.ensure(db.session.connection(), ahead=ahead)
        db.session.commit()
        return {"created": created}


def archive_dir() -> Path:
    configured = current_app.config.get("PUNCH_ARCHIVE_DIR")
    return Path(configured) if configured else Path(current_app.config["EXPORT_DIR"]).parent / "punch-archive"


def archive_old_punches(directory: str | None = None, keep_months: int | None = None) -> dict:
    """Returns {"archived": [(name, file, rows)], "refused": [name]} — empty on SQLite (one table, no months)."""
    from jobs.aggregation import watermark

    with app_context():
        conn = db.session.connection()
        if not partitions.is_postgresql(conn):
            return {"archived": [], "refused": [], "skipped": "SQLite 不分区"}
        keep = keep_months or int(rule_settings()["attendance.punch_keep_months"])
        target = Path(directory) if directory else archive_dir()
        mark = watermark()
        archived, refused = [], []
        for first in partitions.old_months(conn, keep):
            name = partitions.name_of(first)
            if partitions.partitions(conn).get(name):
                # Checked after DETACH, in its transaction: the lock it holds lets no punch in between.
                partitions.detach(conn, first)
                if partitions.unaggregated(conn, first, mark):
                    db.session.rollback()
                    refused.append(name)
                    conn = db.session.connection()
                    continue
                db.session.commit()
                conn = db.session.connection()
            path, rows = partitions.dump(conn, first, target)
            partitions.drop(conn, first)
            db.session.commit()
            conn = db.session.connection()
            archived.append((name, str(path), rows))
        return {"archived": archived, "refused": refused}
