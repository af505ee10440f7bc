"""数据通报 scope: rows, totals, drill-down and every 未达成项目清单 stay inside the user's jurisdiction."""
import re
from datetime import datetime
from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import select

from tests.bulletin_data import complaint, project
from wagewatch import clock
from wagewatch.extensions import db
from wagewatch.models import ExportJob
from wagewatch.rules.bulletin import INDICATORS

MONTH = "2026-11"


@pytest.fixture(autouse=True)
def frozen_today(frozen_clock):
    frozen_clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=clock.BEIJING))
USERS = {
    "region-hr": {"region": "650000", "kind": "hr"},
    "prefecture-hr": {"region": "652300", "kind": "hr"},
    "county-hr": {"region": "652328", "kind": "hr"},
    "county-housing": {"region": "652328", "kind": "industry", "industry": "housing"},
    "region-transport": {"region": "650000", "kind": "industry", "industry": "transport"},
}
PROJECTS = {"mulei-housing": ("652328", "housing"), "mulei-transport": ("652328", "transport"),
            "changji-housing": ("652301", "housing"), "hami-transport": ("650502", "transport")}
VISIBLE = {"region-hr": set(PROJECTS),
           "prefecture-hr": {"mulei-housing", "mulei-transport", "changji-housing"},
           "county-hr": {"mulei-housing", "mulei-transport"},
           "county-housing": {"mulei-housing"},
           "region-transport": {"mulei-transport", "hami-transport"}}
OUTSIDE = {"prefecture-hr": "650500", "county-hr": "652301", "county-housing": "652300",
           "region-transport": None, "region-hr": None}


@pytest.fixture
def world(app):
    for key, (region, industry) in PROJECTS.items():
        project(key, region=region, trade=industry, account=False)  # every project fails 专户
        complaint(f"TS-{key}", region=region, trade=industry, supervised=True)
    db.session.commit()


def total_projects(html: str) -> int:
    found = re.search(r'<tr id="bulletin-total">.*?<td class="num">(\d+)</td>', html, re.DOTALL)
    return int(found.group(1)) if found else 0


def rows_of(client, kind: str) -> set[str]:
    client.post("/exports", data={"kind": kind, "month": MONTH})
    job = db.session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
    sheet = openpyxl.load_workbook(BytesIO(client.get(f"/exports/{job.id}/download").data), read_only=True).active
    return {row[0].removeprefix("TS-") for row in sheet.iter_rows(min_row=2, values_only=True)}


@pytest.mark.parametrize("who", USERS)
def test_figures_and_lists_show_only_the_jurisdiction(client, login, world, who):
    login(role="viewer", **USERS[who])
    html = client.get("/bulletin").get_data(as_text=True)
    assert total_projects(html) == len(VISIBLE[who])
    assert re.search(rf'id="failing-supervised">共 {len(VISIBLE[who])} 件', html)
    assert rows_of(client, "bulletin_account") == VISIBLE[who]
    assert rows_of(client, "bulletin_supervised") == VISIBLE[who]
    for indicator in INDICATORS[1:]:
        client.post("/exports", data={"kind": f"bulletin_{indicator.key}", "month": MONTH})
    assert all(job.status == "done" for job in db.session.scalars(select(ExportJob)))


@pytest.mark.parametrize("who", [w for w, code in OUTSIDE.items() if code])
def test_drilling_or_exporting_outside_answers_404(client, login, world, who):
    login(role="viewer", **USERS[who])
    assert client.get(f"/bulletin?region={OUTSIDE[who]}").status_code == 404
    response = client.post("/exports", data={"kind": "bulletin_account", "month": MONTH, "region": OUTSIDE[who]})
    assert response.status_code == 404
    assert db.session.scalars(select(ExportJob)).first() is None  # nothing was queued


def test_a_county_user_sees_its_own_row(client, login, world):
    login(role="viewer", **USERS["county-hr"])
    html = client.get("/bulletin").get_data(as_text=True)
    assert re.findall(r'<tr id="bulletin-(\d+)">', html) == ["652328"]
