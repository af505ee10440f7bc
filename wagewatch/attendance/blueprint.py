"""The attendance blueprint object, apart from the package so that its view modules can import it at the top."""
from flask import Blueprint

bp = Blueprint("attendance", __name__, url_prefix="/attendance")
