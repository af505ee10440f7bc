"""欠薪投诉监控: the manual's filters and placeholders, the table's column groups, page and fragment, the pane."""
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.complaint_factories import make_complaint
from tests.factories import ProjectFactory, employ, make_worker
from wagewatch import people
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Payroll, PayrollLine

NOW = datetime.now(UTC)
ID = "450102199001011234"


def _valid_id():
    from wagewatch.validators import id_check_char
    return ID[:17] + id_check_char(ID[:17])


FULL_ID = _valid_id()


def rows_of(html: str) -> list[str]:
    return re.findall(r'<tr id="complaint-(\d+)"', html)


def test_filter_bar_has_every_filter_of_the_manual_with_its_placeholder(client, login):
    login()
    html = client.get("/complaints").text
    for label in ("投诉编号", "工程名称", "总包单位", "人社监管单位", "行业领域", "行业主管单位", "投诉人", "投诉类型",
                  "所在区域", "超时情况", "督办情况", "投诉起止时间", "投诉/申诉筛选"):
        assert f"<span>{label}</span>" in html or f"<legend>{label}</legend>" in html, label
    for placeholder in ("输入投诉编号", "输入工程名称", "输入总包单位", "投诉人名称/身份证/手机", "选择日期"):
        assert f'placeholder="{placeholder}"' in html, placeholder
    for select, first in (("hr_org", "请选择"), ("industry", "全部"), ("industry_org", "请选择"), ("type", "全部"),
                          ("region", "请选择"), ("timeliness", "全部情况"), ("supervision", "全部情况")):
        assert re.search(rf'<select[^>]*name="{select}"[^>]*>\s*<option[^>]*value=""[^>]*>{first}</option>', html), select
    assert re.findall(r'name="category" value="(\w*)"', html) == ["", "complaint", "appeal"]
    assert ">查询</button>" in html and "说明: 双击可以查看详情" in html
    assert 'method="post" action="/complaints/search"' in html


def test_table_shows_the_manuals_column_groups_masked(client, login):
    make_complaint(id_number=FULL_ID, phone="13912345678", submitted_at=datetime(2022, 5, 15, 9, 52, tzinfo=UTC))
    db.session.commit()
    login()
    html = client.get("/complaints").text
    for header in ("工程信息", "系统数据核查", "投诉人信息", "提交时间", "督办情况", "投诉处理情况", "申诉处理情况"):
        assert f"<th>{header}</th>" in html
    for text in ("工程名称: pyq测试工程新疆某某项目", "所在区域: 木垒哈萨克自治县", "总包单位: 广西东信云网科技有限公司",
                 "工程未绑定工资专户", "姓名: 张楠懿", "身份证: 450*****234"[:13], "手机: 139****5678",
                 "投诉时间: 2022-05-15 17:52", "申诉时间: 暂无", "未推送监管", "读取情况: 企业未读", "处理情况: 企业未处理",
                 "投诉状态: 投诉中", "申诉状态: 暂无"):
        assert text in html, text
    assert FULL_ID not in html and "13912345678" not in html
    assert "已超时" in html and "flag-red" in html  # a 2022 open case is overdue: colour and words


def test_no_findings_show_dashes_and_an_appeal_shows_its_progress(client, login):
    make_complaint(checks=[], status="handled", read_at=NOW - timedelta(hours=5), handled_at=NOW - timedelta(hours=4),
                   appeal_status="open", appealed_at=NOW - timedelta(hours=1), submitted_at=NOW - timedelta(hours=6))
    db.session.commit()
    login()
    html = client.get("/complaints").text
    assert '<td class="lines">--</td>' in html
    assert "申诉状态: 申诉中" in html and "企业已处理" in html and "申诉时间: 暂无" not in html


def test_newest_first_and_paginated(client, login):
    for hours in range(45):
        make_complaint(submitted_at=NOW - timedelta(hours=hours + 1), complaint_no=f"TSP{hours:04d}")
    db.session.commit()
    login()
    first = client.get("/complaints").text
    assert "共 45 条" in first and first.index("TSP0000") < first.index("TSP0001")
    assert len(rows_of(first)) == 20
    second = client.get("/complaints?page=2").text
    assert len(rows_of(second)) == 20 and "TSP0020" in second and "TSP0019" not in second
    last = client.get("/complaints?page=3").text
    assert len(rows_of(last)) == 5 and "TSP0044" in last
    # the pager's link seeks from the last row of page 1 (no OFFSET) and lands on the same rows
    link = re.search(r'href="(/complaints\?[^"]*after=[^"]*)"[^>]*rel="next"', first).group(1).replace("&amp;", "&")
    assert rows_of(client.get(link).text) == rows_of(second)


