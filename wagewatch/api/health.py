"""GET /health: is the database reachable, and Redis when one is configured (no token needed)."""
from flask import current_app, jsonify
from sqlalchemy import text

from wagewatch.api.blueprint import bp
from wagewatch.extensions import db


def redis_state() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "absent"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return "ok"
    except Exception:
        return "down"


@bp.get("/health", merge_slashes=False)
def health():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:
        db.session.rollback()
        database = "down"
    body = {"status": "ok" if database == "ok" else "down", "database": database, "redis": redis_state()}
    return jsonify(body), 200 if database == "ok" else 503
