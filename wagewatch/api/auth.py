"""Bearer tokens, scopes and the per-client rate limit, in front of every API view."""
import hashlib
import secrets
import time
from functools import wraps

from flask import current_app, g, request
from limits import parse
from sqlalchemy import select, update

from wagewatch.api.errors import ApiError
from wagewatch.extensions import db, limiter
from wagewatch.models import ApiClient
from wagewatch.models._types import utcnow
from wagewatch.models.api import API_SCOPES

TOKEN_PREFIX = "ww_"
NAME_MAX = 64  # ApiClient.name


def token_hash(token: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is enough to make a stolen table useless.
    return hashlib.sha256(token.encode()).hexdigest()


def issue_client(name: str, scopes: list[str]) -> tuple[ApiClient, str]:
    """Create a client and return it with its token; the token itself is never stored."""
    if not name or len(name) > NAME_MAX:
        raise ValueError(f"客户端名称长度应为1至{NAME_MAX}个字符")
    unknown = [s for s in scopes if s not in API_SCOPES]
    if unknown or not scopes:
        raise ValueError("权限范围必须取自：" + ",".join(API_SCOPES))
    if db.session.scalars(select(ApiClient).where(ApiClient.name == name)).first():
        raise ValueError(f"接口客户端 {name} 已存在")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(name=name, scopes=",".join(scopes), token_hash=token_hash(token), active=True)
    db.session.add(client)
    db.session.flush()
    return client, token


def authenticate() -> ApiClient:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "缺少访问令牌", headers={"WWW-Authenticate": "Bearer"})
    client = db.session.scalars(select(ApiClient).where(
        ApiClient.token_hash == token_hash(token.strip()), ApiClient.active.is_(True))).one_or_none()
    if client is None:
        raise ApiError(401, "unauthorized", "访问令牌无效或已吊销", headers={"WWW-Authenticate": "Bearer"})
    return client


def throttle(client: ApiClient) -> None:
    """Flask-Limiter's strategy and storage, keyed by client: one busy client cannot starve the others."""
    limit = parse(current_app.config["API_RATE_LIMIT"])
    key = client.token_hash[:24]  # the hash, not the id: ids are reused after a wipe, tokens never
    if not limiter.limiter.hit(limit, "api-client", key):
        reset, _remaining = limiter.limiter.get_window_stats(limit, "api-client", key)
        retry = max(1, int(reset - time.time()))
        raise ApiError(429, "rate_limited", "请求过于频繁，请稍后再试", headers={"Retry-After": str(retry)})


def count_use(client: ApiClient) -> None:
    """Last use and request count for 接口凭证: one atomic UPDATE, so parallel requests all count.

    Committed at once (nothing else is pending yet), so the client's row is not held locked for the request.
    """
    db.session.execute(update(ApiClient).where(ApiClient.id == client.id)
                       .values(request_count=ApiClient.request_count + 1, last_used_at=utcnow())
                       .execution_options(synchronize_session=False))
    db.session.commit()


def endpoint(scope: str | None):
    """Authenticate, check the scope, count against the rate limit, then replay or run the view."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from wagewatch.api.idempotency import run

            client = authenticate()
            if scope and scope not in client.scope_list:
                raise ApiError(403, "forbidden", f"该客户端没有{scope}权限")
            throttle(client)
            count_use(client)
            g.api_client = client
            return run(client, view, args, kwargs)
        return wrapped
    return decorate
