"""The schema: migrations build it from empty on SQLite and PostgreSQL and agree with the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from tests.conftest import PG_ADMIN_URL, base_config, unavailable
from wagewatch import create_app
from wagewatch.extensions import db
from wagewatch.models.search import include_object_for


def migrated_app(url, tmp_path):
    app = create_app(base_config(tmp_path, url))
    with app.app_context():
        upgrade()
    return app


def assert_models_match(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": include_object_for(connection.dialect.name)})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_sqlite_migrations_match_models(tmp_path):
    app = migrated_app(f"sqlite:///{tmp_path / 'm.sqlite3'}", tmp_path)
    assert_models_match(app)
    with app.app_context():
        assert "projects" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert "projects" not in inspect(db.engine).get_table_names()


@pytest.fixture
def empty_pg_url():
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS wagewatch_migrate_test WITH (FORCE)"))
            conn.execute(text("CREATE DATABASE wagewatch_migrate_test"))
    except Exception as error:  # noqa: BLE001 — any connection failure means PostgreSQL is unavailable
        unavailable(f"PostgreSQL is not reachable: {error}")
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/wagewatch_migrate_test"
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS wagewatch_migrate_test WITH (FORCE)"))
    admin.dispose()


@pytest.mark.pg
def test_postgresql_migrations_match_models(empty_pg_url, tmp_path):
    app = migrated_app(empty_pg_url, tmp_path)
    assert_models_match(app)
    with app.app_context():
        assert TRIGRAM <= {ix["name"] for table in ("projects", "enterprises", "workers", "complaints")
                           for ix in inspect(db.engine).get_indexes(table)}
        downgrade(revision="base")
        assert "projects" not in inspect(db.engine).get_table_names()
        db.engine.dispose()


TRIGRAM = {"ix_projects_name_trgm", "ix_projects_code_trgm", "ix_enterprises_name_trgm", "ix_workers_name_trgm",
           "ix_complaints_project_name_trgm", "ix_complaints_contractor_name_trgm", "ix_complaints_complainant_name_trgm"}


def test_trigram_indexes_only_on_postgresql(app):
    """SQLite has no pg_trgm: create_all leaves the trigram indexes out there."""
    names = {ix["name"] for table in ("projects", "enterprises", "workers", "complaints")
             for ix in inspect(db.engine).get_indexes(table)}
    assert not TRIGRAM & names


@pytest.mark.pg
def test_create_all_on_postgresql_builds_trigram_indexes(pg_app):
    """create_all (the test schema) creates the extension first, then GIN gin_trgm_ops indexes used by ILIKE."""
    rows = db.session.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%_trgm'")).all()
    found = dict(rows)
    assert TRIGRAM <= set(found)
    assert all("gin" in found[name] and "gin_trgm_ops" in found[name] for name in TRIGRAM)
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = db.session.execute(text("EXPLAIN SELECT id FROM workers WHERE name ILIKE '%建国%'")).scalars().all()
    assert any("ix_workers_name_trgm" in line for line in plan)


def test_every_list_filter_has_an_index(app):
    indexes = {ix["name"] for ix in inspect(db.engine).get_indexes("projects")}
    assert {"ix_projects_review_registered", "ix_projects_region_review_registered",
            "ix_projects_prefecture_review_registered", "ix_projects_industry_review_registered"} <= indexes
