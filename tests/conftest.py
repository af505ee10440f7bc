"""Shared fixtures: app (SQLite), pg_app (PostgreSQL), any_app (both), client, hx, login, redis_url."""
import os
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
    }


def build_schema(app) -> None:
    with app.app_context():
        _db.create_all()
        load_all()


def wipe(app) -> None:
    """Delete everything but reference data, so each test starts from the same state."""
    with app.app_context():
        _db.session.rollback()
        tables = [t for t in reversed(_db.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
        if _db.engine.dialect.name == "postgresql":
            _db.session.execute(text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                _db.session.execute(table.delete())
        _db.session.commit()
        _db.session.remove()


@pytest.fixture(scope="session")
def sqlite_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sqlite")
    app = create_app(base_config(tmp, f"sqlite:///{tmp / 'test.sqlite3'}"))
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


@pytest.fixture
def login(client):
    """login(role=..., region=..., kind=..., industry=...) creates a user and signs the client in."""
    counter = {"n": 0}

    def _login(role="reviewer", region="650000", kind="hr", industry=None, username=None):
        counter["n"] += 1
        username = username or f"user{counter['n']}_{region}_{kind}_{role}"
        user = make_user(username, region, kind, industry, role)
        response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
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
