"""工资代发实时进度 (manual §5): stored R2 rows, each filter, 仅看异常, one flag, sorting, paging, 数据更新于, scope."""
import re
from datetime import date, datetime, timezone

import pytest

from tests.wages_data import MONTH, build_clean, build_month
from wagewatch.extensions import db
from wagewatch.wages import refresh

NOW = datetime(2026, 10, 20, 2, 0, tzinfo=timezone.utc)   # 2026-09 was due 2026-10-15: PAY_LATE is orange


@pytest.fixture
def month(app, frozen_clock):
    frozen_clock.set(NOW)
    first, workers, sheets = build_month()
    clean, _people = build_clean()
    hami, _w3, _s3 = build_month("哈密市伊州区道路工程", region="650502", trade="transport", account=False)
    db.session.commit()
    refresh.refresh(MONTH)
    db.session.commit()
    return {"first": first, "clean": clean, "hami": hami, "workers": workers, "sheets": sheets}


def rows(html: str) -> list[int]:
    return [int(pid) for pid in re.findall(r'<tr id="progress-(\d+)-', html)]


def test_page_and_fragment(client, hx, login, month):
    login(region="652328")
    page = client.get("/wages/progress")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html and "Vary" in page.headers
    assert 'value="2026-09"' in html   # the last month whose payday has passed
    assert sorted(rows(html)) == sorted([month["first"].id, month["clean"].id])
    assert "数据更新于 2026-10-20 10:00" in html and "哈密市伊州区道路工程" not in html
    fragment = hx.get("/wages/progress?month=2026-09")
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text and text.lstrip().startswith('<section id="wages-progress"')
    assert "HX-Request" in fragment.headers["Vary"]


def test_row_shows_figures_status_and_flags_with_reasons(client, login, month):
    login(region="652328")
    html = client.get("/wages/progress?month=2026-09").get_data(as_text=True)
    row = html.split(f'<tr id="progress-{month["first"].id}-2026-09">', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells == ["8", "7", "7", "5", "1", "89,500.00", "73,660.00"]
    assert "57.1%" in row and "2026-10-15" in row and "银行处理中" in row
    assert '<span class="tag tag-orange" title="已过发薪日2026-10-15，3名考勤工人仍未足额发放">逾期未足额发放' in row
    for label in ("发薪人数不足", "低于最低工资", "单人工资异常", "发薪无考勤"):
        assert label in row
    assert f'href="/wages/progress/detail?project_id={month["first"].id}&amp;month=2026-09"' in row
    clean = html.split(f'<tr id="progress-{month["clean"].id}-2026-09">', 1)[1].split("</tr>", 1)[0]
    assert "已足额发放" in clean and '<span class="ok">正常</span>' in clean and "100.0%" in clean


def test_late_turns_red_after_the_end_of_the_next_month(client, login, month, frozen_clock):
    frozen_clock.set(datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc))
    refresh.refresh(MONTH)
    db.session.commit()
    login(region="652328")
    html = client.get("/wages/progress?month=2026-09&flag=PAY_LATE").get_data(as_text=True)
    assert rows(html) == [month["first"].id]
    assert '<span class="tag tag-red" title="已过2026-10-31（次月底），3名考勤工人仍未足额发放">' in html


@pytest.mark.parametrize("query, expected", [
    ("abnormal=1", ["first"]),
    ("status=paid_full", ["clean"]),
    ("status=processing", ["first"]),
    ("flag=PAID_NO_ATTENDANCE", ["first"]),
    ("flag=NO_ACCOUNT", []),
    ("region=652328", ["first", "clean"]),
    ("industry=housing", ["first", "clean"]),
    ("colour=red", ["first"]),          # PAY_LATE is orange, but PAY_BELOW_MIN / PAY_OUTLIER are red
    ("colour=orange", []),
    ("project_status=in_progress", ["first", "clean"]),
    ("project_status=completed", []),
    ("attended=1", ["first", "clean"]),
])
def test_each_filter(client, login, month, query, expected):
    login(region="652328")
    html = client.get(f"/wages/progress?month=2026-09&{query}").get_data(as_text=True)
    assert sorted(rows(html)) == sorted(month[key].id for key in expected)


def test_region_wide_user_filters_by_region_industry_and_project(client, login, month):
    login(region="650000")
    html = client.get("/wages/progress?month=2026-09").get_data(as_text=True)
    assert len(rows(html)) == 3
    assert rows(client.get("/wages/progress?month=2026-09&region=650500").get_data(as_text=True)) == [month["hami"].id]
    assert rows(client.get("/wages/progress?month=2026-09&industry=transport").get_data(as_text=True)) == [
        month["hami"].id]
    assert rows(client.get("/wages/progress?month=2026-09&flag=NO_ACCOUNT").get_data(as_text=True)) == [
        month["hami"].id]
    html = client.get(f"/wages/progress?month=2026-09&project_id={month['clean'].id}").get_data(as_text=True)
    assert rows(html) == [month["clean"].id] and 'name="project_id" value' in html
    assert rows(client.get("/wages/progress?month=2026-08").get_data(as_text=True)) == []


