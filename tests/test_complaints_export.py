"""导出数据 of 欠薪投诉监控: the same filters as the screen, masked personal data, no number stored in clear."""
from io import BytesIO

import openpyxl
from sqlalchemy import select

from tests.complaint_factories import make_complaint
from tests.test_complaints import FULL_ID
from wagewatch.complaints.exports import HEADERS
from wagewatch.extensions import db
from wagewatch.models import AuditLog, ExportJob


def _rows(client, export_id):
    data = client.get(f"/exports/{export_id}/download").data
    return list(openpyxl.load_workbook(BytesIO(data), read_only=True).active.iter_rows(values_only=True))


def test_export_button_carries_the_lists_filters(client, login):
    make_complaint()
    db.session.commit()
    login()
    html = client.get("/complaints?type=拖欠工资&timeliness=soon").text
    assert '<input type="hidden" name="kind" value="complaints">' in html
    assert '<input type="hidden" name="type" value="拖欠工资">' in html
    assert '<input type="hidden" name="timeliness" value="soon">' in html


def test_export_with_filters_is_masked_and_matches_the_screen(client, login):
    make_complaint(id_number=FULL_ID, phone="13912345678", complaint_no="TSX1", type="克扣工资")
    make_complaint(complaint_no="TSX2", type="拖欠工资")
    db.session.commit()
    login()
    response = client.post("/exports", data={"kind": "complaints", "type": "克扣工资"})
    assert response.status_code == 303
    export = db.session.scalars(select(ExportJob)).one()
    assert export.status == "done" and export.filename.startswith("欠薪投诉_")
    assert export.description == "投诉类型：克扣工资"
    rows = _rows(client, export.id)
    assert rows[0] == HEADERS and len(rows) == 2
    row = dict(zip(HEADERS, rows[1]))
    assert row["投诉编号"] == "TSX1" and row["身份证号"] == FULL_ID[:3] + "*****" + FULL_ID[-3:]
    assert row["手机号"] == "139****5678" and row["系统数据核查"] == "工程未绑定工资专户"
    assert row["督办情况"] == "未推送监管" and row["申诉状态"] == "暂无" and row["投诉读取情况"] == "企业未读"
    assert FULL_ID not in str(rows) and "13912345678" not in str(rows)


def test_a_number_in_an_export_request_is_stored_only_as_its_hash(client, login):
    make_complaint(id_number=FULL_ID, complaint_no="TSX1")
    make_complaint(complaint_no="TSX2")
    db.session.commit()
    login()
    client.post("/exports", data={"kind": "complaints", "complainant": FULL_ID})
    export = db.session.scalars(select(ExportJob)).one()
    assert "complainant" not in export.params and len(export.params["id_hash"]) == 64
    assert FULL_ID not in str(export.params) and FULL_ID not in (export.description or "")
    assert f"投诉人身份证号 {FULL_ID[:3]}*****{FULL_ID[-3:]}" in export.description
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "export_requested")).one()
    assert FULL_ID not in str(audit.details)
    assert [row[0] for row in _rows(client, export.id)[1:]] == ["TSX1"]
