"""安全策略: session and password limits the 安全管理员 sets at 规则参数; the environment gives the defaults.

Read on every request, so the values are cached per process for a few seconds; a change made here is seen at
once by this process (forget()) and by the others within CACHE_SECONDS.
"""
import time
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from wagewatch.extensions import db
from wagewatch.models import RuleSetting

CACHE_SECONDS = 30
# code: (config key giving the default, or the default itself; label; (kind, lowest, highest))
POLICY = {
    "session.idle_minutes": ("SESSION_IDLE_MINUTES", "登录会话空闲超时（分钟）", ("int", 5, 240)),
    "session.absolute_hours": ("SESSION_ABSOLUTE_HOURS", "登录会话最长有效时间（小时）", ("int", 1, 24)),
    "password.max_age_days": (90, "密码有效期（天），到期须修改", ("int", 30, 365)),
}
_cache: dict = {}


def default(code: str) -> int:
    source = POLICY[code][0]
    return int(current_app.config[source]) if isinstance(source, str) else source


def forget() -> None:
    _cache.clear()


def value(code: str) -> int:
    key = (id(current_app._get_current_object()), db.engine.url.render_as_string())
    found = _cache.get(key)
    if found is None or time.monotonic() - found[0] > CACHE_SECONDS:
        rows = db.session.execute(select(RuleSetting.code, RuleSetting.value)
                                  .where(RuleSetting.code.in_(list(POLICY)))).all()
        found = (time.monotonic(), {code: int(Decimal(raw)) for code, raw in rows})
        _cache[key] = found
    return found[1].get(code, default(code))
