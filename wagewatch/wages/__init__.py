"""工资管理: 工资代发实时进度 and its 明细 (manual §5, §6), on R2 (wagewatch.rules.wages)."""
