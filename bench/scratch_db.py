"""A throwaway PostgreSQL database per benchmark run (127.0.0.1:5432, or WAGEWATCH_BENCH_PG), and the ratio helper."""
import os
import uuid
from contextlib import contextmanager

from sqlalchemy import create_engine, text

ADMIN_URL = os.environ.get("WAGEWATCH_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _admin(statement: str) -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(statement))
    admin.dispose()


def new_database() -> str:
    name = f"wagewatch_bench_{uuid.uuid4().hex[:8]}"
    _admin(f'CREATE DATABASE "{name}"')
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


@contextmanager
def scratch_database():
    url = new_database()
    try:
        yield url
    finally:
        drop_database(url)


def ratio(seconds: float, baseline: float) -> str:
    """How many times the bare baseline a measurement took, e.g. '1.13x'."""
    return f"{seconds / baseline:.2f}x" if baseline > 0 else "n/a"


def timed_bare(app, statements: list[str], repeat: int = 5, params: dict | None = None) -> float:
    """Median milliseconds of the bare baseline: plain SQL statements doing a request's core work."""
    import statistics
    import time

    from wagewatch.extensions import db

    samples = []
    with app.app_context():
        for round_ in range(repeat + 1):
            started = time.perf_counter()
            for sql in statements:
                db.session.execute(text(sql), params or {}).all()
            if round_:  # the first round warms caches and plans, as a request's warm-up does
                samples.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    return statistics.median(samples)


def web_config(url: str) -> dict:
    """The app as the benches drive it through the test client: signed in by password alone (the bench users
    have no authenticator), no CSRF tokens to fetch, no Redis."""
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WAGEWATCH_DATA_KEY": "bench",
            "WTF_CSRF_ENABLED": False, "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://",
            "SECOND_FACTOR_ENFORCED": False}
