"""The shared export writer: file names that name their subject, real date cells, column widths, a frozen
header with an autofilter, further sheets at Excel's row limit and no silently refused cell."""
import re
from datetime import date, datetime, timezone
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote, unquote

import openpyxl
import pytest
from sqlalchemy import select

from jobs import exports as export_jobs
from tests.factories import ProjectFactory, employ, make_worker
from wagewatch.exports import writer as export_writer
from wagewatch.exports.registry import EXPORTS, ExportSpec
from wagewatch.exports.writer import ExportWriter, WriteFailed
from wagewatch.extensions import db
from wagewatch.models import ExportJob


def workbook_of(response):
    return openpyxl.load_workbook(BytesIO(response.data))


def filename_of(response) -> str:
    return unquote(response.headers["Content-Disposition"].split("filename*=UTF-8''")[1])


def test_roster_file_names_its_project_and_has_date_cells_widths_frozen_header_and_filter(client, login):
    login(role="reviewer", region="652300")
    project = ProjectFactory(region="652328", review_status="approved", status="in_progress",
                             name="木垒县/第一中学:教学楼")
    employ(project, make_worker("阿依古丽·买买提"), joined_on=date(2026, 3, 2))
    db.session.commit()
    response = client.post("/exports", data={"kind": "roster", "project_id": project.id})
    export = db.session.scalars(select(ExportJob)).one()
    assert response.status_code == 303 and export.status == "done"
    download = client.get(f"/exports/{export.id}/download")
    name = filename_of(download)
    assert re.fullmatch(r"人员信息_木垒县第一中学教学楼_\d{8}_\d{6}\.xlsx", name), name  # / and : cannot be in names
    assert quote(name, safe="") in download.headers["Content-Disposition"]
    sheet = workbook_of(download).active
    assert sheet.title == "人员信息"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L2"
    joined = sheet["I2"]
    assert joined.value == datetime(2026, 3, 2) and joined.number_format == "yyyy-mm-dd"
    assert sheet["J2"].value is None  # 退场日期 of someone still on site: an empty cell, not ""
    assert sheet["D2"].data_type == "n"  # 年龄 is a number
    assert sheet.column_dimensions["A"].width >= len("阿依古丽·买买提") * 2 - 2
    assert sheet.column_dimensions["I"].width >= 10


def test_projects_file_name_and_registration_date_cells(client, login):
    login(role="viewer")
    ProjectFactory(name="工程甲", registered_on=date(2022, 5, 8))
    db.session.commit()
    client.post("/exports", data={"kind": "projects"})
    export = db.session.scalars(select(ExportJob)).one()
    download = client.get(f"/exports/{export.id}/download")
    assert re.fullmatch(r"工程清单_\d{8}_\d{6}\.xlsx", filename_of(download))
    sheet = workbook_of(download).active
    assert sheet["B2"].value == datetime(2022, 5, 8) and sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:I2"


def test_my_exports_does_not_repeat_the_kind_in_the_status_cell(client, login):
    user = login(role="viewer")
    db.session.add(ExportJob(user_id=user.id, org_id=user.org_id, kind="projects", params={}, status="done",
                             rows=3, file="x.xlsx", filename="工程清单_20261127_090000.xlsx"))
    db.session.commit()
    html = client.get("/exports").get_data(as_text=True)
    status_cell = html.split('class="export-status')[1].split("</div>")[0]
    assert "完成" in status_cell and "工程清单" not in status_cell
    assert html.count("工程清单") == 1


def test_datetimes_are_beijing_date_cells(tmp_path):
    path = tmp_path / "t.xlsx"
    writer = ExportWriter(str(path), "测试", ("时间", "文字", "金额"))
    writer.write((datetime(2026, 11, 26, 16, 30, tzinfo=timezone.utc), "=1+1", Decimal("1234.50")))
    writer.close()
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A2"].value == datetime(2026, 11, 27, 0, 30) and sheet["A2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet["B2"].value == "'=1+1" and sheet["C2"].value == 1234.5


def test_rows_past_the_sheet_limit_go_to_further_sheets(tmp_path):
    path = tmp_path / "split.xlsx"
    writer = ExportWriter(str(path), "人员信息", ("序号",), rows_per_sheet=4)  # a header and 3 rows a sheet
    for n in range(1, 9):
        writer.write((n,))
    writer.close()
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["人员信息", "人员信息 (2)", "人员信息 (3)"]
    values = [[row[0] for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]
    assert values == [["序号", 1, 2, 3], ["序号", 4, 5, 6], ["序号", 7, 8]]
    assert all(sheet.freeze_panes == "A2" for sheet in book.worksheets)


def test_a_refused_write_fails_loudly_instead_of_losing_the_row(tmp_path):
    """xlsxwriter answers -1 past row 1,048,576 and writes nothing: the writer must not carry on silently."""
    writer = ExportWriter(str(tmp_path / "big.xlsx"), "人员信息", ("序号",),
                          rows_per_sheet=export_writer.SHEET_ROWS + 10)  # as if the split were missing
    writer.write((1,))
    writer.row = export_writer.SHEET_ROWS - 1  # the next row is the 1,048,577th
    with pytest.raises(WriteFailed):
        writer.write((2,))


def test_every_write_is_checked(tmp_path):
    writer = ExportWriter(str(tmp_path / "long.xlsx"), "测试", ("文字",))
    with pytest.raises(WriteFailed):
        writer.write(("字" * 40_000,))  # longer than a cell holds: xlsxwriter answers -2 and truncates


def test_a_large_export_is_split_by_the_job_and_counts_every_row(app, client, login, monkeypatch):
    user = login(role="viewer")
    monkeypatch.setattr(export_writer, "SHEET_ROWS", 3)
    monkeypatch.setitem(EXPORTS, "numbers", ExportSpec("numbers", "数字", ("n",),
                                                       lambda _u, _p: ((n,) for n in range(5)), scope="region"))
    export = ExportJob(user_id=user.id, kind="numbers", params={}, filename="数字.xlsx")
    db.session.add(export)
    db.session.commit()
    assert export_jobs.build_export(export.id) == "done"
    book = workbook_of(client.get(f"/exports/{export.id}/download"))
    assert [len(list(sheet.iter_rows())) - 1 for sheet in book.worksheets] == [2, 2, 1]
    assert db.session.get(ExportJob, export.id).rows == 5
