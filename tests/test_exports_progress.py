"""Progress of a running export on PostgreSQL: written on a second connection while the rows stream, never
waiting for a lock that the export's own transaction holds (an export row without org_id once hung forever)."""
import threading

import pytest
from sqlalchemy import create_engine, select, text

from jobs import exports as export_jobs
from tests.conftest import make_user
from wagewatch.exports.registry import EXPORTS, ExportSpec
from wagewatch.extensions import db
from wagewatch.models import ExportJob

pytestmark = pytest.mark.pg


def _progress_seen_by_another_connection(url: str, export_id: int) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT rows FROM export_jobs WHERE id = :id"), {"id": export_id}).scalar()
    finally:
        engine.dispose()


def test_progress_of_an_export_without_org_id_never_waits_for_its_own_lock(pg_app, monkeypatch):
    user = make_user("bench", role="viewer")
    seen = []
    url = pg_app.config["SQLALCHEMY_DATABASE_URI"]

    def rows(_user, _params):
        for n in range(1, 8):
            if n == 6:  # two progress writes have happened: another connection must already see them
                export_id = db.session.scalars(select(ExportJob.id)).one()
                seen.append(_progress_seen_by_another_connection(url, export_id))
            yield (f"行{n}",)

    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(export_jobs, "PROGRESS_LOCK_TIMEOUT_MS", 60_000)  # a self-lock would outlast the test
    monkeypatch.setitem(EXPORTS, "progress", ExportSpec("progress", "进度", ("列",), rows, scope="region"))
    export = ExportJob(user_id=user.id, kind="progress", params={}, filename="进度.xlsx")  # no org_id
    db.session.add(export)
    db.session.commit()
    outcome, export_id = {}, export.id
    worker = threading.Thread(target=lambda: outcome.setdefault("status", _build(pg_app, export_id)), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "build_export hangs: its progress update waits for its own row lock"
    assert outcome["status"] == "done" and seen == [4]
    db.session.expire_all()
    export = db.session.get(ExportJob, export_id)
    assert export.rows == 7 and export.org_id == user.org_id


def _build(app, export_id: int) -> str:
    """As in a worker: its own app context and session."""
    with app.app_context():
        try:
            return export_jobs.build_export(export_id)
        finally:
            db.session.remove()