def test_page_and_fragment(client, hx, login):
    make_complaint()
    db.session.commit()
    login()
    page = client.get("/complaints")
    fragment = hx.get("/complaints")
    assert "<html" in page.text and "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<section id="complaints-table"')
    assert {"HX-Request", "HX-Request-Type"} <= set(page.headers["Vary"].replace(" ", "").split(","))


@pytest.mark.parametrize("query, expected", [
    ("no=TSA", {"TSA1"}),
    ("project=甲工程", {"TSA1"}),
    ("contractor=乙公司", {"TSB2"}),
    ("industry=water", {"TSB2"}),
    ("type=克扣工资", {"TSB2"}),
    ("region=652300", {"TSA1"}),
    ("region=654200", {"TSB2"}),
    ("supervision=supervising", {"TSB2"}),
    ("timeliness=overdue", {"TSB2"}),
    ("timeliness=soon", {"TSA1"}),
    ("timeliness=ok", set()),
    ("category=appeal", {"TSB2"}),
    ("category=complaint", {"TSA1"}),
    ("submitted_from=2026-01-01", {"TSA1"}),
    ("submitted_to=2025-12-31", {"TSB2"}),
    ("complainant=阿依", {"TSB2"}),
])
def test_each_filter(client, login, query, expected):
    make_complaint(complaint_no="TSA1", project_name="甲工程", submitted_at=NOW - timedelta(hours=1))
    make_complaint(complaint_no="TSB2", project_name="丙工程", contractor_name="乙公司建设", region="654201",
                   industry="water", type="克扣工资", supervision_status="supervising", name="阿依古丽",
                   submitted_at=datetime(2025, 6, 1, tzinfo=UTC), status="handled",
                   read_at=datetime(2025, 6, 2, tzinfo=UTC), handled_at=datetime(2025, 6, 3, tzinfo=UTC),
                   appeal_status="open", appealed_at=datetime(2025, 6, 4, tzinfo=UTC))
    db.session.commit()
    login()
    html = client.get(f"/complaints?{query}").text
    shown = set(re.findall(r"TS[AB]\d", html)) - {m for m in re.findall(r'value="(TS[AB]\d)"', html)}
    assert shown == expected


def test_org_filters_find_cases_of_projects_they_supervise_and_unmatched_cases_of_their_region(client, login):
    project = ProjectFactory(region="652328", trade="housing")
    make_complaint(project=project, complaint_no="TSP1")
    make_complaint(region="652328", industry="housing", complaint_no="TSU2")  # no project, same county
    make_complaint(region="654201", industry="housing", complaint_no="TSX3")
    db.session.commit()
    login()
    hr = project.hr_org_id
    html = client.get(f"/complaints?hr_org={hr}").text
    assert "TSP1" in html and "TSU2" in html and "TSX3" not in html
    html = client.get(f"/complaints?industry_org={project.industry_org_id}").text
    assert "TSP1" in html and "TSU2" in html and "TSX3" not in html


def test_a_full_id_number_or_phone_finds_the_case_without_entering_a_url(client, login):
    make_complaint(id_number=FULL_ID, phone="13912345678", complaint_no="TSID1")
    make_complaint(complaint_no="TSOTHER", phone="13700000000")
    db.session.commit()
    login()
    for number in (FULL_ID, FULL_ID.lower() if FULL_ID.endswith("X") else FULL_ID, "13912345678"):
        response = client.post("/complaints/search", data={"complainant": number})
        assert response.status_code == 303
        location = response.headers["Location"]
        assert number not in location and ("id_hash=" in location or "phone_hash=" in location)
        html = client.get(location).text
        assert "TSID1" in html and "TSOTHER" not in html
        assert number not in html and "已按完整号码查询" in html


def test_a_number_typed_into_the_url_is_moved_out_at_once(client, login):
    login()
    response = client.get(f"/complaints?complainant={FULL_ID}")
    assert response.status_code == 303 and FULL_ID not in response.headers["Location"]


def test_htmx_search_pushes_the_clean_url(hx, login):
    make_complaint(phone="13912345678", complaint_no="TSID1")
    db.session.commit()
    login()
    response = hx.post("/complaints/search", data={"complainant": "13912345678", "category": ""})
    assert response.status_code == 200 and "TSID1" in response.text
    assert "13912345678" not in response.headers["HX-Push-Url"]
    assert response.headers["HX-Push-Url"].startswith("/complaints?phone_hash=")


