"""工资代发实时进度 (manual §5): the stored R2 rows, filters, sorting, paging, 仅看异常, flags and 数据更新于."""
import re
from datetime import date

import pytest

from tests.wages_data import MONTH, build_month, sheet
from wagewatch.extensions import db
from wagewatch.models import WageProgress
from wagewatch.wages import refresh

TODAY = date(2026, 10, 20)   # 2026-09 is due 2026-10-15: past, and PAY_LATE still orange


@pytest.fixture
def month(app, monkeypatch):
    monkeypatch.setattr("wagewatch.wages.queries.beijing_today", lambda: TODAY)
    monkeypatch.setattr("wagewatch.wages.views.beijing_today", lambda: TODAY)
    monkeypatch.setattr("wagewatch.wages.exports.beijing_today", lambda: TODAY)
    first, workers, sheets = build_month()
    clean, w2, _s = build_month("木垒县人民医院门诊楼")
    db.session.execute(db.delete(refresh.WageProgress))
    hami, _w3, _s3 = build_month("哈密市伊州区道路工程", region="650502", trade="transport", account=False)
    db.session.commit()
    refresh.refresh(MONTH, today=TODAY)
    db.session.commit()
    return {"first": first, "clean": clean, "hami": hami, "workers": workers, "sheets": sheets}


def rows(html: str) -> list[str]:
    return re.findall(r'<tr id="progress-(\d+)-', html)


def test_progress_lists_each_visible_project_month(client, login, month):
    login(region="652328")
    response = client.get("/wages/progress")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert 'value="2026-09"' in html   # default: the last month whose payday has passed
    assert set(rows(html)) == {str(month["first"].id), str(month["clean"].id)}
    assert "数据更新于" in html and "哈密市伊州区道路工程" not in html
    assert "逾期未足额发放" in html and 'class="tag tag-orange"' in html
