"""项目管理: 工程审批 and 工程现场管理."""
from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/projects")

from wagewatch.projects import exports, views  # noqa: E402,F401
