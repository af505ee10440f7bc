"""The intake API of API.md, under /api/v1."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from wagewatch.api import (  # noqa: E402,F401
    complaints, errors, health, openapi, payrolls, projects, punches, workers,
)
