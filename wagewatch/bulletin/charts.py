"""Horizontal bar charts ranking the regions, as numbers an inline SVG template draws (no chart library)."""
from dataclasses import dataclass
from decimal import Decimal

from wagewatch.rules import bulletin as r4

WIDTH, LABEL, VALUE, BAR_HEIGHT, GAP = 320, 84, 52, 12, 4


@dataclass(frozen=True)
class Bar:
    name: str   # the full region name, in the accessible title
    label: str  # cut to fit beside the bar
    value: Decimal
    text: str
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: list
    height: int
    label_x: int = LABEL - 4
    bar_x: int = LABEL
    width: int = WIDTH


def format_value(indicator: r4.Indicator, value: Decimal) -> str:
    return f"{value:.1f}%" if indicator.kind == "rate" else f"{value:.0f}"


def chart(indicator: r4.Indicator, rows: list) -> Chart | None:
    """Regions with a value, best first; bars scaled to 100 % for rates, to the largest value for counts."""
    pairs = [(row.name, r4.value_of(indicator, row.figures.get(indicator.key))) for row in rows]
    pairs = sorted(((name, value) for name, value in pairs if value is not None), key=lambda p: (-p[1], p[0]))
    if not pairs:
        return None
    top = Decimal(100) if indicator.kind == "rate" else max(value for _, value in pairs) or Decimal(1)
    room = WIDTH - LABEL - VALUE
    bars = [Bar(name, name if len(name) <= 6 else name[:5] + "…", value, format_value(indicator, value), n * (BAR_HEIGHT + GAP),
                max(1, int(room * value / top)) if value else 0) for n, (name, value) in enumerate(pairs)]
    return Chart(indicator.key, f"{indicator.label}各地区排名", bars, len(bars) * (BAR_HEIGHT + GAP))
