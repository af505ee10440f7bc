"""考勤管理: 人员考勤日报表 (manual §3)."""
# Importing the view modules attaches their routes to bp and registers the export.
from wagewatch.attendance import exports, views  # noqa: F401
from wagewatch.attendance.blueprint import bp

__all__ = ["bp"]
