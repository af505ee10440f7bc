"""GET /ready: schema revision, rq workers and the age of the last successful nightly aggregation."""
from datetime import datetime, timedelta, timezone

from wagewatch.extensions import db
from wagewatch.models import AggregationRun
from wagewatch.ops import expected_revision


def succeeded(hours_ago: float, now: datetime) -> None:
    at = now - timedelta(hours=hours_ago)
    db.session.add(AggregationRun(mode="incremental", status="succeeded", started_at=at, finished_at=at, until=at))
    db.session.commit()


def test_a_stalled_night_is_visible(app, client, frozen_clock):
    now = frozen_clock.set(datetime(2026, 11, 29, 2, 0, tzinfo=timezone.utc))
    body = client.get("/ready").get_json()
    assert body["nightly"] == {"last_success": None, "age_hours": None, "ok": False}
    succeeded(30, now)
    response = client.get("/ready")
    assert response.status_code == 503 and response.get_json()["status"] == "degraded"
    assert response.get_json()["nightly"]["age_hours"] == 30.0


def test_schema_revision_is_compared_with_the_code(app, client, frozen_clock):
    now = frozen_clock.set(datetime(2026, 11, 29, 2, 0, tzinfo=timezone.utc))
    succeeded(1, now)
    schema = client.get("/ready").get_json()["schema"]
    assert schema["expected"] == expected_revision() == "0001"
    assert schema["ok"] is (schema["revision"] == "0001")


def test_workers_in_process_without_redis(app, client):
    assert client.get("/ready").get_json()["workers"] == {"mode": "in-process", "count": 0, "ok": True}


def test_workers_counted_on_redis(app, client, redis_url, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    monkeypatch.setitem(app.config, "RQ_QUEUE_PREFIX", "ready-test-")
    workers = client.get("/ready").get_json()["workers"]
    assert workers == {"mode": "rq", "count": 0, "ok": False}
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    assert client.get("/ready").get_json()["workers"]["error"] == "Redis unreachable"
