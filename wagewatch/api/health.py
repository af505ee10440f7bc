"""GET /health: is the database reachable, and Redis when one is configured (no token needed)."""
import redis
from flask import current_app, jsonify
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from wagewatch.api.blueprint import bp
from wagewatch.extensions import db


def redis_state() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "absent"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return "ok"
    except (RedisError, OSError, ValueError):  # unreachable, refused, or a malformed REDIS_URL
        return "down"


@bp.get("/health", merge_slashes=False)
def health():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        db.session.rollback()
        database = "down"
    body = {"status": "ok" if database == "ok" else "down", "database": database, "redis": redis_state()}
    return jsonify(body), 200 if database == "ok" else 503
