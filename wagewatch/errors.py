"""Error pages: a full page, a small banner fragment for htmx, or the API's JSON error shape."""
from flask import has_request_context, jsonify, render_template, request
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from wagewatch.extensions import db
from wagewatch.htmx import wants_fragment
from wagewatch.security import BadHost

MESSAGES = {
    400: "请求无效，请刷新页面后重试。",
    403: "您没有执行此操作的权限。",
    404: "页面不存在，或不在您的管辖范围内。",
    405: "不支持该请求方式。",
    409: "该记录已被其他人处理，请刷新后查看最新状态。",
    413: "提交的内容过大。",
    429: "操作过于频繁，请稍后再试。",
    500: "系统出现错误，已记录，请稍后再试。",
}
API_CODES = {400: "malformed_json", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "not_found",
             409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type", 422: "validation_failed",
             429: "rate_limited", 500: "internal_error"}
API_MESSAGES = {400: "请求体不是合法的JSON", 401: "缺少或无效的访问令牌", 403: "该客户端没有此权限", 404: "资源不存在",
                405: "资源不存在", 409: "与现有数据冲突", 413: "请求体过大", 415: "请求类型必须为application/json",
                422: "请求数据校验失败", 429: "请求过于频繁，请稍后再试", 500: "服务器内部错误"}


def api_error(status: int, code: str | None = None, message: str | None = None, details=None):
    body = {"error": {"code": code or API_CODES.get(status, "error"),
                      "message": message or API_MESSAGES.get(status, "请求失败")}}
    if details:
        body["error"]["details"] = details
    response = jsonify(body)
    response.status_code = status
    return response


def _is_api() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _in_url_context() -> bool:
    """Can this request build URLs? Not when its Host broke the URL adapter, nor outside a request."""
    return has_request_context() and request_ctx.url_adapter is not None


def render_error(status: int, message: str | None = None):
    if has_request_context() and _is_api():
        return api_error(status, message=message if status == 400 else None)
    message = message or MESSAGES.get(status, MESSAGES[500])
    if has_request_context() and wants_fragment():
        template = "errors/_banner.html"
    elif status >= 500 or not _in_url_context():
        # Whatever failed (the database behind the signed-in user, the URL adapter) may fail again while the
        # full frame renders: a server error page needs nothing but its message.
        template = "errors/standalone.html"
    else:
        template = "errors/page.html"
    return render_template(template, status=status, message=message), status


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, "页面已过期或缺少安全令牌，请刷新页面后重试。")

    @app.errorhandler(BadHost)
    def bad_host(error: BadHost):
        return render_error(400, BadHost.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render_error(500)
