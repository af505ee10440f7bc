"""The CSP allows no inline style or script (style-src 'self'; script-src 'self'): no template may carry either,
or the browser silently ignores it (a 发薪比例 bar drawn with style="width:…" showed every bar full)."""
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INLINE = re.compile(r"""\sstyle\s*=|<style\b|<script(?![^>]*\ssrc=)|\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


def test_no_template_uses_inline_style_or_script():
    found = [f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()[:120]}"
             for path in TEMPLATES.rglob("*.html")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if INLINE.search(re.sub(r"\{#.*?#\}", "", line))]
    assert not found, found


def test_the_pay_ratio_bar_is_a_meter(app):
    from decimal import Decimal

    with app.test_request_context():
        ratio_bar = app.jinja_env.get_template("wages/_flags.html").module.ratio_bar
        half, over = str(ratio_bar(Decimal("0.5"))), str(ratio_bar(Decimal("1.2")))
    assert 'value="50.0"' in half and "50.0%" in half
    assert 'value="100"' in over  # never past the end
