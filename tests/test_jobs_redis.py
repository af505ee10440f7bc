"""Jobs on real Redis: a dead Redis never gives a 500, and a worker killed mid-export never leaves 生成中."""
import os
import signal
import subprocess
import sys
import time
import uuid
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select, text

from tests.conftest import PASSWORD, make_user
from wagewatch.extensions import db
from wagewatch.models import ExportJob

ROOT = Path(__file__).resolve().parent.parent
RQ = str(Path(sys.executable).with_name("rq"))
JOBS_DB = 13  # not db 15 that other suites flush: these tests flush their own database


def test_dead_redis_says_cannot_start_and_pages_keep_working(app, client, hx, login, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(app.extensions, "jobs_inline", False)
    login(role="viewer")
    response = hx.post("/exports", data={"kind": "projects"})
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "现在无法开始" in html and "hx-trigger" not in html
    export = db.session.scalars(select(ExportJob)).one()
    assert export.status == "failed" and "稍后再试" in export.error
    no_js = client.post("/exports", data={"kind": "projects"})
    assert no_js.status_code == 303
    assert "现在无法开始" in client.get(no_js.headers["Location"]).get_data(as_text=True)
    for url in ("/", "/exports", "/help"):
        assert client.get(url).status_code == 200


@pytest.fixture
def jobs_redis(redis_url):
    import redis

    url = redis_url.rsplit("/", 1)[0] + f"/{JOBS_DB}"
    connection = redis.Redis.from_url(url)
    connection.flushdb()
    yield url
    connection.flushdb()


def add_projects(count: int) -> None:
    """Many projects in one statement: the export must stream them, not build them one by one."""
    from tests.factories import ProjectFactory

    template = ProjectFactory(review_status="approved", status="in_progress", name="模板工程")
    db.session.execute(text(
        "INSERT INTO projects (code, name, address, funding, contract_amount, registered_on, owner_id, "
        "contractor_id, hr_org_id, industry_org_id, review_status, status, payday, deposit_form, region_code, "
        "prefecture_code, industry, created_at, updated_at) "
        "SELECT 'B' || lpad(n::text, 12, '0'), '批量工程' || n, address, funding, contract_amount, registered_on, "
        "owner_id, contractor_id, hr_org_id, industry_org_id, review_status, status, payday, deposit_form, "
        "region_code, prefecture_code, industry, created_at, updated_at "
        "FROM projects, generate_series(1, :n) AS n WHERE projects.id = :id"), {"n": count - 1, "id": template.id})
    db.session.commit()


def start_worker(app, redis_url: str, queue: str, *extra) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": redis_url,
           "SECRET_KEY": app.config["SECRET_KEY"], "WAGEWATCH_DATA_KEY": app.config["WAGEWATCH_DATA_KEY"],
           "EXPORT_DIR": app.config["EXPORT_DIR"], "RATELIMIT_STORAGE_URI": "memory://"}
    return subprocess.Popen([RQ, "worker", "--url", redis_url, "--job-monitoring-interval", "2", *extra, queue],
                            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in (task / "children").read_text().split():
            found += [int(child), *descendants(int(child))]
    return found


def kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    """Signal the worker and its work horse (rq puts the horse in a session of its own)."""
    if process.poll() is None:
        children = descendants(process.pid)
        os.killpg(process.pid, sig)
        for child in children:
            try:
                os.kill(child, sig)
            except ProcessLookupError:
                pass
        process.wait(timeout=30)


def current(export_id: int) -> ExportJob:
    db.session.expire_all()
    return db.session.get(ExportJob, export_id)


def wait_for(predicate, seconds: float, step: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(step)
    return None


def wait_while_progressing(export_id: int, stalled_after: float, cap: float) -> ExportJob:
    """Wait for an export to finish. A loaded machine only slows it down, so the deadline moves on while the
    export makes progress (a new attempt or more rows); it gives up when nothing moved for `stalled_after`
    seconds, or after `cap` seconds in all."""
    start = last_change = time.monotonic()
    seen = None
    while True:
        export = current(export_id)
        if export.status in ("done", "failed"):
            return export
        now = time.monotonic()
        if (export.status, export.attempts, export.rows) != seen:
            seen, last_change = (export.status, export.attempts, export.rows), now
        if now - last_change > stalled_after or now - start > cap:
            return export
        time.sleep(0.5)


@pytest.mark.redis
@pytest.mark.pg
@pytest.mark.slow
def test_worker_killed_mid_export_is_retried_to_completion(pg_app, jobs_redis, monkeypatch):
    prefix = f"wwtest_{uuid.uuid4().hex[:8]}_"
    monkeypatch.setitem(pg_app.config, "REDIS_URL", jobs_redis)
    monkeypatch.setitem(pg_app.config, "RQ_QUEUE_PREFIX", prefix)
    monkeypatch.setitem(pg_app.extensions, "jobs_inline", False)
    total = 60_000
    add_projects(total)
    make_user("exporter", role="viewer")
    client = pg_app.test_client()
    assert client.post("/auth/login", data={"username": "exporter", "password": PASSWORD}).status_code == 302

    first = start_worker(pg_app, jobs_redis, prefix + "exports")
    second = None
    try:
        response = client.post("/exports", data={"kind": "projects"},
                               headers={"HX-Request": "true", "HX-Request-Type": "partial"})
        assert response.status_code == 200 and "hx-trigger" in response.get_data(as_text=True)
        export_id = db.session.scalars(select(ExportJob.id)).one()
        # Generous: under load, a worker needs a while to import the app before it takes the job.
        running = wait_for(lambda: (e := current(export_id)).status == "running" and e.rows >= 1000 and e, 240)
        assert running, "the export never started on the worker"
        kill(first)
        killed = current(export_id)
        assert killed.status == "running" and killed.rows < total  # killed in the middle
        # A second worker's maintenance finds the abandoned job once its heartbeat lapses and rq retries it;
        # build_export sees the dead attempt's 'running' row and starts the file over.
        second = start_worker(pg_app, jobs_redis, prefix + "exports", "--maintenance-interval", "5",
                              "--worker-ttl", "20")
        # rq gives up on the dead horse when its heartbeat lapses (job monitoring interval + 60 s); nothing is
        # written meanwhile, so a stall up to 240 s is allowed before the retried attempt shows progress.
        finished = wait_while_progressing(export_id, stalled_after=240, cap=900)
        assert finished.status in ("done", "failed"), \
            f"export stuck at {finished.status} {finished.rows} 行 (attempt {finished.attempts})"
        assert finished.status == "done", finished.error
        assert finished.rows == total and finished.attempts == 2
        status = client.get(f"/exports/{export_id}/status").get_data(as_text=True)
        assert "完成" in status and "hx-trigger" not in status
        download = client.get(f"/exports/{export_id}/download")
        rows = openpyxl.load_workbook(BytesIO(download.data), read_only=True).active.max_row
        assert rows == total + 1
    finally:
        kill(first)
        if second is not None:
            kill(second, signal.SIGTERM)


@pytest.mark.redis
@pytest.mark.pg
def test_enqueue_names_queue_and_retries(pg_app, jobs_redis, monkeypatch):
    from redis import Redis
    from rq import Queue

    from jobs.exports import build_export, export_failed
    from wagewatch.jobs_runner import enqueue

    monkeypatch.setitem(pg_app.config, "REDIS_URL", jobs_redis)
    monkeypatch.setitem(pg_app.config, "RQ_QUEUE_PREFIX", "wwtest_")
    monkeypatch.setitem(pg_app.extensions, "jobs_inline", False)
    outcome = enqueue("exports", build_export, 12345, on_failure=export_failed)
    assert outcome.started and not outcome.inline
    job = Queue("wwtest_exports", connection=Redis.from_url(jobs_redis)).fetch_job(outcome.job_id)
    assert job.func_name == "jobs.exports.build_export" and job.args == (12345,)
    assert job.retries_left == 3
    with pytest.raises(ValueError):
        enqueue("default", build_export, 1)