@pytest.mark.parametrize("query", ["submitted_from=2022-13-01", "region=999999", "timeliness=late", "category=x",
                                   "supervision=x", "type=x", "hr_org=999999", "page=0", "id_hash=zz",
                                   "submitted_from=2022-05-02&submitted_to=2022-05-01", "no=" + "x" * 40])
def test_bad_input_is_422_with_a_chinese_message(client, login, query):
    login()
    response = client.get(f"/complaints?{query}")
    assert response.status_code == 422
    assert re.search(r'(class="error">|role="alert">\s*<p>)[^<]*[\u4e00-\u9fff]', response.text)


def test_bad_search_keeps_the_table_and_shows_errors_beside_fields(hx, login):
    login()
    response = hx.post("/complaints/search", data={"submitted_from": "2022-99-01"})
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#complaints-search"
    assert response.text.lstrip().startswith('<form id="complaints-search"') and "日期格式" in response.text


def _case_with_evidence():
    project = ProjectFactory(region="652328", trade="housing", review_status="approved", status="in_progress")
    worker = make_worker("张楠懿")
    employ(project, worker)
    submitted = datetime(2026, 5, 15, 9, 52, tzinfo=UTC)
    day = submitted.date() - timedelta(days=10)
    db.session.add(AttendanceDay(project_id=project.id, worker_id=worker.id, day=day, first_in=submitted,
                                 last_out=submitted, punches=2, work_minutes=480, status="normal"))
    payroll = Payroll(payroll_no="PR1", project_id=project.id, month="2026-04", submitted_at=submitted)
    db.session.add(payroll)
    db.session.flush()
    db.session.add(PayrollLine(payroll_id=payroll.id, worker_id=worker.id, days_worked=22, amount_due=6000,
                               amount_paid=6000, pay_status="paid"))
    complaint = make_complaint(project=project, id_number=people.id_number_of(worker), submitted_at=submitted,
                               checks=[{"code": "wages_paid_recently", "label": "近三个月工资已代发",
                                        "amount_paid": "6000.00", "months": [{"month": "2026-04", "amount_paid": "6000.00"}]}])
    db.session.add_all([])
    db.session.commit()
    return project, complaint


def test_pane_shows_the_whole_case_with_evidence_and_timeline(hx, login):
    project, complaint = _case_with_evidence()
    login()
    response = hx.get(f"/complaints/{complaint.id}/pane")
    html = response.text
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<aside id="detail-pane"')
    for text in ("投诉 " + complaint.complaint_no, "拖欠工资", "3,000.00", "张楠懿", complaint.complainant_id_masked,
                 project.name, project.code, "近三个月工资已代发", "2026-04", "6,000.00", "已发", "在名单中", "1 天",
                 "工资专户", "未绑定工资专户", "企业读取", "企业处理", "办结", "投诉人 · 提交投诉", "2026-05-15 17:52"):
        assert text in html, text
    assert f"/attendance/daily?project_id={project.id}" in html
    assert f"/wages/progress/detail?project_id={project.id}" in html
    assert f"/projects/site?project_id={project.id}" in html


def test_pane_without_javascript_is_the_list_with_the_pane_beside_it(client, login):
    complaint = make_complaint(complaint_no="TSPANE", project_name="甲工程")
    make_complaint(complaint_no="TSHIDDEN", project_name="乙工程")
    db.session.commit()
    login()
    response = client.get(f"/complaints/{complaint.id}/pane")
    assert response.status_code == 303
    html = client.get(f"/complaints?project=甲&case={complaint.id}").text
    assert '<aside id="detail-pane"' in html and "投诉 TSPANE" in html and "TSHIDDEN" not in html
    assert 'href="/complaints?project=%E7%94%B2"' in html or "关闭详情" in html


def test_rows_open_the_pane_by_double_click_or_enter_and_carry_a_link(client, login):
    complaint = make_complaint()
    db.session.commit()
    login()
    html = client.get("/complaints").text
    row = re.search(rf'<tr id="complaint-{complaint.id}"[^>]*>', html).group(0)
    # Enter is mapped to the double-click in app.js: htmx's keyup[key=='Enter'] filter needs eval, which the CSP refuses
    assert 'tabindex="0"' in row and 'hx-trigger="dblclick"' in row and "data-enter-opens" in row
    assert 'hx-target="#detail-pane"' in row
    assert f'href="/complaints?case={complaint.id}"' in html


def test_viewers_see_no_supervision_buttons_and_no_export(hx, client, login):
    complaint = make_complaint()
    db.session.commit()
    login(role="viewer")
    assert "督办意见" not in hx.get(f"/complaints/{complaint.id}/pane").text
    assert 'name="kind" value="complaints"' not in client.get("/complaints").text
