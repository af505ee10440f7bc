"""登录 / 退出 / 修改密码."""
from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from wagewatch.auth import views  # noqa: E402,F401  (routes attach to bp)
