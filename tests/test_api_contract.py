"""API.md as a client developer reads it: encodings, odd methods and paths, and what real clients re-send."""
import gzip
import json

import pytest

from tests.test_api_support import Api, api, assert_error, counts, project_body  # noqa: F401
from wagewatch.extensions import db
from wagewatch.models import Project


def raw_post(api, path, raw: bytes, content_type="application/json", **headers):
    return api.post(path, data=raw, headers={"Content-Type": content_type, **headers})


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/json;charset=UTF-8",
                                          "application/json; charset=utf8", "Application/JSON"])
def test_json_with_a_utf8_charset_is_accepted(app, api, content_type):
    body = json.dumps(project_body(), ensure_ascii=False).encode()
    assert raw_post(api, "/projects", body, content_type).status_code == 201


def test_a_utf8_byte_order_mark_is_ignored(app, api):
    body = b"\xef\xbb\xbf" + json.dumps(project_body(), ensure_ascii=False).encode()
    assert raw_post(api, "/projects", body).status_code == 201


@pytest.mark.parametrize("charset", ["gbk", "utf-16", "latin-1"])
def test_another_charset_is_415_and_stores_nothing(app, api, charset):
    before = counts()
    body = json.dumps(project_body(), ensure_ascii=False).encode("gbk")
    response = raw_post(api, "/projects", body, f"application/json; charset={charset}")
    assert_error(response, 415, "unsupported_media_type", "UTF-8")
    assert counts() == before


def test_a_compressed_body_is_415_with_a_clear_reason(app, api):
    before = counts()
    body = gzip.compress(json.dumps(project_body()).encode())
    response = raw_post(api, "/projects", body, **{"Content-Encoding": "gzip"})
    assert_error(response, 415, "unsupported_media_type", "Content-Encoding")
    assert counts() == before
