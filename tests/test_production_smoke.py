"""The production set, started for real by scripts/production.sh and driven over HTTP.

gunicorn, an rq worker and rq cron run against a fresh PostgreSQL database and a Redis server of this test's own
(so stopping it disturbs nothing else). A regulator signs in, opens every screen, runs an export to completion
through the worker; every scheduled job is run by hand on the worker; then Redis stops: pages keep serving, a new
export says it cannot start now, nothing accepted is lost; Redis comes back and exports run again without the
web processes being restarted.
"""
import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_ADMIN_URL, _pg_reachable, unavailable

pytestmark = [pytest.mark.slow, pytest.mark.pg, pytest.mark.redis]
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Xj-Prod-Smoke-2026!"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Redis:
    """A redis-server of our own on a free port, keeping nothing on disk."""

    def __init__(self, workdir: Path):
        self.port, self.workdir, self.process = free_port(), workdir, None

    def start(self):
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no",
                                         "--dir", str(self.workdir)], stdout=subprocess.DEVNULL)
        wait_for(lambda: _connects(self.port), "redis-server")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def _connects(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def wait_for(check, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


class Browser:
    """A cookie-keeping HTTP client. The session cookie is Secure in production; behind the TLS proxy it comes
    back over https, so this client returns it by hand on the loopback connection."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None):
        from urllib.parse import urlencode

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), data

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, form)

    def csrf(self, path: str) -> str:
        _status, _headers, data = self.get(path)
        return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', data).group(1).decode()


@pytest.fixture
def production(tmp_path):
    if not _pg_reachable():
        unavailable("PostgreSQL is not reachable at 127.0.0.1:5432")
    if not shutil.which("redis-server"):
        unavailable("redis-server is not installed")
    name = f"wagewatch_prod_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    redis = Redis(tmp_path)
    redis.start()
    port = free_port()
    env = {**os.environ, "WAGEWATCH_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(32),
           "WAGEWATCH_DATA_KEY": secrets.token_urlsafe(32), "DATABASE_URL": PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name,
           "REDIS_URL": redis.url, "EXPORT_DIR": str(tmp_path / "exports"), "WAGEWATCH_BIND": f"127.0.0.1:{port}",
           "WAGEWATCH_RUN_DIR": str(tmp_path / "run"), "RQ_WORKERS": "1", "WEB_CONCURRENCY": "2",
           "WAGEWATCH_PASSWORD": PASSWORD}
    env.pop("RATELIMIT_STORAGE_URI", None)
    script = [str(ROOT / "scripts" / "production.sh")]

    def run(*args, check=True):
        result = subprocess.run(script + list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def flask(*args):
        result = subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    try:
        run("migrate")
        flask("user", "create", "smoke_viewer", "--region", "652328", "--kind", "hr", "--role", "viewer")
        run("start", "--cron")
        wait_for(lambda: _connects(port), "gunicorn")
        yield {"port": port, "redis": redis, "run": run, "flask": flask, "env": env, "logs": tmp_path / "run"}
    finally:
        run("stop", check=False)
        if redis.process and redis.process.poll() is None:
            redis.stop()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def sign_in(port: int) -> Browser:
    browser = Browser(port)
    token = browser.csrf("/auth/login")
    status, headers, _ = browser.post("/auth/login", {"csrf_token": token, "username": "smoke_viewer",
                                                      "password": PASSWORD})
    assert status in (302, 303), status
    return browser


def export(browser: Browser) -> tuple[int, str]:
    status, headers, body = browser.post("/exports", {"csrf_token": browser.csrf("/exports"), "kind": "projects"})
    return status, headers.get("Location", "") or body.decode("utf-8", "replace")


def test_production_set_serves_exports_and_survives_redis_going_away(production):
    from wagewatch.navigation import leaves

    browser = sign_in(production["port"])
    for item in leaves():
        status, _headers, body = browser.get(item.path)
        assert status in (200, 403), (item.path, status)  # 403: 系统管理 screens are for administrators
        assert b"Traceback" not in body

    status, location = export(browser)
    assert status == 303, location
    export_id = int(location.rstrip("/").rsplit("/", 1)[1])
    wait_for(lambda: b"\xe4\xb8\x8b\xe8\xbd\xbd" in browser.get(f"/exports/{export_id}/status")[2],  # 下载
             "the export to be built by the rq worker", 120)
    status, headers, data = browser.get(f"/exports/{export_id}/download")
    assert status == 200 and data[:2] == b"PK"

    jobs = subprocess.run([sys.executable, "-c", RUN_SCHEDULED_JOBS], cwd=ROOT, env=production["env"],
                          capture_output=True, text=True, timeout=600)
    assert jobs.returncode == 0 and "all scheduled jobs finished" in jobs.stdout, jobs.stdout + jobs.stderr
    status, _headers, body = browser.get("/ready")
    assert b'"schema"' in body and b'"nightly"' in body

    production["redis"].stop()
    assert browser.get("/projects/approvals")[0] == 200  # pages keep serving without Redis
    status, location = export(browser)
    assert status == 303, location  # without JavaScript: to the export's page, which says why
    assert "现在无法开始" in browser.get(location)[2].decode()
    assert browser.get(f"/exports/{export_id}/download")[0] == 200  # what was accepted is not lost

    production["redis"].start()
    production["run"]("start", "--cron")  # the supervisor's job: restart whatever exited with Redis
    status, location = export(browser)
    assert status == 303, location
    again = int(location.rstrip("/").rsplit("/", 1)[1])
    wait_for(lambda: b"\xe4\xb8\x8b\xe8\xbd\xbd" in browser.get(f"/exports/{again}/status")[2],
             "an export after Redis came back", 120)


# Every job of the nightly schedule, enqueued on the real queue and run by the real worker.
RUN_SCHEDULED_JOBS = """
import time
from rq import Queue, cron
from redis import Redis
import os
import jobs.schedule
redis = Redis.from_url(os.environ["REDIS_URL"])
queue = Queue("nightly", connection=redis)
started = [queue.enqueue(e["func"], *(e["args"] or ()), **(e["kwargs"] or {})) for e in cron._job_data_registry]
deadline = time.monotonic() + 500
while time.monotonic() < deadline and any(j.get_status(refresh=True) not in ("finished", "failed") for j in started):
    time.sleep(0.5)
failed = [(j.func_name, j.get_status(), j.latest_result() and j.latest_result().exc_string) for j in started
          if j.get_status() != "finished"]
assert not failed, failed
print("all scheduled jobs finished:", ", ".join(j.func_name for j in started))
"""

