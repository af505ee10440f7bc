"""The api blueprint object, apart from the package so that its view modules can import it at the top."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
