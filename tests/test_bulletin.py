"""数据通报: every R4 indicator per child region and in total, notes, month, drill-down, charts, changes, lists."""
import re
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from tests.bulletin_data import complaint, project, wage_month
from wagewatch import clock
from wagewatch.bulletin.compute import snapshot
from wagewatch.bulletin.queries import previous_month
from wagewatch.extensions import db
from wagewatch.models import BulletinFigure, ExportJob
from wagewatch.rules.bulletin import INDICATORS

MONTH = "2026-11"


@pytest.fixture(autouse=True)
def frozen_today(frozen_clock):
    frozen_clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=clock.BEIJING))


@pytest.fixture
def world(app):
    project("木垒全达标", pay="full")
    project("木垒无专户", account=False, pay="unpaid")
    project("木垒无保证金", deposit="none", notice=False)
    project("吉木萨尔工程", region="652327", realname=False, officer=False)
    project("哈密工程", region="650502", trade="transport", pay="full")
    complaint("TS001", closed_after_days=3)
    complaint("TS002", closed_after_days=20, supervised=True)
    complaint("TS003", region="652327")  # open, and past its 15 days: the wage month's due day has passed
    db.session.commit()


def row(html: str, code: str) -> str:
    found = re.search(rf'<tr id="bulletin-{code}">.*?</tr>', html, re.DOTALL)
    assert found, code
    return found.group(0)


def cells(html: str, code: str) -> list[str]:
    return [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r'<td class="num">(.*?)</td>', row(html, code),
                                                                      re.DOTALL)]


def download(client, kind: str, **params) -> list[tuple]:
    client.post("/exports", data={"kind": kind, "month": MONTH, **params})
    job = db.session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
    assert job.status == "done", job.error
    sheet = openpyxl.load_workbook(BytesIO(client.get(f"/exports/{job.id}/download").data), read_only=True).active
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


def test_prefecture_rows_and_total_with_numerator_and_denominator(client, login, world):
    login(role="viewer", region="652300")
    html = client.get("/bulletin").get_data(as_text=True)
    for indicator in INDICATORS:
        assert indicator.label in html
    mulei, jimsar, total = cells(html, "652328"), cells(html, "652327"), cells(html, "total")
    # 在建, 专户, 保证金, 实名制, 公示牌, 专管员, 按月足额, 总包代发, 综合, 投诉按期, 督办
    assert mulei[0] == ["3"] and mulei[1] == ["66.7%", "2", "/", "3"] and mulei[2] == ["66.7%", "2", "/", "3"]
    assert mulei[3] == ["100.0%", "3", "/", "3"] and mulei[4] == ["66.7%", "2", "/", "3"]
    assert mulei[6] == ["50.0%", "1", "/", "2"]  # the unpaid project has R2 flags, the third had no attendance
    assert mulei[7] == ["50.0%", "6,000.00", "/", "12,000.00"]
    assert mulei[8] == ["33.3%", "1", "/", "3"]
    assert mulei[9] == ["50.0%", "1", "/", "2"] and mulei[10] == ["1"]
    assert jimsar[3] == ["0.0%", "0", "/", "1"] and jimsar[5] == ["0.0%", "0", "/", "1"]
    assert jimsar[9] == ["0.0%", "0", "/", "1"]
    assert total[0] == ["4"] and total[1] == ["75.0%", "3", "/", "4"]
    assert "哈密" not in row(html, "total") and 'id="bulletin-650502"' not in html


def test_notes_state_formula_source_and_thresholds(client, login, world):
    login(role="viewer")
    html = client.get("/bulletin").get_data(as_text=True)
    assert html.count('<details class="note"><summary aria-label=') == 2 * len(INDICATORS)
    note = re.search(r'aria-label="实名制达标率数据注释">!</summary><div role="note">(.*?)</div>', html, re.DOTALL).group(1)
    assert "实名制达标的在建工程数 / 在建工程数" in note and "R1" in note and "realname.contract_ratio = 0.90" in note
    assert "wage.min_monthly = 1900" in html and f"统计月份 {wage_month()}" in html


def test_drill_down_page_and_fragment(client, hx, login, world):
    login(role="viewer")
    page = client.get("/bulletin")
    html = page.get_data(as_text=True)
    assert "<html" in html and "HX-Request-Type" in page.headers["Vary"]
    assert f'href="/bulletin?month={MONTH}&amp;region=652300"' in html
    fragment = hx.get(f"/bulletin?month={MONTH}&region=652300")
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and body.lstrip().startswith('<section id="bulletin-report"')
    assert "昌吉回族自治州" in body and cells(body, "652328")[0] == ["3"] and 'id="bulletin-up"' in body
    county = client.get("/bulletin?region=652328").get_data(as_text=True)
    assert cells(county, "652328")[0] == ["3"] and "<a href" not in row(county, "652328")


@pytest.mark.parametrize("query", ["month=2020-01", "month=abc", "region=65"])
def test_bad_selections_answer_422(client, login, world, query):
    login(role="viewer")
    response = client.get(f"/bulletin?{query}")
    assert response.status_code == 422 and ("月份应为" in response.get_data(as_text=True)
                                            or "区域代码应为" in response.get_data(as_text=True))


