"""The intake API of API.md, under /api/v1."""
# Importing the view modules attaches their routes to bp.
from wagewatch.api import complaints, errors, health, openapi, payrolls, projects, punches, workers  # noqa: F401
from wagewatch.api.blueprint import bp

__all__ = ["bp"]
