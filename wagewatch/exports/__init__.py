"""导出数据 and 我的导出."""
# Importing the view modules attaches their routes to bp.
from wagewatch.exports import views  # noqa: F401
from wagewatch.exports.blueprint import bp

__all__ = ["bp"]