def test_charts_are_inline_svg_with_accessible_names(client, login, world):
    login(role="viewer", region="652300")
    html = client.get("/bulletin").get_data(as_text=True)
    svg = re.search(r'<figure id="indicator-account">.*?</figure>', html, re.DOTALL).group(0)
    assert 'role="img"' in svg and "<title" in svg and "专户开设率各地区排名" in svg
    assert svg.count('<rect class="bar"') == 2  # 木垒县 and 吉木萨尔县 have projects
    assert "：吉木萨尔县 100.0%，木垒哈萨克自治县 66.7%</title>" in svg  # ranked, best first
    assert '<text x="80" y="26" text-anchor="end">木垒哈萨克…</text>' in svg
    assert "<canvas" not in html and "<script" not in html.split("</head>")[1]


def test_change_against_the_previous_month(client, login, world):
    login(role="viewer", region="652300")
    client.get("/bulletin")
    db.session.add(BulletinFigure(month=previous_month(MONTH), wage_month="2000-01", indicator="account",
                                  industry="housing", numerator=Decimal(1), denominator=Decimal(2), failing=1,
                                  computed_at=datetime.now(UTC), region_code="652328", prefecture_code="652300"))
    db.session.commit()
    html = client.get("/bulletin").get_data(as_text=True)
    assert re.search(r'id="change-account"><span class="up">↑ 25\.0 个百分点', html)
    assert 'id="change-deposit"><small>上月无可比数据' in html


def test_each_list_has_exactly_the_counted_rows_with_reasons(client, login, world):
    login(role="viewer", region="652300")
    html = client.get("/bulletin").get_data(as_text=True)
    for indicator in INDICATORS[1:]:
        failing = int(re.search(rf'id="failing-{indicator.key}">[^<\d]*(?:<a [^>]*>)?(\d+)', html).group(1))
        rows = download(client, f"bulletin_{indicator.key}", region="652300")
        assert len(rows) - 1 == failing, indicator.key
    rows = download(client, "bulletin_overall", region="652300")
    reasons = {r[0]: r[-1] for r in rows[1:]}
    assert reasons["木垒无专户"] == "未开设工资专户、工资代发异常"
    assert reasons["吉木萨尔工程"] == "实名制未达标"
    bank = download(client, "bulletin_bank_pay", region="652300")
    assert bank[1][0] == "木垒无专户" and bank[1][-1] == "应发 6,000.00 元，已发 0.00 元"
    late = download(client, "bulletin_complaint", region="652300")
    assert {r[0]: r[-1] for r in late[1:]} == {"TS002": "超期办结", "TS003": "超期未办结"}
    assert [r[0] for r in download(client, "bulletin_supervised", region="652300")[1:]] == ["TS002"]


def test_past_months_read_stored_figures_without_lists(client, login, world):
    login(role="viewer", region="652300")
    html = client.get(f"/bulletin?month={previous_month(MONTH)}").get_data(as_text=True)
    assert "本月份没有存档数据" in html and "历史月份不提供清单" in html and "未达成项目清单</button>" not in html
    client.post("/exports", data={"kind": "bulletin_account", "month": previous_month(MONTH)})
    assert db.session.scalars(select(ExportJob)).one().status == "failed"


def test_snapshot_is_idempotent_and_print_layout_exists(app, world):
    first = snapshot()
    db.session.commit()
    assert snapshot() == first
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(BulletinFigure)) == first
    text = Path(app.static_folder, "css", "app.css").read_text(encoding="utf-8")
    assert "@media print{@page{size:A4 landscape" in text


def test_full_pay_failing_count_links_to_the_same_wage_rows(client, login, world):
    """未达成 of 按月足额支付率 = 工资代发实时进度 of the wage month, 在建, with attendance, abnormal, in the region."""
    from tests.wages_data import sheet
    from wagewatch.models import Employment, Worker
    from wagewatch.wages.refresh import refresh as refresh_wages
    done = project("木垒完工", pay="unpaid")                 # abnormal, but not 在建: not in the bulletin
    done.status = "completed"
    idle = project("木垒无考勤")                               # paid without any attendance: abnormal, no attendance
    worker = db.session.get(Worker, db.session.scalar(select(Employment.worker_id).filter_by(project_id=idle.id)))
    sheet(idle, f"PR-{idle.id}", [(worker, 22, "6000", "paid", "6000", False, None)], month=wage_month())
    db.session.commit()
    refresh_wages(wage_month())
    db.session.commit()
    login(role="viewer", region="652300")
    html = client.get("/bulletin").get_data(as_text=True)
    found = re.search(r'id="failing-full_pay">未达成 <a href="([^"]+)">(\d+) 个</a>', html)
    assert found, html[html.find('id="failing-full_pay"') - 100:][:400]
    url, failing = found.group(1).replace("&amp;", "&"), int(found.group(2))
    assert failing == 1 and f"month={wage_month()}" in url and "project_status=in_progress" in url
    listed = client.get(url).get_data(as_text=True)
    assert re.search(r"共 (\d+) 条", listed).group(1) == str(failing) and "木垒无专户" in listed
    assert "木垒完工" not in listed
