"""On the demo data: the manual's ten 实名制进度预警 rows show the manual's 在职人数 and 达标 / 未达标."""
import re
from datetime import date

import pytest

from tests.conftest import PASSWORD, base_config, build_schema, make_user
from wagewatch import create_app
from wagewatch.demo import build_demo
from wagewatch.demo.manual import MANUAL_ROWS
from wagewatch.extensions import db
from wagewatch.realname import compute

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("realname-demo")
    demo_app = create_app(base_config(tmp, f"sqlite:///{tmp / 'demo.sqlite3'}"))
    build_schema(demo_app)
    with demo_app.app_context():
        build_demo(0.12, seed=5, today=TODAY)
        compute.refresh(today=TODAY)  # what the nightly job does after the demo's day
        db.session.commit()
        make_user("demo-region-viewer", role="viewer")
        yield demo_app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def demo_client(demo):
    client = demo.test_client()
    assert client.post("/auth/login", data={"username": "demo-region-viewer", "password": PASSWORD}).status_code == 302
    return client


def row_of(html: str, name: str) -> str:
    found = re.search(r'<tr id="realname-\d+">\s*<td class="ellipsis" title="' + re.escape(name) + r'">.*?</tr>',
                      html, re.DOTALL)
    assert found, name
    return found.group(0)


def test_the_manuals_ten_rows_show_the_manuals_figures(demo_client):
    for row in MANUAL_ROWS:
        html = demo_client.get("/realname", query_string={"name": row.name}).get_data(as_text=True)
        cells = row_of(html, row.name)
        assert f'<td class="num">{row.active}</td>' in cells, row.name
        label = "达标" if row.compliant else "未达标"
        assert f'tag-{"ok" if row.compliant else "bad"}">{label}</span>' in cells, row.name
        assert row.hr_org in cells and row.industry_org in cells and row.registered_on.isoformat() in cells
        if row.active == 0:
            assert "无在职人员" in cells
