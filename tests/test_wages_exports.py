"""导出数据 of 工资代发实时进度 and of a project-month's lines: same filters, same scope, masked, reviewers only."""
from datetime import datetime, timezone
from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import select

from tests.wages_data import MONTH, build_clean, build_month
from wagewatch.extensions import db
from wagewatch.models import ExportJob
from wagewatch.wages import refresh
from wagewatch.wages.exports import LINE_HEADERS, PROGRESS_HEADERS

NOW = datetime(2026, 10, 20, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def month(app, frozen_clock):
    frozen_clock.set(NOW)
    first, workers, _sheets = build_month()
    clean, _people = build_clean()
    hami, _w, _s = build_month("哈密市伊州区道路工程", region="650502", trade="transport", account=False)
    db.session.commit()
    refresh.refresh(MONTH)
    db.session.commit()
    return {"first": first, "clean": clean, "hami": hami, "workers": workers}


def export_rows(client, data: dict):
    response = client.post("/exports", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    export = db.session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
    assert export.status == "done", export.error
    download = client.get(f"/exports/{export.id}/download")
    assert download.status_code == 200
    workbook = openpyxl.load_workbook(BytesIO(download.data), read_only=True)
    return export, [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def test_progress_export_has_the_filters_and_scope_of_the_page(client, login, month):
    login(region="652300", role="viewer")   # the list holds no personal data: viewers may export it
    export, rows = export_rows(client, {"kind": "wage_progress", "month": "2026-09", "abnormal": "1",
                                        "sort": "ratio"})
    assert rows[0] == PROGRESS_HEADERS
    assert [row[0] for row in rows[1:]] == [month["first"].name]
    row = rows[1]
    assert row[4] == "2026-09" and row[5:10] == (8, 7, 7, 5, 1) and row[10] == 89500 and row[11] == 73660
    assert row[14] == "银行处理中" and "逾期未足额发放（橙）" in row[15] and "发薪无考勤（黄）" in row[15]
    assert "3名考勤工人仍未足额发放" in row[16]
    assert export.description == "2026-09 · 仅看异常"
    assert export.filename.startswith("工资代发实时进度_2026-09_")
    _export, rows = export_rows(client, {"kind": "wage_progress", "month": "2026-09"})
    assert {row[0] for row in rows[1:]} == {month["first"].name, month["clean"].name}   # never 哈密


def test_lines_export_is_masked_and_for_reviewers(client, login, month):
    login(region="652328")
    export, rows = export_rows(client, {"kind": "wage_lines", "project_id": month["first"].id, "month": "2026-09"})
    assert rows[0] == LINE_HEADERS and len(rows) == 1 + 9
    w = month["workers"]
    failed = next(row for row in rows if row[1] == w[1].name and row[8] != "是")
    assert failed[2] == w[1].id_number_masked and "*****" in failed[2]
    assert failed[3] == 22 and failed[7] == "发放失败" and failed[9] == "账户已冻结"
    assert export.description == f"{month['first'].name} · 2026-09"
    assert export.filename.startswith(f"工资代发实时进度明细_{month['first'].name}_2026-09_")


def test_exports_of_another_jurisdiction_answer_404(client, login, month):
    login(region="652328")
    response = client.post("/exports", data={"kind": "wage_lines", "project_id": month["hami"].id, "month": "2026-09"})
    assert response.status_code == 404
    response = client.post("/exports", data={"kind": "wage_progress", "project_id": month["hami"].id,
                                             "month": "2026-09"})
    assert response.status_code == 404
    assert db.session.scalar(select(db.func.count()).select_from(ExportJob)) == 0


def test_viewers_cannot_export_lines_and_tampered_filters_are_refused(client, login, month):
    login(region="652328", role="viewer")
    assert client.post("/exports", data={"kind": "wage_lines", "project_id": month["first"].id,
                                         "month": "2026-09"}).status_code == 403
    assert client.post("/exports", data={"kind": "wage_progress", "month": "2026-13"}).status_code == 400
    assert client.post("/exports", data={"kind": "wage_progress", "region": "650500"}).status_code == 400
