"""GET /ready: whether this installation can serve and its background work is alive, for operators and probes.

Unlike the intake API's /api/v1/health (database and Redis reachable), readiness also says whether the schema
is the one this code expects, how many rq workers listen on the queues, and how old the last successful
nightly aggregation is — a night that silently stalled shows here as `degraded` (503) the next morning.
It names no business data, so it needs no login.
"""
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, current_app, jsonify
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from wagewatch import clock
from wagewatch.extensions import db
from wagewatch.jobs_runner import QUEUES, connection, queue_name
from wagewatch.models import AggregationRun

bp = Blueprint("ops", __name__)
NIGHTLY_STALE_AFTER = timedelta(hours=26)  # one missed 01:00 run plus slack
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def expected_revision() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def schema_state() -> dict:
    expected = expected_revision()
    try:
        found = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    except SQLAlchemyError:
        db.session.rollback()
        found = None
    return {"revision": found, "expected": expected, "ok": found == expected}


def workers_state() -> dict:
    if not current_app.config.get("REDIS_URL"):
        return {"mode": "in-process", "count": 0, "ok": True}
    from redis.exceptions import RedisError
    from rq import Worker

    try:
        with connection() as redis:
            names = {queue_name(q) for q in QUEUES}
            listening = [w for w in Worker.all(connection=redis) if names & set(w.queue_names())]
    except (RedisError, OSError):
        return {"mode": "rq", "count": 0, "ok": False, "error": "Redis unreachable"}
    return {"mode": "rq", "count": len(listening), "ok": bool(listening)}


def nightly_state() -> dict:
    last = db.session.scalar(select(AggregationRun.finished_at).where(AggregationRun.status == "succeeded")
                             .order_by(AggregationRun.finished_at.desc()).limit(1))
    if last is None:
        return {"last_success": None, "age_hours": None, "ok": False}
    age = clock.now() - last
    return {"last_success": last.isoformat(), "age_hours": round(age.total_seconds() / 3600, 1),
            "ok": age <= NIGHTLY_STALE_AFTER}


@bp.get("/ready")
def ready():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "down", "database": "down"}), 503
    body = {"database": "ok", "schema": schema_state(), "workers": workers_state(), "nightly": nightly_state()}
    healthy = all(part["ok"] for part in (body["schema"], body["workers"], body["nightly"]))
    body["status"] = "ok" if healthy else "degraded"
    return jsonify(body), 200 if healthy else 503
