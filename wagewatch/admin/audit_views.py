"""Placeholder."""
from wagewatch.admin.blueprint import bp  # noqa: F401
