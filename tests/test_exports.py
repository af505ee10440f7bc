"""The export flow: request, status fragment, 我的导出, download, scope, masking of formulas, audit."""
from datetime import date, datetime, timezone
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import openpyxl
from sqlalchemy import select

from jobs.exports import build_export
from tests.factories import EnterpriseFactory, ProjectFactory, employ, make_worker
from wagewatch.exports.queries import PROJECT_HEADERS
from wagewatch.exports.writer import neutralise
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, AuditLog, ExportJob


def sheet_rows(response):
    workbook = openpyxl.load_workbook(BytesIO(response.data), read_only=True)
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def compliant_project(region="652328", trade="housing", workers=3, **kwargs):
    project = ProjectFactory(region=region, trade=trade, review_status="approved", status="in_progress",
                             labour_officer_name="王芳", **kwargs)
    today = date(2026, 11, 26)
    for n in range(workers):
        worker = make_worker(f"工人{n}")
        employ(project, worker)
        db.session.add(AttendanceDay(project_id=project.id, worker_id=worker.id, day=today,
                                     first_in=_utc(today), last_out=_utc(today), punches=2, work_minutes=480,
                                     status="normal"))
    return project


def _utc(day):
    return datetime(day.year, day.month, day.day, 1, 0, tzinfo=timezone.utc)


def test_neutralise_formula_cells():
    assert [neutralise(v) for v in ("=1+1", "+86", "-x", "@SUM", "\tx", "ok", 5)] == \
        ["'=1+1", "'+86", "'-x", "'@SUM", "'\tx", "ok", 5]


def test_export_projects_end_to_end(client, hx, login, frozen_clock):
    user = login(role="viewer", region="652300")  # 昌吉州 users see 木垒县 (652328) but not 哈密 (650502)
    # The R1 attendance window is counted back from Beijing today; the fixtures use 2026-11-26 data.
    frozen_clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc))
    good = compliant_project(name="木垒县第一中学教学楼建设项目")
    ProjectFactory(region="652328", review_status="approved", status="in_progress", name="=HYPERLINK(\"x\")工程",
                   owner=EnterpriseFactory(name="-建设单位"))
    ProjectFactory(region="652328", review_status="pending", name="待审工程")
    ProjectFactory(region="650502", review_status="approved", status="in_progress", name="哈密工程")
    db.session.commit()

    response = hx.post("/exports", data={"kind": "projects"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    export = db.session.scalars(select(ExportJob)).one()
    assert f'id="export-{export.id}"' in html and "完成" in html and "下载" in html
    assert 'hx-trigger' not in html  # done: the fragment stops polling
    assert "<html" not in html
    assert export.user_id == user.id and export.status == "done" and export.rows == 3

    download = client.get(f"/exports/{export.id}/download")
    assert download.status_code == 200
    disposition = download.headers["Content-Disposition"]
    assert "filename*=UTF-8''" + quote("工程清单") in disposition
    assert disposition.startswith('attachment; filename="projects_') and disposition.count(".xlsx") == 2
    rows = sheet_rows(download)
    assert rows[0] == PROJECT_HEADERS
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"木垒县第一中学教学楼建设项目", "'=HYPERLINK(\"x\")工程", "待审工程"}
    first = by_name["木垒县第一中学教学楼建设项目"]
    assert first[2] == "木垒县人社局" and first[3] == "住建" and first[4] == "木垒县住建局"
    assert first[7] == 3 and first[8] == "达标"
    injected = by_name["'=HYPERLINK(\"x\")工程"]
    assert injected[5] == "'-建设单位" and injected[7] == 0 and injected[8].startswith("未达标（在职人数不足")
    assert by_name["待审工程"][8] == "未审核"
    actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert "export_requested" in actions and "export_downloaded" in actions



def test_projects_file_reads_the_stored_r1_and_computes_only_missing_rows(client, login, frozen_clock):
    """The stored verdict (what 实名制进度预警 shows) wins over a live count; a project with no stored row yet
    gets its verdict computed and stored when the file is requested."""
    from wagewatch.models import ProjectRealname
    from wagewatch.realname.compute import refresh

    login(role="viewer", region="652300")
    frozen_clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc))
    stored = compliant_project(name="已存档工程")
    fresh = compliant_project(name="新在建工程", workers=2)
    db.session.flush()
    refresh([stored.id])
    # the nightly figures: the attendance since then is not in them yet (stored as 2 在职, contracts short)
    row = db.session.get(ProjectRealname, stored.id)
    row.active, row.signed, row.compliant, row.failed = 2, 1, False, "contract_ratio"
    db.session.commit()
    client.post("/exports", data={"kind": "projects"})
    export = db.session.scalars(select(ExportJob)).one()
    assert export.status == "done", export.error
    by_name = {r[0]: r for r in sheet_rows(client.get(f"/exports/{export.id}/download"))[1:]}
    assert by_name["已存档工程"][7:] == (2, "未达标（劳动合同签订率不足）")
    assert by_name["新在建工程"][7:] == (2, "达标")
    assert db.session.get(ProjectRealname, fresh.id).compliant is True  # stored, as the screen would


def test_export_params_filter_rows(client, login):
    login(role="viewer")
    ProjectFactory(review_status="approved", status="in_progress", name="在建A")
    ProjectFactory(review_status="pending", name="未审B")
    db.session.commit()
    response = client.post("/exports", data={"kind": "projects", "tab": "pending", "review_status": "ignored"})
    assert response.status_code == 303
    export = db.session.scalars(select(ExportJob)).one()
    assert response.headers["Location"].endswith(f"/exports/{export.id}")
    page = client.get(response.headers["Location"])
    assert "<html" in page.get_data(as_text=True) and "完成" in page.get_data(as_text=True)
    rows = sheet_rows(client.get(f"/exports/{export.id}/download"))
    assert [row[0] for row in rows[1:]] == ["未审B"]


