"""The request body: JSON only, 5 MiB at most, well-formed, not absurdly nested, money kept as Decimal."""
import json
from decimal import Decimal

from flask import g, request

from wagewatch.api.errors import MAX_BATCH, ApiError, invalid, too_many_items
from wagewatch.errors import API_MESSAGES

MAX_DEPTH = 32


def _depth(value) -> int:
    """Nesting depth, computed without recursion so a hostile body cannot exhaust the stack."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, level + 1) for child in children)
    return deepest


def read_raw() -> bytes:
    """The body, 413 when over MAX_CONTENT_LENGTH, whether its length was announced or not.

    With a Content-Length over the limit werkzeug raises 413 before reading. A chunked body has no length: the
    server (gunicorn, werkzeug) marks its stream terminated and werkzeug reads it only up to the limit, quietly
    cutting it there, so one more byte is asked of the server's stream to tell a body of exactly the limit from
    a longer one.
    """
    raw = request.get_data(cache=True)
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(raw) >= limit:
        if request.environ["wsgi.input"].read(1):
            raise ApiError(413, "payload_too_large", API_MESSAGES[413])  # as with a Content-Length
    return raw


def parse_body():
    """Parse once per request; 415, 400 or 413 (from MAX_CONTENT_LENGTH) when the body is unusable."""
    if "api_body" in g:
        return g.api_body
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "请求类型必须为application/json")
    if request.mimetype_params.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
        raise ApiError(415, "unsupported_media_type", "请求体必须使用UTF-8编码（charset=utf-8）")
    if request.headers.get("Content-Encoding", "identity").strip().lower() != "identity":
        raise ApiError(415, "unsupported_media_type", "不支持压缩的请求体（Content-Encoding），请发送未压缩的JSON")
    raw = read_raw()
    try:
        # parse_float/parse_constant: money stays exact, and 1e3 or NaN reach the validators as written.
        # utf-8-sig: a UTF-8 byte order mark (some Windows clients write one) is ignored, as RFC 8259 allows.
        data = json.loads(raw.decode("utf-8-sig"), parse_float=Decimal, parse_constant=Decimal)
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiError(400, "malformed_json", "请求体不是合法的JSON") from error
    except RecursionError as error:
        raise ApiError(400, "malformed_json", "JSON嵌套层级过深") from error
    if _depth(data) > MAX_DEPTH:
        raise ApiError(400, "malformed_json", "JSON嵌套层级过深")
    g.api_body = data
    return data


def batch_body() -> list:
    """A batch is a JSON array of at most 5,000 items; anything else is refused whole."""
    data = parse_body()
    if not isinstance(data, list):
        raise invalid([{"field": "", "message": "请求体必须是数组"}])
    if len(data) > MAX_BATCH:
        raise too_many_items()
    return data


def canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":")).encode()
