"""实名制进度预警 scope: per level and kind, another jurisdiction's projects are absent from list, filters and export."""
from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import select

from tests.factories import ProjectFactory, employ, make_worker
from wagewatch.extensions import db
from wagewatch.models import ExportJob

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


@pytest.fixture
def world(app):
    for key, (region, industry) in PROJECTS.items():
        project = ProjectFactory(name=f"工程{key}", region=region, trade=industry, review_status="approved",
                                 status="in_progress")
        employ(project, make_worker(f"工人{key}"))
    db.session.commit()


def shown(html: str) -> set[str]:
    return {key for key in PROJECTS if f'title="工程{key}"' in html}


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_list_and_export_show_only_the_jurisdiction(client, login, world, who, role):
    login(role=role, **USERS[who])
    assert shown(client.get("/realname").get_data(as_text=True)) == VISIBLE[who]
    assert shown(client.get("/realname?name=工程").get_data(as_text=True)) == VISIBLE[who]
    client.post("/exports", data={"kind": "realname"})
    job = db.session.scalars(select(ExportJob)).one()
    rows = openpyxl.load_workbook(BytesIO(client.get(f"/exports/{job.id}/download").data), read_only=True) \
        .active.iter_rows(min_row=2, values_only=True)
    assert {row[0].removeprefix("工程") for row in rows} == VISIBLE[who]


def test_region_and_industry_outside_the_jurisdiction_are_refused(client, login, world):
    login(role="viewer", **USERS["county-housing"])
    assert client.get("/realname?region=650502").status_code == 422
    assert client.get("/realname?industry=transport").status_code == 422
    client.post("/exports", data={"kind": "realname", "region": "650502"})
    job = db.session.scalars(select(ExportJob)).one()
    assert job.status == "failed" and "筛选条件无效" in job.error