def test_industry_user_sees_only_own_industry(client, login):
    login(role="viewer", region="650000", kind="industry", industry="water")
    ProjectFactory(trade="water", name="水利工程")
    ProjectFactory(trade="housing", name="住建工程")
    db.session.commit()
    client.post("/exports", data={"kind": "projects"})
    export = db.session.scalars(select(ExportJob)).one()
    assert [row[0] for row in sheet_rows(client.get(f"/exports/{export.id}/download"))[1:]] == ["水利工程"]


def test_bad_requests_never_500(client, hx, login):
    login()
    assert client.post("/exports", data={"kind": "nope"}).status_code == 400
    assert hx.post("/exports", data={"kind": "projects", "name": "x" * 500}).status_code == 400
    assert db.session.scalars(select(ExportJob)).all() == []


def test_needs_reviewer(client, login, monkeypatch):
    from wagewatch.exports.registry import EXPORTS, ExportSpec
    monkeypatch.setitem(EXPORTS, "secret", ExportSpec("secret", "人员信息", ("姓名",), lambda u, p: iter(()), True,
                                                         scope="project"))
    login(role="viewer")
    assert client.post("/exports", data={"kind": "secret"}).status_code == 403


def test_status_polls_until_done_and_others_get_404(app, client, hx, login):
    owner = login(role="viewer")
    export = ExportJob(user_id=owner.id, kind="projects", params={}, status="queued", filename="工程清单.xlsx")
    db.session.add(export)
    db.session.commit()
    html = hx.get(f"/exports/{export.id}/status", headers={"X-Poll": "1"}).get_data(as_text=True)
    assert 'hx-trigger="every 3s"' in html and "排队中" in html and '"X-Poll": "1"' in html
    export.status, export.rows = "running", 2000
    db.session.commit()
    assert "生成中 2000 行" in hx.get(f"/exports/{export.id}/status").get_data(as_text=True)
    assert client.get(f"/exports/{export.id}/download").status_code == 404  # not ready yet
    build_export(export.id)
    html = hx.get(f"/exports/{export.id}/status").get_data(as_text=True)
    assert "完成" in html and "hx-trigger" not in html

    login(role="admin", username="intruder")
    for url in (f"/exports/{export.id}/status", f"/exports/{export.id}/download", f"/exports/{export.id}"):
        assert client.get(url).status_code == 404


def test_rebuild_is_idempotent(app, client, login):
    user = login(role="viewer")
    ProjectFactory(name="唯一工程")
    export = ExportJob(user_id=user.id, kind="projects", params={}, filename="工程清单.xlsx")
    db.session.add(export)
    db.session.commit()
    build_export(export.id)
    export.status = "running"  # as if a killed attempt left it behind
    db.session.commit()
    assert build_export(export.id) == "done"
    files = Path(app.config["EXPORT_DIR"]).glob(f"export-{export.id}.*")
    assert [f.name for f in files] == [f"export-{export.id}.xlsx"]  # same path rewritten, no .part left
    assert [r[0] for r in sheet_rows(client.get(f"/exports/{export.id}/download"))[1:]] == ["唯一工程"]
    assert db.session.get(ExportJob, export.id).attempts == 2


def test_my_exports_page_both_ways(client, hx, login):
    user = login(role="viewer")
    db.session.add(ExportJob(user_id=user.id, kind="projects", params={"status": "in_progress"},
                             status="failed", error="导出人已无权导出此数据"))
    db.session.commit()
    page = client.get("/exports")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    assert "我的导出" in page.get_data(as_text=True) and "失败" in page.get_data(as_text=True)
    fragment = hx.get("/exports")
    assert "<html" not in fragment.get_data(as_text=True) and "HX-Request" in fragment.headers["Vary"]


def test_home_offers_the_export_button(client, login):
    login(role="viewer")
    html = client.get("/").get_data(as_text=True)
    assert 'action="/exports"' in html and 'name="kind" value="projects"' in html and "导出数据" in html
    assert 'hx-target="#export-slot-projects"' in html and 'id="export-slot-projects"' in html


def test_attempts_are_bounded(app, login):
    user = login(role="viewer")
    export = ExportJob(user_id=user.id, kind="projects", params={}, status="running", attempts=4)
    db.session.add(export)
    db.session.commit()
    assert build_export(export.id) == "failed"
    assert "重试3次" in db.session.get(ExportJob, export.id).error


def test_failures_become_chinese_reasons(app, login, monkeypatch):
    from werkzeug.exceptions import NotFound

    from wagewatch.exports.registry import EXPORTS, ExportSpec

    user = login(role="reviewer")

    def failing(error):
        def rows(_user, _params):
            raise error
            yield  # pragma: no cover - makes this a generator

        return rows

    cases = {"scope": (NotFound(), "管辖范围"), "filters": (ValueError("日期格式不正确"), "筛选条件无效：日期格式不正确"),
             "crash": (RuntimeError("boom"), "生成文件时出错（RuntimeError）")}
    for kind, (error, reason) in cases.items():
        monkeypatch.setitem(EXPORTS, kind, ExportSpec(kind, "测试", ("列",), failing(error), scope="region"))
        export = ExportJob(user_id=user.id, kind=kind, params={})
        db.session.add(export)
        db.session.commit()
        assert build_export(export.id) == "failed"
        assert reason in db.session.get(ExportJob, export.id).error
    unknown = ExportJob(user_id=user.id, kind="gone", params={})
    db.session.add(unknown)
    db.session.commit()
    assert build_export(unknown.id) == "failed" and db.session.get(ExportJob, unknown.id).error == "不支持的导出类型。"
