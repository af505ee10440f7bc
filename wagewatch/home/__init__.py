"""首页 and 帮助."""
# Importing the view modules attaches their routes to bp.
from wagewatch.home import desk, views  # noqa: F401
from wagewatch.home.blueprint import bp

__all__ = ["bp"]
