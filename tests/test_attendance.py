"""人员考勤日报表: page and fragment, filters, defaults, the 31-day limit, keyset pages, 注释, 数据更新于, the pane."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.attendance_helpers import YESTERDAY, aggregate, at, punch, site, worked
from wagewatch.extensions import db
from wagewatch.models import AggregationRun, AttendanceDay
from wagewatch.people import id_number_of
from wagewatch.settings import rule_settings


@pytest.fixture
def data(app):
    project, (a, b) = site(workers=("买买提·艾力", "古丽·阿不都"))
    other, (c,) = site(name="吉木萨尔县道路工程", region="652327", workers=("张伟",), team="木工班")
    worked(project, a)
    worked(project, b, times=((10, 5),))
    worked(other, c)
    worked(project, a, day=YESTERDAY - timedelta(days=3))
    aggregate()
    return {"project": project, "other": other, "a": a, "b": b, "c": c}


def day_of(worker, day=YESTERDAY):
    return db.session.scalars(select(AttendanceDay).where(AttendanceDay.worker_id == worker.id,
                                                          AttendanceDay.day == day)).one()


def test_page_and_fragment(client, hx, login, data):
    login()
    page = client.get("/attendance/daily")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html and "人员考勤日报表" in html
    assert "Vary" in page.headers and "HX-Request-Type" in page.headers["Vary"]
    for column in ("日期", "工程名称", "所在区域", "班组", "姓名", "身份证号", "工种", "首次打卡", "末次打卡", "打卡次数",
                   "工时", "状态"):
        assert f"<th>{column}</th>" in html or f'<th class="num">{column}</th>' in html
    fragment = hx.get("/attendance/daily").get_data(as_text=True)
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="daily-list">')


def test_default_is_yesterday_with_masked_ids_and_hours(client, login, data):
    login()
    html = client.get("/attendance/daily").get_data(as_text=True)
    a, b = data["a"], data["b"]
    assert "共 3 条" in html and YESTERDAY.isoformat() in html
    assert (YESTERDAY - timedelta(days=3)).isoformat() not in html.split('id="daily-table"')[1]
    full = id_number_of(a)
    assert full not in html and f"{full[:3]}*****{full[-3:]}" in html
    assert "9:30" in html and "09:00:00" in html and "18:30:00" in html  # 工时 h:mm, times in Beijing time
    assert "单次打卡" in html and "钢筋班" in html and "吉木萨尔县" in html
    assert b.name in html


@pytest.mark.parametrize("query, names", [
    ("status=single", {"古丽·阿不都"}),
    ("status=normal", {"买买提·艾力", "张伟"}),
    ("name=张伟", {"张伟"}),
    ("region=652327", {"张伟"}),
    ("region=652300", {"买买提·艾力", "古丽·阿不都", "张伟"}),
])
def test_filters(client, login, data, query, names):
    login()
    html = client.get(f"/attendance/daily?{query}").get_data(as_text=True)
    table = html.split('id="daily-table"')[1] if 'id="daily-table"' in html else ""
    for name in ("买买提·艾力", "古丽·阿不都", "张伟"):
        assert (name in table) == (name in names), (query, name)


def test_team_of_the_chosen_project(client, login, data):
    from tests.attendance_helpers import aggregate, worked
    from tests.factories import TeamFactory, employ, make_worker

    project = data["project"]
    crew = TeamFactory(project_id=project.id, name="木工二班")
    newcomer = make_worker("阿依古丽")
    employ(project, newcomer, team=crew)
    worked(project, newcomer)
    aggregate()
    login()
    html = client.get(f"/attendance/daily?project_id={project.id}").get_data(as_text=True)
    assert f'<option value="{crew.id}">木工二班</option>' in html
    table = client.get(f"/attendance/daily?project_id={project.id}&team={crew.id}").get_data(as_text=True)
    table = table.split('id="daily-table"')[1]
    assert "阿依古丽" in table and "买买提·艾力" not in table
    other_team = client.get(f"/attendance/daily?project_id={data['other'].id}&team={crew.id}")
    assert other_team.status_code == 422 and "所选班组不属于该工程" in other_team.get_data(as_text=True)
    alone = client.get(f"/attendance/daily?team={crew.id}")
    assert alone.status_code == 422 and "请先选择工程" in alone.get_data(as_text=True)


def test_worker_by_full_id_number_and_project(client, hx, login, data):
    login()
    number = id_number_of(data["c"])
    # The number is posted and never reaches a URL: the answer redirects to the list holding its keyed hash.
    response = client.post("/attendance/daily", data={"id_number": number, "status": "normal"})
    assert response.status_code == 303 and number not in response.headers["Location"]
    assert "id_hash=" in response.headers["Location"] and "status=normal" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "张伟" in html and "共 1 条" in html and number not in html
    assert f"按身份证号 {number[:3]}*****{number[-3:]} 筛选" in html
    # An old link with the number in its query string is redirected the same way.
    old = client.get(f"/attendance/daily?id_number={number}")
    assert old.status_code == 303 and number not in old.headers["Location"]
    # A wrong number is shown back with its error, from the posted body (422), never in a URL.
    wrong = hx.post("/attendance/daily", data={"id_number": number[:-1]})
    assert wrong.status_code == 422 and "请输入完整、正确的18位身份证号" in wrong.get_data(as_text=True)
    html = client.get(f"/attendance/daily?project_id={data['project'].id}").get_data(as_text=True)
    assert "共 2 条" in html and "张伟" not in html.split('id="daily-table"')[1]


@pytest.mark.parametrize("query, message", [
    ("date_from=2026-01-01&date_to=2026-02-01", "每次最多查询31天"),
    ("date_from=2026-02-01&date_to=2026-01-01", "结束日期不能早于开始日期"),
    ("date_from=yesterday", "日期格式应为YYYY-MM-DD"),
    ("id_hash=xyz", "搜索条件无效，请重新输入号码搜索"),
    ("status=late", "考勤状态只能是正常或单次打卡"),
    ("region=650100", "所选区域不在本单位管辖范围内"),
    ("page=abc", "页码应为1到100000之间的整数"),
])
def test_bad_input_is_422_with_a_chinese_message(client, hx, login, data, query, message):
    login(region="652300")
    response = client.get(f"/attendance/daily?{query}")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert "<form" in response.get_data(as_text=True)
    fragment = hx.get(f"/attendance/daily?{query}")
    assert fragment.status_code == 422 and message in fragment.get_data(as_text=True)
    # With htmx only the filter bar comes back (out of band); the list on the page stays as it was.
    assert fragment.headers["HX-Reswap"] == "none" and 'hx-swap-oob="true"' in fragment.get_data(as_text=True)
    assert "daily-table" not in fragment.get_data(as_text=True)


def test_thirty_one_days_are_allowed(client, login, data):
    login()
    start = YESTERDAY - timedelta(days=30)
    response = client.get(f"/attendance/daily?date_from={start}&date_to={YESTERDAY}")
    assert response.status_code == 200 and "共 4 条" in response.get_data(as_text=True)


def test_keyset_pages_walk_forward_and_back(client, login, app):
    project, workers = site(workers=tuple(f"工人{n:02d}" for n in range(45)))
    for worker in workers:
        worked(project, worker)
    aggregate()
    login()
    seen, url, pages = [], "/attendance/daily", []
    while url:
        html = client.get(url).get_data(as_text=True)
        assert "共 45 条" in html and "offset" not in html
        rows = [part.split('"')[0] for part in html.split('<tr id="day-')[1:]]
        seen += rows
        pages.append((url, rows))
        url = html.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&") \
            if 'rel="next"' in html else None
    assert len(seen) == 45 == len(set(seen)) and [len(r) for _, r in pages] == [20, 20, 5]
    last = client.get(pages[-1][0]).get_data(as_text=True)
    prev = last.split('rel="prev"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    back = client.get(prev).get_data(as_text=True)
    assert [part.split('"')[0] for part in back.split('<tr id="day-')[1:]] == pages[1][1]


def test_sort_by_project_and_by_date(client, login, data):
    login()
    start = YESTERDAY - timedelta(days=5)
    html = client.get(f"/attendance/daily?date_from={start}&sort=day").get_data(as_text=True)
    table = html.split('id="daily-table"')[1]
    assert table.index((YESTERDAY - timedelta(days=3)).isoformat()) < table.index(YESTERDAY.isoformat())
    html = client.get(f"/attendance/daily?date_from={start}").get_data(as_text=True)
    table = html.split('id="daily-table"')[1]
    assert table.index(YESTERDAY.isoformat()) < table.index((YESTERDAY - timedelta(days=3)).isoformat())
    html = client.get(f"/attendance/daily?date_from={start}&sort=project").get_data(as_text=True)
    table = html.split('id="daily-table"')[1]
    first, second = sorted([data["project"], data["other"]], key=lambda p: p.id)
    assert table.index(first.name) < table.index(second.name)


def test_notes_state_the_rules_in_force(client, login, data):
    login()
    html = client.get("/attendance/daily").get_data(as_text=True)
    notes = html.split('id="daily-notes"')[1].split("</details>")[0]
    assert "<summary>注释</summary>" in html.split('id="daily-notes"')[1]
    assert "北京时间" in notes and "单次打卡" in notes and "补传" in notes and "01:00" in notes
    assert f"{int(rule_settings()['attendance.future_tolerance_minutes'])} 分钟" in notes
    from wagewatch.models import RuleSetting
    db.session.execute(update(RuleSetting).where(RuleSetting.code == "attendance.future_tolerance_minutes")
                       .values(value="25"))
    db.session.commit()
    assert "25 分钟" in client.get("/attendance/daily").get_data(as_text=True).split('id="daily-notes"')[1]


def test_updated_at_is_the_last_successful_run(client, login, data):
    login()
    run = db.session.scalars(select(AggregationRun).where(AggregationRun.status == "succeeded")).first()
    from wagewatch.templating import beijing
    html = client.get("/attendance/daily").get_data(as_text=True)
    assert f"数据更新于 {beijing(run.finished_at)}" in html
    db.session.add(AggregationRun(mode="incremental", status="failed", started_at=run.started_at + timedelta(hours=1),
                                  finished_at=run.finished_at + timedelta(hours=1), error="boom"))
    db.session.commit()
    assert f"数据更新于 {beijing(run.finished_at)}" in client.get("/attendance/daily").get_data(as_text=True)


def test_pane_shows_the_days_punches_and_neighbours(client, hx, login, data):
    login()
    project, a = data["project"], data["a"]
    day = day_of(a)
    # A punch of that day arrives after the day was first aggregated: marked 补传 and taken in by the next run.
    punch(project, a, at(YESTERDAY, 12, 0), device="KQ-LATE", received=day.first_aggregated_at + timedelta(hours=2))
    db.session.execute(update(AggregationRun).values(until=day.first_aggregated_at - timedelta(hours=1)))
    aggregate()
    fragment = hx.get(f"/attendance/daily/{day.id}/punches")
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in html and html.startswith('\n<section id="detail-pane"') \
        or html.lstrip().startswith('<section id="detail-pane"')
    assert html.count("KQ-01") == 2 and "KQ-LATE" in html and html.count("补传</span>") == 1
    assert f"{YESTERDAY} 09:00:00" in html and f"{YESTERDAY} 12:00:00" in html
    assert (YESTERDAY - timedelta(days=3)).isoformat() in html  # the same worker's days before and after
    month = html.split("查看该工人此前31天的考勤日报")[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    listed = client.get(month).get_data(as_text=True)
    assert "共 2 条" in listed and "古丽·阿不都" not in listed.split('id="daily-table"')[1]
    page = client.get(f"/attendance/daily/{day.id}/punches?back=https://evil.example/")
    assert "<html" in page.get_data(as_text=True) and "evil.example" not in page.get_data(as_text=True)


def test_region_wide_count_reads_the_day_index_in_order(app, client, login, data):
    """A day's rows lie together on disk: the capped count of a region-wide day must walk the day index, not
    gamble on a sequential scan meeting them early (seconds, now and then, at region scale)."""
    from sqlalchemy import event

    login()  # the autonomous region: no jurisdiction condition, no narrower filter
    seen = []
    listener = lambda _c, _cur, statement, *_rest: seen.append(" ".join(statement.split()))  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get("/attendance/daily").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    counts = [s for s in seen if s.startswith("SELECT count(*)") and "FROM attendance_days" in s]
    assert counts and all("ORDER BY attendance_days.day LIMIT" in s for s in counts)
