"""工程审批 (manual §1): the list, its tabs and filters, the 审批 dialog and 修改工程状态."""
import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import EnterpriseFactory, ProjectFactory
from wagewatch.extensions import db
from wagewatch.models import AuditLog, Project

URL = "/projects/approvals"


def rows_of(html: str) -> list[str]:
    return re.findall(r'<tr id="project-(\d+)"', html)


@pytest.fixture
def mulei(app):
    """Projects of 木垒县 in all three review states, plus one of 乌什县."""
    made = {
        "p1": ProjectFactory(name="木垒县第一中学教学楼", registered_on=date(2022, 5, 1)),
        "p2": ProjectFactory(name="木垒县人民医院门诊楼", registered_on=date(2022, 5, 8)),
        "a1": ProjectFactory(name="木垒县供水管网改造", review_status="approved", status="in_progress",
                             registered_on=date(2022, 4, 21)),
        "r1": ProjectFactory(name="木垒县文化馆", review_status="rejected", review_reason="材料不全",
                             registered_on=date(2022, 4, 2)),
        "wushi": ProjectFactory(name="乌什县第二中学", region="652927"),
    }
    db.session.commit()
    return made


def test_default_tab_is_pending_with_counts_from_one_query(client, login, mulei):
    login(region="652328")
    response = client.get(URL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert set(rows_of(html)) == {str(mulei["p1"].id), str(mulei["p2"].id)}
    assert re.search(r'id="tab-pending" aria-current="page">未审核 <span class="badge" id="count-pending">2<', html)
    assert 'id="count-approved">1<' in html and 'id="count-rejected">1<' in html
    assert "乌什县第二中学" not in html


def test_fragment_and_vary(hx, login, mulei):
    login(region="652328")
    response = hx.get(URL + "?tab=approved")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith("<section id=\"projects-table\"")
    assert "HX-Request" in response.headers["Vary"] and "HX-Request-Type" in response.headers["Vary"]
    assert rows_of(html) == [str(mulei["a1"].id)]
    assert "<th>工程状态</th>" in html and "在建" in html


def test_columns_and_links(client, login, mulei):
    login(region="652328")
    html = client.get(URL).get_data(as_text=True)
    p2 = mulei["p2"]
    for text in ("工程名称", "工程编号", "所在区域", "行业领域", "建设单位", "总承包单位", "登记日期", "人社监管单位",
                 "行业监管单位", p2.code, "木垒哈萨克自治县", "住建", "木垒县人社局", "木垒县住建局", "2022-05-08"):
        assert text in html
    assert f'href="/projects/{p2.id}/review"' in html
    assert f'data-review="/projects/{p2.id}/review"' in html
    assert 'type="radio"' in html


@pytest.mark.parametrize("query,expected", [
    ("name=人民医院", {"p2"}),
    ("code={code}", {"p1"}),
    ("registered_from=2022-05-05", {"p2"}),
    ("registered_to=2022-05-05", {"p1"}),
    ("region=652328&industry=housing", {"p1", "p2"}),
    ("industry=water", set()),
])
def test_filters(client, login, mulei, query, expected):
    login(region="652300")  # 昌吉州: sees 木垒县, not 乌什县
    html = client.get(URL + "?" + query.format(code=mulei["p1"].code)).get_data(as_text=True)
    assert set(rows_of(html)) == {str(mulei[key].id) for key in expected}


def test_filter_by_owner_and_contractor(client, login, app):
    owner = EnterpriseFactory(name="木垒县住房和城乡建设局")
    contractor = EnterpriseFactory(name="新疆哈建建筑工程有限公司")
    match = ProjectFactory(owner=owner, contractor=contractor)
    ProjectFactory()
    db.session.commit()
    login(region="652328")
    for query in ("owner=住房和城乡", "contractor=哈建"):
        assert rows_of(client.get(f"{URL}?{query}").get_data(as_text=True)) == [str(match.id)]


def test_prefecture_region_filter_matches_its_counties(client, login, mulei):
    login(region="650000")
    html = client.get(URL + "?region=652300").get_data(as_text=True)
    assert set(rows_of(html)) == {str(mulei["p1"].id), str(mulei["p2"].id)}
    assert 'id="count-approved">1<' in html


def test_empty_result_says_so(client, login, mulei):
    login(region="652328")
    html = client.get(URL + "?name=不存在的工程").get_data(as_text=True)
    assert "没有符合条件的未审核登记记录" in html
    assert 'id="count-pending">0<' in html


@pytest.mark.parametrize("query,message", [
    ("registered_from=2022-13-01", "日期格式应为YYYY-MM-DD"),
    ("registered_from=abc", "日期格式应为YYYY-MM-DD"),
    ("registered_from=2022-05-09&registered_to=2022-05-01", "结束日期不能早于开始日期"),
    ("region=652927", "不在本单位管辖范围内"),
    ("region=999999", "不在本单位管辖范围内"),
    ("tab=deleted", "未知的标签页"),
    ("sort=name", "未知的排序方式"),
    ("page=-3", "页码应为1到100000之间的整数"),
    ("name=" + "长" * 101, "工程名称最多100个字"),
])
def test_bad_filters_give_a_chinese_message(client, hx, login, mulei, query, message):
    login(region="652328")
    for requester in (client, hx):
        response = requester.get(f"{URL}?{query}")
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)


