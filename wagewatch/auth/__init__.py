"""登录 / 退出 / 修改密码."""
# Importing the view modules attaches their routes to bp.
from wagewatch.auth import second_factor_views, views  # noqa: F401
from wagewatch.auth.blueprint import bp

__all__ = ["bp"]
