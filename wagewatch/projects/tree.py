"""Kept for screens built on the earlier selector module: the selector now lives in wagewatch/selector.py."""
from wagewatch.selector import (
    MAX_OFFSET,
    TREE_LIMIT,
    Branch,
    Leaf,
    Level,
    child_branches,
    level,
    region_or_404,
    search,
)

__all__ = ["MAX_OFFSET", "TREE_LIMIT", "Branch", "Leaf", "Level", "child_branches", "level", "region_or_404", "search"]