def test_sort_and_pagination(client, login, app):
    made = [ProjectFactory(registered_on=date(2022, 1, 1 + n % 28)) for n in range(45)]
    db.session.commit()
    login(region="652328")
    order = sorted(made, key=lambda p: (p.registered_on, p.id), reverse=True)
    first = client.get(URL).get_data(as_text=True)
    assert rows_of(first) == [str(p.id) for p in order[:20]]
    assert "共 45 条，第 1/3 页" in first
    # pager links carry the key the page starts after (a seek, no OFFSET); the filters stay in the URL
    last_of_1 = order[19]
    assert (f'href="/projects/approvals?page=2&amp;after={last_of_1.registered_on.isoformat()}~{last_of_1.id}'
            '&amp;tab=pending&amp;sort=-registered_on"') in first
    assert 'href="/projects/approvals?page=3&amp;tab=pending&amp;sort=-registered_on"' in first  # read backwards
    third = client.get(URL + "?page=3").get_data(as_text=True)
    assert rows_of(third) == [str(p.id) for p in order[40:]]
    ascending = client.get(URL + "?sort=registered_on").get_data(as_text=True)
    assert rows_of(ascending) == [str(p.id) for p in list(reversed(order))[:20]]
    beyond = client.get(URL + "?page=99").get_data(as_text=True)
    assert rows_of(beyond) == rows_of(third)


def test_links_keep_filters_in_the_url(client, login, mulei):
    login(region="652328")
    html = client.get(URL + "?name=木垒&tab=approved").get_data(as_text=True)
    assert 'href="/projects/approvals?name=%E6%9C%A8%E5%9E%92&amp;tab=pending&amp;sort=-registered_on"' in html
    assert '<input type="hidden" name="tab" value="approved" form="projects-search">' in html
    assert 'hx-push-url="true"' in html


def test_viewer_sees_no_action_buttons(client, login, mulei):
    login(role="viewer", region="652328")
    html = client.get(URL).get_data(as_text=True)
    assert "审批</button>" not in html and "修改工程状态</button>" not in html
    html = client.get(URL + "?tab=approved").get_data(as_text=True)
    assert "修改工程状态</button>" not in html


def test_reviewer_sees_the_right_button_per_tab(client, login, mulei):
    login(region="652328")
    assert 'data-needs-selection="review"' in client.get(URL).get_data(as_text=True)
    approved = client.get(URL + "?tab=approved").get_data(as_text=True)
    assert 'data-needs-selection="status"' in approved and 'data-needs-selection="review"' not in approved
    rejected = client.get(URL + "?tab=rejected").get_data(as_text=True)
    assert "data-needs-selection" not in rejected and "材料不全" in rejected


def test_table_refreshes_itself_on_events(client, login, mulei):
    login(region="652328")
    html = client.get(URL + "?name=木垒").get_data(as_text=True)
    assert 'hx-trigger="project-reviewed from:body, project-status-changed from:body"' in html
    assert 'hx-get="/projects/approvals?page=1&amp;name=%E6%9C%A8%E5%9E%92' in html
