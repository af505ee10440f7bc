"""项目管理: 工程审批 and 工程现场管理."""
# Importing the view modules attaches their routes to bp.
from wagewatch.projects import approvals_export, exports, site_views, views  # noqa: F401
from wagewatch.projects.blueprint import bp

__all__ = ["bp"]
