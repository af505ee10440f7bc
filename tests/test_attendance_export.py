"""导出数据 of 人员考勤日报表: the list's filters, masked ID numbers, the columns of the screen, 我的导出 in words."""
from datetime import datetime, time
from urllib.parse import quote

from sqlalchemy import select

from tests.attendance_helpers import YESTERDAY, aggregate, sheet, site, worked
from wagewatch.attendance import queries
from wagewatch.extensions import db
from wagewatch.models import ExportJob
from wagewatch.people import id_number_of


def export(client, **params):
    response = client.post("/exports", data={"kind": "attendance_daily", **params})
    assert response.status_code == 303, response.get_data(as_text=True)
    job = db.session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
    assert job.status == "done", job.error
    download = client.get(f"/exports/{job.id}/download")
    rows = sheet(download.data)
    return job, download, rows


def test_export_follows_the_filters_and_masks_ids(client, login, app):
    project, (a, b) = site(workers=("买买提·艾力", "古丽·阿不都"))
    worked(project, a)
    worked(project, b, times=((10, 5),))
    aggregate()
    login()
    job, download, rows = export(client, project_id=str(project.id), status="single",
                                 date_from=YESTERDAY.isoformat(), date_to=YESTERDAY.isoformat())
    assert "filename*=UTF-8''" + quote(f"人员考勤日报表_{project.name}_") in download.headers["Content-Disposition"]
    assert rows[0] == queries.HEADERS
    assert len(rows) == 2
    row = rows[1]
    number = id_number_of(b)
    assert row[4] == "古丽·阿不都" and row[5] == f"{number[:3]}*****{number[-3:]}"
    assert number not in str(rows) and row[1] == project.name and row[3] == "钢筋班"
    assert row[9] == 1 and row[10] == "0:00" and row[11] == "单次打卡"
    # Real date and time cells, in Beijing time.
    assert row[0] == datetime.combine(YESTERDAY, time()) and row[7] == datetime.combine(YESTERDAY, time(10, 5))
    assert job.description.startswith(project.name) and "单次打卡" in job.description


def test_export_by_id_number_is_described_masked(client, login, app):
    project, (a,) = site()
    worked(project, a)
    aggregate()
    login()
    number = id_number_of(a)
    job, _download, rows = export(client, id_number=number)
    assert len(rows) == 2 and number not in job.description and f"{number[:3]}*****{number[-3:]}" in job.description
    assert number not in str(job.params)  # stored and audited as its keyed hash and mask only


def test_export_with_a_bad_range_fails_with_the_reason(client, login, app):
    login()
    response = client.post("/exports", data={"kind": "attendance_daily", "date_from": "2026-01-01",
                                              "date_to": "2026-03-01"})
    assert response.status_code == 303
    job = db.session.scalars(select(ExportJob)).one()
    assert job.status == "failed" and "31天" in job.error


def test_the_list_offers_the_export_with_its_filters(client, login, app):
    project, (a,) = site()
    worked(project, a)
    aggregate()
    login()
    html = client.get(f"/attendance/daily?project_id={project.id}&status=normal").get_data(as_text=True)
    form = html.split('class="inline export-form"')[1].split("</form>")[0]
    assert 'value="attendance_daily"' in form and f'name="project_id" value="{project.id}"' in form
    assert 'name="status" value="normal"' in form and f'name="date_from" value="{YESTERDAY}"' in form
