"""Endpoints of the intake API (built in the intake API issue)."""
