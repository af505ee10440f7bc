"""Read rule settings (DESIGN: every threshold is data an administrator can change)."""
from decimal import Decimal

from sqlalchemy import select

from wagewatch.extensions import db
from wagewatch.models import RuleSetting
from wagewatch.reference import RULE_DEFAULTS


def rule_settings() -> dict[str, Decimal]:
    values = {code: Decimal(value) for code, (value, _label) in RULE_DEFAULTS.items()}
    for setting in db.session.scalars(select(RuleSetting)):
        values[setting.code] = Decimal(setting.value)
    return values
