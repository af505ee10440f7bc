"""Production refuses weak secrets; a chunked API body over 5 MiB answers 413 like one with a Content-Length."""
import base64
import io
import json
import secrets

import pytest

from tests.test_api_support import Api, assert_error, counts, project_body
from wagewatch import create_app
from wagewatch.config import ConfigError, secret_weakness

WEAK = ["a", "a-real-secret-value", "changeme" * 8, "ab" * 40, "0123456789" * 7, secrets.token_hex(16),
        secrets.token_urlsafe(24), "wagewatch-demo-secret-not-for-production", ""]
STRONG = [secrets.token_urlsafe(32), secrets.token_hex(32), base64.b64encode(secrets.token_bytes(32)).decode(),
          secrets.token_urlsafe(64)]


@pytest.mark.parametrize("value", WEAK, ids=range(len(WEAK)))  # ids: the random values differ per xdist worker
def test_weak_secrets_are_named_weak(value):
    assert secret_weakness(value) is not None


@pytest.mark.parametrize("value", STRONG, ids=range(len(STRONG)))
def test_random_secrets_of_32_bytes_are_strong(value):
    assert secret_weakness(value) is None


@pytest.mark.parametrize("name", ["SECRET_KEY", "WAGEWATCH_DATA_KEY"])
@pytest.mark.parametrize("value", ["a", "a-real-secret-value", "x" * 64])
def test_production_refuses_to_start_with_a_weak_secret(monkeypatch, tmp_path, name, value):
    monkeypatch.setenv("WAGEWATCH_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(32))
    monkeypatch.setenv("WAGEWATCH_DATA_KEY", secrets.token_urlsafe(32))
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        create_app()


def test_production_refuses_one_value_for_both_secrets(monkeypatch, tmp_path):
    monkeypatch.setenv("WAGEWATCH_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    shared = secrets.token_urlsafe(32)
    monkeypatch.setenv("SECRET_KEY", shared)
    monkeypatch.setenv("WAGEWATCH_DATA_KEY", shared)
    with pytest.raises(ConfigError, match="same value"):
        create_app()


def test_development_still_starts_with_the_demo_secrets(monkeypatch, tmp_path):
    monkeypatch.delenv("WAGEWATCH_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    assert create_app().config["WAGEWATCH_ENV"] == "development"


def chunked_post(api, body: bytes):
    """As gunicorn and werkzeug's server pass a chunked body: no Content-Length, the stream marked terminated."""
    return api.http.post("/api/v1/projects", input_stream=io.BytesIO(body),
                         headers={"Authorization": f"Bearer {api.token}", "Content-Type": "application/json",
                                  "Transfer-Encoding": "chunked"},
                         environ_overrides={"wsgi.input_terminated": True})


def test_a_chunked_body_over_5_mib_answers_413(app):
    api = Api(app)
    before = counts()
    body = b'{"code": "' + b"A" * (10 * 1024 * 1024) + b'"}'
    response = chunked_post(api, body)
    announced = api.post("/projects", data=body, headers={"Content-Type": "application/json"})
    assert_error(response, 413, "payload_too_large", "过大")
    assert response.get_json() == announced.get_json() and announced.status_code == 413
    assert counts() == before


def test_a_chunked_body_of_exactly_5_mib_is_read_whole(app):
    api = Api(app)
    body = project_body()
    raw = json.dumps(body).encode()
    padded = raw + b" " * (5 * 1024 * 1024 - len(raw))
    assert chunked_post(api, padded).status_code == 201
    assert chunked_post(api, raw).status_code == 200  # a small chunked body, as before
