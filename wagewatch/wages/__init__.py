"""工资管理: 工资代发实时进度 and its 明细 (manual §5, §6), on R2 (wagewatch.rules.wages)."""
# Importing the view modules attaches their routes to bp.
from wagewatch.wages import exports, views  # noqa: F401
from wagewatch.wages.blueprint import bp

__all__ = ["bp"]
