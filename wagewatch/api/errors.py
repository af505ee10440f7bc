"""ApiError: raised anywhere in the API, answered in API.md's JSON error shape."""
from flask import current_app, request

from wagewatch.api.blueprint import bp
from wagewatch.errors import api_error

MAX_BATCH = 5000


class ApiError(Exception):
    """An answer that writes nothing: the view's transaction is rolled back before the response."""

    def __init__(self, status: int, code: str | None = None, message: str | None = None, details=None,
                 headers: dict | None = None):
        super().__init__(message or code or str(status))
        self.status, self.code, self.message, self.details = status, code, message, details
        self.headers = headers or {}


def invalid(details: list[dict], message: str = "请求数据校验失败") -> ApiError:
    return ApiError(422, "validation_failed", message, details)


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


def conflict(message: str) -> ApiError:
    return ApiError(409, "conflict", message)


def too_many_items(limit: int = MAX_BATCH) -> ApiError:
    return ApiError(413, "payload_too_large", f"一批最多{limit}条记录")


@bp.errorhandler(ApiError)
def answer(error: ApiError):
    from wagewatch.extensions import db

    db.session.rollback()
    response = api_error(error.status, error.code, error.message, error.details)
    response.headers.update(error.headers)
    return response


def allowed_methods() -> list[str]:
    try:
        return sorted(current_app.url_map.bind("").allowed_methods(request.path))
    except Exception:  # pragma: no cover - routing never fails for a routed path
        return []


@bp.after_app_request
def method_answers(response):
    """405 names the methods the path supports (RFC 9110); OPTIONS answers 204 with them, not an empty HTML 200."""
    if not request.path.startswith("/api/"):
        return response
    if response.status_code == 405:
        methods = allowed_methods()
        message = f"该路径不支持{request.method}请求，可用：{'、'.join(methods)}"
        response.set_data(api_error(405, "not_found", message).get_data())  # keep the headers already set
        response.headers["Allow"] = ", ".join(methods)
    elif request.method == "OPTIONS" and response.status_code == 200 and not response.get_data():
        response.status_code = 204
        response.headers.pop("Content-Type", None)
    if response.mimetype == "application/json":
        response.headers["Content-Type"] = "application/json; charset=utf-8"  # as API.md promises
    return response
