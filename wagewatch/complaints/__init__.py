"""欠薪投诉监控: the list with every filter of the manual, the detail pane, 督办, the export and the push job."""
# Importing the view modules attaches their routes (and the export kind) to bp.
from wagewatch.complaints import cli, exports, views  # noqa: F401
from wagewatch.complaints.blueprint import bp

__all__ = ["bp"]
