"""导出数据 and 我的导出."""
from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/exports")

from wagewatch.exports import views  # noqa: E402,F401
