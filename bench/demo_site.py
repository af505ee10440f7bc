"""The browser benches' site: the demo data set on SQLite served by gunicorn on a free loopback port, with a
signed-in session cookie per role and the list of every screen (the navigation's leaves) each role opens."""
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
SECRET = "bench-site-" + secrets.token_hex(16)
ROLES = ("reviewer", "sysadmin", "secadmin", "auditor")
BASELINE = "/auth/login"  # the bare page: no data, no session, the same frame and static files


def _config(db_path: Path) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": SECRET, "WAGEWATCH_DATA_KEY": "bench",
            "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://", "SECOND_FACTOR_ENFORCED": False,
            "EXPORT_DIR": str(db_path.parent / "exports"), "PASSWORD_HASH_FAST": True}


def build(db_path: Path, scale: float) -> dict:
    """Build the demo data set and one user and server-side session per role; return role → session cookie."""
    from wagewatch import create_app
    from wagewatch.demo import build_demo
    from wagewatch.extensions import db
    from wagewatch.models import UserSession
    from wagewatch.reference import load_all
    from wagewatch.users import create_user, find_org

    app = create_app(_config(db_path))
    cookies = {}
    with app.app_context():
        db.create_all()
        load_all()
        build_demo(scale, seed=11)
        serializer = app.session_interface.get_signing_serializer(app)
        for role in ROLES:
            user = create_user(f"bench-{role}", "Bench-Pass-2026!", find_org("650000", "hr", None), role)
            record = UserSession(id=secrets.token_urlsafe(32), user_id=user.id, address="127.0.0.1")
            db.session.add(record)
            db.session.commit()
            value = serializer.dumps({"sid": record.id, "_user_id": str(user.id), "_fresh": True,
                                      "_permanent": True})
            cookies[role] = f"{app.config['SESSION_COOKIE_NAME']}={value}"
        db.session.remove()
        db.engine.dispose()
    return cookies


def screens(role: str) -> list[str]:
    from wagewatch.navigation import leaves

    return [leaf.path for leaf in leaves() if role in leaf.roles]


def every_screen() -> list[tuple[str, str]]:
    """(role, path) for every screen of the navigation, each opened by a role that may see it."""
    seen, pairs = set(), []
    for role in ROLES:
        for path in screens(role):
            if path not in seen:
                seen.add(path)
                pairs.append((role, path))
    return pairs


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(db_path: Path):
    """gunicorn (2 workers) on a free loopback port serving the data set; yields the base URL."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "SECRET_KEY": SECRET,
           "WAGEWATCH_DATA_KEY": "bench", "WAGEWATCH_SECOND_FACTOR": "optional", "REDIS_URL": "",
           "RATELIMIT_STORAGE_URI": "memory://", "EXPORT_DIR": str(db_path.parent / "exports"),
           "WAGEWATCH_ENV": "development", "WAGEWATCH_LOGIN_RATE_LIMIT": "1000 per minute"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen([str(gunicorn), "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}",
                                "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + BASELINE, timeout=2).read()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("gunicorn exited") from None
                time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def demo_site(scale: float):
    """Build, serve, and hand over (base URL, role → cookie); everything is thrown away afterwards."""
    with tempfile.TemporaryDirectory(prefix="wagewatch-site-") as tmp:
        db_path = Path(tmp) / "demo.sqlite3"
        started = time.perf_counter()
        cookies = build(db_path, scale)
        print(f"demo data set (scale {scale}) on SQLite built in {time.perf_counter() - started:.1f} s", flush=True)
        with served(db_path) as base:
            yield base, cookies
