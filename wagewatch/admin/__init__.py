"""系统管理: 用户管理, 接口凭证, 规则参数, 操作日志 — each for its own administrative role (三员分立)."""
# Importing the view modules attaches their routes to bp.
from wagewatch.admin import audit_views, clients_views, settings_views, users_views, views  # noqa: F401
from wagewatch.admin.blueprint import bp

__all__ = ["bp"]
