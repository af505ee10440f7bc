"""首页 and 帮助."""
from flask import Blueprint

bp = Blueprint("home", __name__)

from wagewatch.home import views  # noqa: E402,F401
