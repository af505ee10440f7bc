"""gunicorn over the region-scale data set, its bench users and signed-in HTTP sessions: what the screen and load
benches share. The app runs as in production (scripts/gunicorn.conf.py, PostgreSQL, Redis when reachable, the
statement timeout) except WAGEWATCH_ENV=development, so that plain-http cookies are sent and the bench reviewers
sign in by password alone (WAGEWATCH_SECOND_FACTOR=optional is refused in production); the login rate limit is
raised because every simulated regulator signs in from 127.0.0.1."""
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Bench-Pass-2026!"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def busiest_county(app) -> str:
    from wagewatch.extensions import db

    with app.app_context():
        return db.session.scalar(text(
            "SELECT p.region_code FROM projects p JOIN regions r ON r.code = p.region_code WHERE r.level = 3 "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")) or "650102"


def ensure_users(app, wanted: dict[str, str]) -> None:
    """Create the bench reviewers (username → region code, 人社 org) unless a previous run left them. The
    password is hashed once at the real argon2 cost and that hash stored for all of them (signing in verifies
    at the stored hash's cost, as in production); hashing each of 200 accounts would take minutes here."""
    from wagewatch.auth.passwords import REAL
    from wagewatch.extensions import db
    from wagewatch.models import User
    from wagewatch.users import find_org

    with app.app_context():
        known = set(db.session.scalars(text("SELECT username FROM users WHERE username = ANY(:names)"),
                                       {"names": list(wanted)}))
        real_hash = REAL.hash(PASSWORD)
        for username, region in wanted.items():
            if username not in known:
                db.session.add(User(username=username, password_hash=real_hash, role="reviewer",
                                    org_id=find_org(region, "hr", None).id))
        db.session.commit()
        assert db.session.query(User).filter(User.username.in_(wanted)).count() == len(wanted)


def redis_url() -> str | None:
    url = os.environ.get("WAGEWATCH_BENCH_REDIS") or os.environ.get("WAGEWATCH_TEST_REDIS")
    if not url:
        return None
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return url
    except Exception:
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, workers: int = 2):
    """Yield (base URL, master pid) of gunicorn serving wsgi:app on a free loopback port; stop it afterwards."""
    port = free_port()
    log_dir = Path(tempfile.mkdtemp(prefix="wagewatch_gunicorn_"))
    env = {**os.environ, "DATABASE_URL": database_url, "WEB_CONCURRENCY": str(workers),
           "WAGEWATCH_BIND": f"127.0.0.1:{port}", "WAGEWATCH_ENV": "development",
           "WAGEWATCH_SECOND_FACTOR": "optional", "WAGEWATCH_COUNT_QUERIES": "1",
           "WAGEWATCH_LOGIN_RATE_LIMIT": "100000 per minute", "SECRET_KEY": secrets.token_urlsafe(32)}
    redis = redis_url()
    env.pop("REDIS_URL", None)
    env.pop("RATELIMIT_STORAGE_URI", None)
    if redis:
        env["REDIS_URL"] = redis
    log = open(log_dir / "gunicorn.log", "w")
    process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "scripts/gunicorn.conf.py",
                                "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    # A bench stopped with SIGTERM (kill, a test's timeout) still stops its gunicorn through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError("gunicorn exited: " + (log_dir / "gunicorn.log").read_text()[-3000:])
            try:
                if requests.get(base + "/auth/login", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 120 s")
            time.sleep(0.5)
        print(f"gunicorn {workers} workers at {base} (Redis {'on ' + redis if redis else 'off'}; "
              f"log {log_dir / 'gunicorn.log'})", flush=True)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def workers_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    import psutil

    try:
        return [child.memory_info().rss / 2**20 for child in psutil.Process(master_pid).children()]
    except psutil.Error:
        return []


def sign_in(base: str, username: str, session=None):
    """A requests-style session signed in through the login form (its CSRF token included)."""
    session = session or requests.Session()
    token = TOKEN.search(session.get(base + "/auth/login").text).group(1)
    answer = session.post(base + "/auth/login", data={"csrf_token": token, "username": username,
                                                      "password": PASSWORD}, allow_redirects=False)
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in of {username} answered {answer.status_code}")
    return session


def connection_count(database_url: str) -> int:
    """Connections PostgreSQL holds open to the data set's database right now (pg_stat_activity)."""
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                    "AND pid <> pg_backend_pid()"))
    finally:
        engine.dispose()
