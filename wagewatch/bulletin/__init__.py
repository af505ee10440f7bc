"""数据通报 (manual §7, DESIGN R4)."""
# Importing the view and export modules attaches their routes and the export kinds.
from wagewatch.bulletin import exports, views  # noqa: F401
from wagewatch.bulletin.blueprint import bp

__all__ = ["bp"]
