"""The OpenAPI 3.1 document describes what the server does: schemathesis runs every operation against it."""
import secrets
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from tests.conftest import base_config, build_schema
from wagewatch import create_app
from wagewatch.api.auth import TOKEN_PREFIX, token_hash
from wagewatch.extensions import db
from wagewatch.models import ApiClient
from wagewatch.models.api import API_SCOPES


def test_document_is_served_without_token(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert set(document["paths"]) == {
        "/api/v1/projects", "/api/v1/projects/{code}", "/api/v1/projects/{code}/wage-account",
        "/api/v1/projects/{code}/workers", "/api/v1/attendance/punches", "/api/v1/payrolls",
        "/api/v1/payrolls/{payroll_no}/bank-results", "/api/v1/complaints",
        "/api/v1/complaints/{complaint_no}/events", "/api/v1/openapi.json", "/api/v1/health"}


def test_every_documented_path_is_routed(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    routed = {(rule.rule.replace("<", "{").replace(">", "}"), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert documented == routed


# One app for the whole schemathesis run, on its own SQLite file; its database and client are made on first use.
FUZZ_DIR = Path(tempfile.mkdtemp(prefix="wagewatch-fuzz-"))
FUZZ_APP = create_app({**base_config(FUZZ_DIR, f"sqlite:///{FUZZ_DIR / 'fuzz.sqlite3'}"),
                       "API_RATE_LIMIT": "100000 per minute"})
FUZZ_TOKEN = TOKEN_PREFIX + secrets.token_urlsafe(32)
CONFIG = SchemathesisConfig.from_dict({
    "auth": {"openapi": {"bearer": {"bearer": FUZZ_TOKEN}}},
    # The WSGI transport does not decompress; real clients do (Flask-Compress answers br/gzip otherwise).
    "headers": {"Accept-Encoding": "identity"},
    "generation": {"max-examples": 40},
    "checks": {
        # Check digits (ID, USCC), the roster and the region table cannot be written in JSON Schema, so a
        # schema-valid request may still meet 422 (or 409 for a repeat, 413 for size): the document says so.
        "positive_data_acceptance": {"expected-statuses": ["2xx", "404", "409", "413", "422"]},
        # API.md answers a batch over 5,000 items with 413, which is a rejection too.
        "negative_data_rejection": {"expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "413",
                                                          "415", "422", "428", "429", "5xx"]},
    },
})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", FUZZ_APP, config=CONFIG)


def ready() -> None:
    if FUZZ_APP.config.get("FUZZ_READY"):
        return
    build_schema(FUZZ_APP)
    with FUZZ_APP.app_context():
        db.session.add(ApiClient(name="schemathesis", scopes=",".join(API_SCOPES), token_hash=token_hash(FUZZ_TOKEN)))
        db.session.commit()
    FUZZ_APP.config["FUZZ_READY"] = True


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_server_keeps_to_its_document(case):
    ready()
    case.call_and_validate()
