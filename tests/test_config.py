"""Configuration comes from the environment; production refuses the demo secrets."""
import pytest
from flask import request

from wagewatch import create_app
from wagewatch.config import ConfigError, load_config

STRONG_SECRET = "kq3V8yXn1PZr0tL5bWm7cJ2hF9sD4gA6eQ1uR8iO3vK"  # 43 base64 characters: 32 random bytes
STRONG_DATA_KEY = "5f0c9e2a7b4d81e6c3a9f07d2e5b8c14a6f3d9e0b7c2a5f8e1d4c7b0a3f6e9d2"


def test_defaults_are_sqlite_and_in_process(monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "WAGEWATCH_ENV"):
        monkeypatch.delenv(name, raising=False)
    config = load_config()
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["REDIS_URL"] is None


def test_postgres_urls_use_psycopg(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert load_config()["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "WAGEWATCH_DATA_KEY"])
def test_production_refuses_default_secrets(monkeypatch, missing):
    monkeypatch.setenv("WAGEWATCH_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("WAGEWATCH_DATA_KEY", STRONG_DATA_KEY)
    monkeypatch.delenv(missing)
    with pytest.raises(ConfigError, match=missing):
        create_app()


@pytest.fixture
def production_env(monkeypatch, pg_database_url, redis_url):
    """What production needs: strong secrets, PostgreSQL, Redis (the suite's own database and Redis)."""
    monkeypatch.setenv("WAGEWATCH_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("WAGEWATCH_DATA_KEY", STRONG_DATA_KEY)
    monkeypatch.setenv("DATABASE_URL", pg_database_url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)


def test_production_starts_with_real_secrets(production_env):
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_client_address_behind_a_proxy(monkeypatch, tmp_path):
    monkeypatch.setenv("WAGEWATCH_PROXY_HOPS", "1")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    app = create_app()
    seen = {}

    @app.get("/whoami")
    def whoami():
        seen["addr"] = request.remote_addr
        return "ok"

    app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.7"})
    assert seen["addr"] == "203.0.113.7"


def test_production_asks_browsers_for_https(production_env):
    headers = create_app().test_client().get("/auth/login").headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize("change,named", [
    ({"DATABASE_URL": "sqlite:////tmp/wagewatch-production.sqlite3"}, "PostgreSQL"),
    ({"REDIS_URL": None}, "REDIS_URL is unset"),
    ({"REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://"}, "rate limits are kept in memory"),
])
def test_production_refuses_the_demo_services(production_env, monkeypatch, change, named):
    """SQLite, jobs inside web requests and per-process rate limits are for the demo only."""
    for name, value in change.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=named):
        create_app()
