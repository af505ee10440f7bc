"""Export file names name the screen and its subject: region, month, dates — not just the screen and the time."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.complaint_factories import make_complaint
from wagewatch import clock
from wagewatch.exports.registry import EXPORTS
from wagewatch.extensions import db
from wagewatch.models import ExportJob

AT = datetime(2026, 11, 27, 1, 2, 3, tzinfo=UTC)  # 09:02:03 in Beijing


@pytest.fixture(autouse=True)
def today(frozen_clock):
    frozen_clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=clock.BEIJING))


def name(kind: str, user, **params) -> str:
    return EXPORTS[kind].filename(user, params, AT)


def test_wage_progress_names_its_month_and_project(app, login):
    user = login(role="viewer", region="652300")
    assert name("wage_progress", user, month="2026-09") == "工资代发实时进度_2026-09_20261127_090203.xlsx"


def test_realname_names_its_region_and_compliance(app, login):
    user = login(role="viewer", region="652300")
    assert name("realname", user) == "实名制进度预警_昌吉回族自治州_20261127_090203.xlsx"
    assert name("realname", user, region="652328", compliance="failed") == \
        "实名制进度预警_木垒哈萨克自治县_未达标_20261127_090203.xlsx"


def test_bulletin_lists_name_their_indicator_region_and_month(app, login):
    user = login(role="viewer", region="652300")
    assert name("bulletin_realname", user, region="652328", month="2026-11") == \
        "未达成项目清单_实名制达标率_木垒哈萨克自治县_2026-11_20261127_090203.xlsx"
    assert name("bulletin_supervised", user) == "督办投诉清单_督办数_昌吉回族自治州_2026-11_20261127_090203.xlsx"


def test_complaints_name_their_region_and_dates(app, login):
    user = login(role="viewer", region="652300")
    assert name("complaints", user, submitted_from="2026-09-01", submitted_to="2026-09-30") == \
        "欠薪投诉_昌吉回族自治州_2026-09-01至2026-09-30_20261127_090203.xlsx"
    assert name("complaints", user, region="652328", submitted_from="2026-09-01") == \
        "欠薪投诉_木垒哈萨克自治县_2026-09-01起_20261127_090203.xlsx"


def test_the_stored_export_carries_the_name(client, login):
    make_complaint()
    db.session.commit()
    login(role="reviewer", region="652300")
    client.post("/exports", data={"kind": "complaints", "submitted_from": "2026-09-01",
                                  "submitted_to": "2026-09-30"})
    export = db.session.scalars(select(ExportJob)).one()
    assert export.filename.startswith("欠薪投诉_昌吉回族自治州_2026-09-01至2026-09-30_"), export.filename
