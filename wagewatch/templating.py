"""Jinja filters and globals: Beijing-time formatting, labels, the navigation."""
from datetime import datetime

from flask_login import current_user

from wagewatch.clock import BEIJING
from wagewatch.navigation import NAV


def beijing(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(BEIJING).strftime(fmt)


def money(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def init_app(app) -> None:
    app.jinja_env.filters["beijing"] = beijing
    app.jinja_env.filters["money"] = money
    app.jinja_env.globals["NAV"] = NAV
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject_user():
        return {"current_user": current_user}
