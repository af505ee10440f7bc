"""The admin blueprint object, apart from the package so that its view modules can import it at the top."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
