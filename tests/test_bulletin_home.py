"""首页 warnings: each count in the jurisdiction, linking to its list whose total is the same number."""
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.bulletin_data import complaint, project, wage_month
from tests.factories import ProjectFactory
from wagewatch import clock
from wagewatch.extensions import db
from wagewatch.models import Complaint
from wagewatch.wages.refresh import refresh as refresh_wages

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=clock.BEIJING)


@pytest.fixture(autouse=True)
def frozen_today(frozen_clock):
    frozen_clock.set(NOW)


def open_complaint(number, region="652328", hours_ago=0, read=False, supervising=False):
    case = complaint(number, region=region, supervised=supervising)
    case.submitted_at = NOW.astimezone(UTC) - timedelta(hours=hours_ago)
    case.read_at = case.submitted_at if read else None
    return case


@pytest.fixture
def world(app):
    project("木垒全达标", pay="full")
    project("木垒未发", pay="unpaid")                 # R2: PAY_LATE and PAY_COVERAGE, red
    project("木垒无专户", account=False, pay="full", realname=False)  # NO_ACCOUNT red, 实名制未达标
    project("哈密工程", region="650502", trade="transport", realname=False, pay="unpaid")
    ProjectFactory(name="木垒待审", region="652328")
    ProjectFactory(name="哈密待审", region="650502", trade="transport")
    open_complaint("T1", hours_ago=30)                 # not read after a day: 已超时
    open_complaint("T2", hours_ago=10)                 # read deadline in 14 hours: 即将超时
    open_complaint("T3", hours_ago=10, read=True, supervising=True)  # handle deadline in 62 hours; 督办中
    open_complaint("T4", region="650502", hours_ago=30)
    refresh_wages(wage_month())  # what the nightly job stores for the 工资代发实时进度 list
    db.session.commit()


def tile(html: str, key: str) -> tuple[int, str]:
    found = re.search(rf'<a class="tile" id="desk-{key}" href="([^"]+)"><b>(\d+)</b>', html)
    assert found, key
    return int(found.group(2)), found.group(1).replace("&amp;", "&")


def total(html: str) -> int:
    found = re.search(r"共 (\d+) 条", html)
    return int(found.group(1)) if found else 0


def test_counts_link_to_lists_with_the_same_total(client, login, world):
    login(role="viewer", region="652300")
    html = client.get("/").get_data(as_text=True)
    pending, url = tile(html, "pending")
    assert pending == 1 and url == "/projects/approvals?tab=pending"
    assert f'id="count-pending">{pending}<' in client.get(url).get_data(as_text=True)
    failed, url = tile(html, "realname")
    assert failed == 1 and url == "/realname?compliance=failed"
    assert total(client.get(url).get_data(as_text=True)) == failed


def test_wage_flags_complaint_timeouts_and_supervision(client, login, world):
    login(role="viewer", region="652300")
    html = client.get("/").get_data(as_text=True)
    red, url = tile(html, "flag-red")
    assert red == 2 and url == f"/wages/progress?month={wage_month()}&colour=red"
    assert tile(html, "flag-orange")[0] == 0
    assert tile(html, "overdue") == (1, "/complaints?timeliness=overdue")
    assert tile(html, "due-soon") == (1, "/complaints?timeliness=soon")
    assert tile(html, "supervising") == (1, "/complaints?supervision=supervising")
    for key in ("overdue", "due-soon", "supervising"):
        count, url = tile(html, key)
        assert total(client.get(url).get_data(as_text=True)) == count, key
    db.session.query(Complaint).filter_by(complaint_no="T1").update({"status": "closed"})
    db.session.commit()
    assert tile(client.get("/").get_data(as_text=True), "overdue")[0] == 0


def test_headline_rates_of_the_current_bulletin(client, login, world):
    login(role="viewer", region="652300")
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'id="headline-realname"><b>66\.7%</b><span>实名制达标率', html)
    assert re.search(r'id="headline-full_pay"><b>33\.3%</b>', html)
    assert 'href="/bulletin"' in html


def test_another_jurisdiction_counts_nothing_here(client, login, world):
    login(role="viewer", region="650500")  # 哈密市
    html = client.get("/").get_data(as_text=True)
    assert tile(html, "pending")[0] == 1 and tile(html, "realname")[0] == 1 and tile(html, "flag-red")[0] == 1
    assert tile(html, "overdue")[0] == 1 and tile(html, "due-soon")[0] == 0 and tile(html, "supervising")[0] == 0


def test_wage_counts_equal_the_wage_list_total(client, login, world):
    login(role="viewer", region="652300")
    for key in ("flag-red", "flag-orange"):
        count, url = tile(client.get("/").get_data(as_text=True), key)
        assert total(client.get(url).get_data(as_text=True)) == count, key
