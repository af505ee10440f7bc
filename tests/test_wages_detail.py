"""工资代发实时进度明细 (manual §6): sheets with counts by status, a sheet's lines, the evidence of each flag, scope."""
import re
from datetime import datetime, timezone

import pytest

from tests.wages_data import build_clean, build_month
from wagewatch.extensions import db

NOW = datetime(2026, 10, 20, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def month(app, frozen_clock):
    frozen_clock.set(NOW)
    first, workers, sheets = build_month()
    clean, _people = build_clean()
    hami, _w, hami_sheets = build_month("哈密市伊州区道路工程", region="650502", trade="transport")
    db.session.commit()
    return {"first": first, "clean": clean, "hami": hami, "workers": workers, "sheets": sheets,
            "hami_sheets": hami_sheets}


def url(project, **extra):
    query = "&".join(f"{k}={v}" for k, v in {"project_id": project.id, "month": "2026-09", **extra}.items())
    return f"/wages/progress/detail?{query}"


def section(html: str, start: str, end: str = "</table>") -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_without_a_project_it_asks_for_one(client, login, month):
    login(region="652328")
    html = client.get("/wages/progress/detail").get_data(as_text=True)
    assert "请选择工程和月份" in html and 'value="2026-09"' in html


def test_page_and_fragment(client, hx, login, month):
    login(region="652328")
    page = client.get(url(month["first"]))
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    fragment = hx.get(url(month["first"]))
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and text.lstrip().startswith('<section id="wages-detail"')
    assert "HX-Request" in fragment.headers["Vary"]


def test_figures_flags_and_sheets(client, login, month):
    login(region="652328")
    html = client.get(url(month["first"])).get_data(as_text=True)
    figures = section(html, '<dl class="facts" id="detail-figures">', "</dl>")
    assert "<dt>考勤人数</dt><dd>7</dd>" in figures and "<dt>已发人数</dt><dd>5</dd>" in figures
    assert "银行处理中" in figures and "2026-10-15" in figures
    flags = section(html, '<ul class="flag-reasons" id="detail-flags">', "</ul>")
    assert "考勤7人，已发4人，未发3人（42.9%）" in flags and "逾期未足额发放" in flags
    sheets = section(html, '<table id="sheets-table">')
    a, b = month["sheets"]
    row_a = section(sheets, f'<tbody id="sheet-{a.id}">', "</tr>")
    assert a.payroll_no in row_a and "钢筋班" in row_a and "2026-10-10 10:00" in row_a
    # 人数, 应发, 实发, 未发, 已发, 发放失败, 重新发放中
    assert re.findall(r'<td class="num">([^<]*)</td>', row_a) == [
        "7", "81,580.00", "71,020.00", "0", "5", "1", "1"]
    assert "2026-10-15 11:00" in row_a   # the last bank result
    row_b = section(sheets, f'<tbody id="sheet-{b.id}">', "</tr>")
    assert re.findall(r'<td class="num">([^<]*)</td>', row_b) == ["2", "7,920.00", "2,640.00", "1", "1", "0", "0"]


def test_evidence_of_each_flag_names_the_workers(client, login, month):
    login(region="652328")
    html = client.get(url(month["first"])).get_data(as_text=True)
    w = month["workers"]
    missing = section(html, 'id="evidence-NOT_ON_SHEET"')
    assert re.findall(r"<tr><td>([^<]+)</td>", missing) == [w[6].name] and "未列入工资单" in missing
    assert "有考勤但未列入工资单的工人" in html
    unpaid = section(html, 'id="evidence-UNPAID_ON_SHEET"')
    assert re.findall(r"<tr><td>([^<]+)</td>", unpaid) == [w[1].name, w[5].name]
    assert "发放失败" in unpaid and "重新发放中" in unpaid and w[1].id_number_masked in unpaid
    no_attendance = section(html, 'id="evidence-PAID_NO_ATTENDANCE"')
    assert re.findall(r"<tr><td>([^<]+)</td>", no_attendance) == [w[7].name] and "4,800.00" in no_attendance
    assert re.findall(r"<tr><td>([^<]+)</td>", section(html, 'id="evidence-PAY_BELOW_MIN"')) == [w[2].name]
    assert re.findall(r"<tr><td>([^<]+)</td>", section(html, 'id="evidence-PAY_OUTLIER"')) == [w[3].name]


def test_a_clean_month_has_no_evidence(client, login, month):
    login(region="652328")
    html = client.get(url(month["clean"])).get_data(as_text=True)
    assert '<p class="ok" id="detail-flags">无异常</p>' in html and "evidence-" not in html
    assert "已足额发放" in html


def test_a_month_without_data(client, login, month):
    login(region="652328")
    html = client.get(url(month["first"], month="2026-07").replace("month=2026-09&", "")).get_data(as_text=True)
    assert "暂无考勤记录，也未提交工资单" in html and "本月未提交工资单" in html


def test_expanding_a_sheet_with_and_without_javascript(client, hx, login, month):
    login(region="652328")
    a = month["sheets"][0]
    w = month["workers"]
    pane = hx.get(f"/wages/progress/sheets/{a.id}/lines")
    text = pane.get_data(as_text=True)
    assert pane.status_code == 200 and text.lstrip().startswith(f'<tr id="sheet-{a.id}-lines"')
    assert len(re.findall(r'<tr id="line-\d+">', text)) == 7
    failed = section(text, f"<td>{w[1].name}</td>", "</tr>")
    assert w[1].id_number_masked in failed and "发放失败" in failed and "账户已冻结" in failed
    assert '<td class="num">22</td><td class="num">22</td>' in failed   # 出勤天数 from attendance beside 天数
    no_att = section(text, f"<td>{w[7].name}</td>", "</tr>")
    assert '<td class="num">0</td><td class="num">20</td>' in no_att
    plain = client.get(f"/wages/progress/sheets/{a.id}/lines")
    assert plain.status_code == 303 and plain.headers["Location"].endswith(
        f"/wages/progress/detail?project_id={month['first'].id}&month=2026-09&sheet={a.id}#sheet-{a.id}")
    html = client.get(url(month["first"], sheet=a.id)).get_data(as_text=True)
    assert len(re.findall(r'<tr id="line-\d+">', html)) == 7 and "收起" in html


@pytest.mark.parametrize("query, message", [("month=2026-00", "月份格式应为YYYY-MM"),
                                            ("project_id=-1", "请从工程列表中选择工程")])
def test_bad_search_answers_422(client, login, month, query, message):
    login(region="652328")
    response = client.get(f"/wages/progress/detail?{query}")
    assert response.status_code == 422 and message in response.get_data(as_text=True)


@pytest.mark.parametrize("login_as", [
    {"region": "652328"}, {"region": "652300", "role": "viewer"},
    {"region": "650000", "kind": "industry", "industry": "housing"},
])
def test_other_jurisdictions_answer_404(client, hx, login, month, login_as):
    login(**login_as)
    assert client.get(url(month["hami"])).status_code == 404
    assert hx.get(f"/wages/progress/sheets/{month['hami_sheets'][0].id}/lines").status_code == 404
    assert client.get(f"/wages/progress/sheets/{month['hami_sheets'][0].id}/lines").status_code == 404
    assert client.get("/wages/progress/sheets/999999/lines").status_code == 404
    assert client.get(url(month["first"])).status_code == 200


def test_the_other_region_sees_its_own(client, login, month):
    login(region="650500", kind="industry", industry="transport")
    assert client.get(url(month["hami"])).status_code == 200
    assert client.get(url(month["first"])).status_code == 404


def test_a_long_sheet_opens_a_page_of_lines_at_a_time(client, hx, login, month, monkeypatch):
    monkeypatch.setattr("wagewatch.wages.detail.LINES_PER_PAGE", 3)
    login(region="652328")
    a = month["sheets"][0]
    first = hx.get(f"/wages/progress/sheets/{a.id}/lines").get_data(as_text=True)
    assert len(re.findall(r'<tr id="line-\d+">', first)) == 3 and "共 7 条" in first
    assert f'hx-get="/wages/progress/sheets/{a.id}/lines?page=3"' in first
    last = hx.get(f"/wages/progress/sheets/{a.id}/lines?page=3").get_data(as_text=True)
    assert len(re.findall(r'<tr id="line-\d+">', last)) == 1
    plain = client.get(f"/wages/progress/sheets/{a.id}/lines?page=2")
    assert plain.headers["Location"].endswith(f"sheet={a.id}&lines_page=2#sheet-{a.id}")
    html = client.get(url(month["first"], sheet=a.id, lines_page=2)).get_data(as_text=True)
    assert len(re.findall(r'<tr id="line-\d+">', html)) == 3
    other = month["hami_sheets"][0].id
    assert "line-" not in client.get(url(month["first"], sheet=other)).get_data(as_text=True)


def test_its_own_search_is_the_project_selector(client, login, month):
    login(region="652328")
    html = client.get("/wages/progress/detail").get_data(as_text=True)
    assert '<details class="selector" id="project-selector" data-close-outside open>' in html
    assert 'hx-get="/selector/wages.progress_detail/children?region=652328"' in html or \
        "/selector/wages.progress_detail/" in html
    found = client.get("/selector/wages.progress_detail/search?q=木垒县").get_data(as_text=True)
    assert f'href="/wages/progress/detail?project_id={month["first"].id}"' in found
    assert month["hami"].name not in client.get("/selector/wages.progress_detail/search?q=哈密").get_data(
        as_text=True)
    chosen = client.get(url(month["first"])).get_data(as_text=True)
    assert f'<summary id="project-selector-summary">{month["first"].name}</summary>' in chosen
