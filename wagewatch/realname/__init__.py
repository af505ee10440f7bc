"""实名制进度预警 (manual §4)."""
# Importing the view and export modules attaches their routes and the export kind.
from wagewatch.realname import exports, views  # noqa: F401
from wagewatch.realname.blueprint import bp

__all__ = ["bp"]
