"""Shared fixtures: app (SQLite), pg_app (PostgreSQL), any_app (both), client, hx, login, redis_url."""
import os
import secrets
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from wagewatch import create_app
from wagewatch.extensions import db as _db
from wagewatch.reference import load_all
from wagewatch.users import create_user, find_org

REFERENCE_TABLES = {"regions", "orgs", "trade_codes", "worker_roles", "rule_settings", "alembic_version"}
PG_ADMIN_URL = os.environ.get("WAGEWATCH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_TEST_URL = os.environ.get("WAGEWATCH_TEST_REDIS", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI") == "true"
PASSWORD = "Xj-Test-Pass-2026!"


def unavailable(reason: str):
    """Skip with a visible reason locally; in CI a missing service is a failure."""
    if IN_CI:
        pytest.fail(f"required service unavailable in CI: {reason}")
    pytest.skip(reason)


def base_config(tmp_path: Path, database_url: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "REDIS_URL": None,
        "EXPORT_DIR": str(tmp_path / "exports"),
        "LOGIN_RATE_LIMIT": "1000 per minute",
        # The login fixture signs in with a password only; tests/test_totp*.py switch enforcement on.
        "SECOND_FACTOR_ENFORCED": False,
        "SECOND_FACTOR_RATE_LIMIT": "1000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SECRET_KEY": "test-secret",
        "WAGEWATCH_DATA_KEY": "test-data-key",
        "PASSWORD_HASH_FAST": True,  # argon2 at full cost costs ~0.5 s a login; test_auth_cost keeps the real one
    }


def fresh_session_per_request(app) -> None:
    """Tests share one application context (and so one session) with the requests they make; in production each
    request starts with an empty session. Expiring what the test loaded gives every request fresh rows, so eager
    loads run as they do in production instead of meeting objects the test already loaded without them."""
    if not app.extensions.get("tests_fresh_session"):
        app.before_request(_db.session.expire_all)
        app.extensions["tests_fresh_session"] = True


def build_schema(app) -> None:
    with app.app_context():
        _db.create_all()
        load_all()


def wipe(app) -> None:
    """Empty every table but the reference data, so each test starts from the same state.

    Emptying costs per table (TRUNCATE ≈ 1 s for all of them on PostgreSQL on a busy machine), so one round trip
    first finds the few tables the last test actually filled, and only those are emptied.
    """
    with app.app_context():
        _db.session.rollback()
        tables = [t for t in reversed(_db.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
        probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables)
        filled = set(_db.session.scalars(text(probe)))
        if filled and _db.engine.dialect.name == "postgresql":
            _db.session.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in sorted(filled))
                                     + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                if table.name in filled:
                    _db.session.execute(table.delete())
        _db.session.commit()
        _db.session.remove()


@pytest.fixture(scope="session")
def sqlite_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sqlite")
    app = create_app(base_config(tmp, f"sqlite:///{tmp / 'test.sqlite3'}"))
    fresh_session_per_request(app)
    build_schema(app)
    return app


def _pg_reachable() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_database_url():
    """Create a throwaway PostgreSQL database for this test run and drop it afterwards."""
    if not _pg_reachable():
        unavailable("PostgreSQL is not reachable at 127.0.0.1:5432")
    name = f"wagewatch_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_session_app(pg_database_url, tmp_path_factory):
    app = create_app(base_config(tmp_path_factory.mktemp("pg"), pg_database_url))
    fresh_session_per_request(app)
    build_schema(app)
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def app(sqlite_app):
    wipe(sqlite_app)
    with sqlite_app.app_context():
        yield sqlite_app
        _db.session.remove()


@pytest.fixture
def pg_app(pg_session_app):
    wipe(pg_session_app)
    with pg_session_app.app_context():
        yield pg_session_app
        _db.session.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request):
    """The same test on SQLite and on PostgreSQL."""
    name = "app" if request.param == "sqlite" else "pg_app"
    return request.getfixturevalue(name)


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


class HtmxClient:
    """A test client whose requests look like htmx partial requests."""

    HEADERS = {"HX-Request": "true", "HX-Request-Type": "partial"}

    def __init__(self, client):
        self.client = client

    def __getattr__(self, method):
        call = getattr(self.client, method)

        def with_headers(*args, headers=None, **kwargs):
            return call(*args, headers={**self.HEADERS, **(headers or {})}, **kwargs)

        return with_headers


@pytest.fixture
def hx(client):
    return HtmxClient(client)


def make_user(username: str, region: str = "650000", kind: str = "hr", industry: str | None = None,
              role: str = "reviewer"):
    user = create_user(username, PASSWORD, find_org(region, kind, industry), role)
    _db.session.commit()
    return user


def sign_in(client, user) -> None:
    """Give the client a signed-in session for `user` as the login form would, without posting it.

    tests/test_auth.py posts the real form; everywhere else a session record and cookie are enough.
    """
    from wagewatch.models import UserSession

    record = UserSession(id=secrets.token_urlsafe(32), user_id=user.id, address="127.0.0.1")
    _db.session.add(record)
    _db.session.commit()
    with client.session_transaction() as session:
        session.clear()
        session.update({"sid": record.id, "_user_id": str(user.id), "_fresh": True})
        session.permanent = True


@pytest.fixture
def login(client):
    """login(role=..., region=..., kind=..., industry=...) creates a user and signs the client in."""
    counter = {"n": 0}

    def _login(role="reviewer", region="650000", kind="hr", industry=None, username=None):
        counter["n"] += 1
        username = username or f"user{counter['n']}_{region}_{kind}_{role}"
        user = make_user(username, region, kind, industry, role)
        sign_in(client, user)
        return user

    return _login


@pytest.fixture(scope="session")
def redis_url():
    try:
        import redis

        connection = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
        connection.ping()
    except Exception:
        unavailable("Redis is not reachable at 127.0.0.1:6379")
    return REDIS_TEST_URL


class FrozenClock:
    """Holds wagewatch.clock at one instant for a test; `set` moves it, `advance` moves it forward."""

    def set(self, moment):
        from wagewatch import clock

        clock.freeze(moment)
        return moment

    def advance(self, **delta):
        from datetime import timedelta

        from wagewatch import clock

        clock.freeze(clock.now() + timedelta(**delta))


@pytest.fixture
def frozen_clock():
    """Freeze the one clock (wagewatch.clock) for this test; it runs again afterwards."""
    from wagewatch import clock

    holder = FrozenClock()
    holder.set(clock.now())
    yield holder
    clock.freeze(None)