def test_sorting_by_ratio_and_amounts(client, login, month):
    login(region="650000")
    first, clean, hami = month["first"].id, month["clean"].id, month["hami"].id
    assert rows(client.get("/wages/progress?month=2026-09&sort=-ratio").get_data(as_text=True))[0] == clean
    assert rows(client.get("/wages/progress?month=2026-09&sort=ratio").get_data(as_text=True))[-1] == clean
    html = client.get("/wages/progress?month=2026-09&sort=amount_due").get_data(as_text=True)
    assert rows(html)[0] == clean and re.search(r'<th class="num" aria-sort="ascending">\s*<a[^>]*id="sort-amount_due"', html)
    # equal amounts: the later row first, as the order runs backwards on its tie-breaker too
    assert rows(client.get("/wages/progress?month=2026-09&sort=-amount_paid").get_data(as_text=True)) == [
        hami, first, clean]


@pytest.mark.parametrize("query, message", [
    ("month=2026-13", "月份格式应为YYYY-MM"),
    ("month=abc", "月份格式应为YYYY-MM"),
    ("flag=NOPE", "未知的异常类型"),
    ("status=x", "未知的代发状态"),
    ("sort=name", "未知的排序方式"),
    ("page=0", "页码应为1到100000之间的整数"),
    ("region=650500", "所选区域不在本单位管辖范围内"),
    ("project_id=abc", "请从工程列表中选择工程"),
    ("abnormal=yes", "仅看异常只能勾选或不选"),
    ("colour=blue", "未知的预警级别"),
    ("project_status=x", "未知的工程状态"),
    ("attended=2", "仅看有考勤只能勾选或不选"),
])
def test_bad_filters_answer_422_with_the_form(client, login, month, query, message):
    login(region="652328")
    response = client.get(f"/wages/progress?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html and 'id="wages-search"' in html


def test_bad_filters_with_htmx_leave_the_table_and_mark_the_bar(hx, login, month):
    login(region="652328")
    response = hx.get("/wages/progress?month=2026-13&flag=PAY_LATE")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and response.headers["HX-Reswap"] == "none"
    assert '<form id="wages-search"' in html and 'hx-swap-oob="true"' in html and "月份格式应为YYYY-MM" in html
    assert 'id="wages-progress"' not in html


def test_paging_keeps_the_filters(client, login, app, frozen_clock):
    frozen_clock.set(NOW)
    for n in range(23):
        build_clean(f"木垒县安居工程{n:02d}号楼", workers=1)
    db.session.commit()
    refresh.refresh(MONTH)
    db.session.commit()
    login(region="652328")
    first = client.get("/wages/progress?month=2026-09&status=paid_full").get_data(as_text=True)
    assert len(rows(first)) == 20 and "共 23 条" in first
    link = re.search(r'href="(/wages/progress\?page=2&amp;[^"]+)"', first).group(1).replace("&amp;", "&")
    assert "month=2026-09" in link and "status=paid_full" in link and "sort=ratio" in link
    second = client.get(link).get_data(as_text=True)
    assert len(rows(second)) == 3 and not set(rows(second)) & set(rows(first))
    assert rows(client.get("/wages/progress?month=2026-09&status=paid_full&page=2").get_data(as_text=True)) == \
        rows(second)
    deep = client.get("/wages/progress?month=2026-09&page=999").get_data(as_text=True)
    assert len(rows(deep)) == 3   # beyond the last page: the last page


@pytest.mark.parametrize("login_as, visible", [
    ({"region": "652328"}, {"first", "clean"}),
    ({"region": "652300"}, {"first", "clean"}),
    ({"region": "650500"}, {"hami"}),
    ({"region": "650000", "kind": "industry", "industry": "transport"}, {"hami"}),
    ({"region": "652328", "kind": "industry", "industry": "water"}, set()),
    ({"region": "650000", "role": "viewer"}, {"first", "clean", "hami"}),
])
def test_scope_per_role_and_level(client, login, month, login_as, visible):
    login(**login_as)
    html = client.get("/wages/progress?month=2026-09").get_data(as_text=True)
    assert set(rows(html)) == {month[key].id for key in visible}
    for key in {"first", "clean", "hami"} - visible:
        assert client.get(f"/wages/progress?month=2026-09&project_id={month[key].id}").status_code == 404


def test_stored_rows_follow_the_date(app, month, frozen_clock):
    from wagewatch.models import WageProgress

    frozen_clock.set(datetime(2026, 10, 10, 2, 0, tzinfo=timezone.utc))
    assert refresh.refresh(MONTH) == 3
    stored = db.session.scalars(db.select(WageProgress).where(WageProgress.project_id == month["first"].id)).one()
    assert stored.status == "not_due" and "PAY_LATE" not in stored.flag_codes
    assert stored.due_on == date(2026, 10, 15)


def test_a_threshold_changed_after_the_figures_is_said(client, login, month, frozen_clock):
    from wagewatch.models import RuleSetting

    user = login(region="652328")
    assert "rules-changed" not in client.get("/wages/progress?month=2026-09").get_data(as_text=True)
    setting = db.session.get(RuleSetting, "wage.min_monthly")
    before = (setting.value, setting.changed_by, setting.changed_at)
    setting.value, setting.changed_by, setting.changed_at = "2100", user.id, datetime(2026, 10, 21, tzinfo=timezone.utc)
    db.session.commit()
    try:
        html = client.get("/wages/progress?month=2026-09").get_data(as_text=True)
        assert "规则参数已于 2026-10-21 08:00 修改" in html
        frozen_clock.set(datetime(2026, 10, 22, tzinfo=timezone.utc))
        refresh.refresh(MONTH)
        db.session.commit()
        assert "rules-changed" not in client.get("/wages/progress?month=2026-09").get_data(as_text=True)
    finally:  # rule settings are reference data that outlive the test
        setting = db.session.get(RuleSetting, "wage.min_monthly")
        setting.value, setting.changed_by, setting.changed_at = before
        db.session.commit()


def test_walking_the_pages_shows_every_row_once_in_order(client, login, app, frozen_clock):
    from decimal import Decimal

    from tests.test_projects_budgets import make_projects
    from wagewatch.models import WageProgress

    frozen_clock.set(NOW)
    projects = make_projects(47, review_status="approved", status="in_progress")
    for n, project in enumerate(projects):
        ratio = None if n % 10 == 0 else (Decimal(n % 7) / 7).quantize(Decimal("0.0001"))  # None: no attendance
        db.session.add(WageProgress(project_id=project.id, month="2026-09", ratio=ratio, due_on=date(2026, 10, 15),
                                    status="partial", flags=[], flag_codes="", computed_at=NOW,
                                    amount_due=Decimal(n % 5), amount_paid=Decimal(0)))
    db.session.commit()
    login(region="652328")
    for sort in ("ratio", "-ratio", "-amount_due"):
        seen, url = [], f"/wages/progress?month=2026-09&sort={sort}"
        while url:
            html = client.get(url).get_data(as_text=True)
            seen += rows(html)
            found = re.search(r'<a href="([^"]+)"[^>]*rel="next">', html)
            url = found.group(1).replace("&amp;", "&") if found else None
        assert sorted(seen) == sorted(p.id for p in projects), sort
        stored = {p.project_id: p for p in db.session.scalars(db.select(WageProgress))}
        ratios = [stored[pid].ratio for pid in seen]
        if sort == "ratio":
            assert ratios[-5:] == [None] * 5 and ratios[:-5] == sorted(ratios[:-5])
        if sort == "-ratio":
            assert ratios[-5:] == [None] * 5 and ratios[:-5] == sorted(ratios[:-5], reverse=True)
        if sort == "-amount_due":
            dues = [stored[pid].amount_due for pid in seen]
            assert dues == sorted(dues, reverse=True)


def test_colour_is_the_most_serious_flag_and_status_is_an_approved_projects(client, login, month):
    from wagewatch.models import WageProgress
    login(region="650000")
    stored = {p.project_id: p.colour for p in db.session.scalars(db.select(WageProgress))}
    assert stored == {month["first"].id: "red", month["clean"].id: None, month["hami"].id: "red"}
    month["clean"].status = "completed"
    month["hami"].review_status = "pending"   # a pending project has no 工程状态 yet: not 在建
    db.session.commit()
    assert rows(client.get("/wages/progress?month=2026-09&project_status=in_progress").get_data(as_text=True)) == [
        month["first"].id]
    assert rows(client.get("/wages/progress?month=2026-09&project_status=completed").get_data(as_text=True)) == [
        month["clean"].id]


def test_payroll_without_attendance_is_left_out_by_attended(client, login, app, frozen_clock):
    from tests.factories import ProjectFactory, employ, make_worker
    from tests.wages_data import add_account, sheet
    frozen_clock.set(NOW)
    project = ProjectFactory(name="无考勤工程", region="652328", review_status="approved", status="in_progress")
    add_account(project)
    worker = make_worker("无考勤工人")
    employ(project, worker)
    sheet(project, "PR-NOATT", [(worker, 22, "6000", "paid", "6000", False, None)], month=MONTH)
    db.session.commit()
    refresh.refresh(MONTH)
    db.session.commit()
    login(region="652328")
    assert rows(client.get("/wages/progress?month=2026-09&abnormal=1").get_data(as_text=True)) == [project.id]
    assert rows(client.get("/wages/progress?month=2026-09&abnormal=1&attended=1").get_data(as_text=True)) == []
