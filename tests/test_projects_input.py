"""项目管理 under bad input: every filter, page number, id and tree parameter answers 4xx in Chinese, never 500."""
import pytest

from tests.conftest import PASSWORD, make_user
from tests.factories import ProjectFactory
from wagewatch.extensions import db
from wagewatch.models import Project

BAD_GETS = [
    "/projects/approvals?page=%C2%B2",  # '²' passes str.isdigit() but is no number
    "/projects/approvals?page=99999999999999999999",
    "/projects/approvals?page=0",
    "/projects/approvals?page=-1",
    "/projects/approvals?tab=xyz",
    "/projects/approvals?sort=foo",
    "/projects/approvals?region=abc",
    "/projects/approvals?industry=zzz",
    "/projects/approvals?registered_from=2022-13-01",
    "/projects/approvals?registered_from=2023-01-01&registered_to=2022-01-01",
    "/projects/site?project_id={id}&page=%C2%B2",
    "/projects/site?project_id={id}&id_number=123",
    "/projects/site?project_id={id}&state=zz",
]
NOT_FOUND = [
    "/projects/99999999999999999999/review",
    "/projects/2147483648/status",
    "/projects/site?project_id=99999999999999999999",
    "/projects/site?project_id=%C2%B2",
    "/projects/site?project_id=%EF%BC%91",
    "/selector/projects.site/children?region=%EF%BC%96%EF%BC%95%EF%BC%92%EF%BC%93%EF%BC%90%EF%BC%90",
]
NUL_GETS = [
    "/projects/approvals?name=%00",
    "/projects/approvals?code=a%00b&owner=%00&contractor=%00",
    "/projects/site?project_id={id}&name=%00&team=%00",
    "/selector/projects.site/search?q=%00",
]


def _sign_in(client, region="652328", role="reviewer"):
    make_user(f"input_{region}_{role}", region=region, role=role)
    assert client.post("/auth/login", data={"username": f"input_{region}_{role}",
                                            "password": PASSWORD}).status_code == 302


@pytest.fixture
def project(app):
    made = ProjectFactory(name="木垒县第一中学教学楼")
    db.session.commit()
    return made


@pytest.mark.parametrize("url", BAD_GETS)
def test_bad_filters_answer_422_in_chinese_and_keep_the_page(client, login, project, url):
    login(region="652328")
    response = client.get(url.format(id=project.id))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" in html
    assert 'class="flash flash-error' in html and "Error" not in html and "Traceback" not in html


def test_a_bad_page_number_says_which_numbers_are_allowed(client, login, project):
    login(region="652328")
    html = client.get("/projects/approvals?page=0&name=中学").get_data(as_text=True)
    assert "页码：页码应为1到100000之间的整数" in html and 'value="中学"' in html


@pytest.mark.parametrize("url", NOT_FOUND)
def test_impossible_ids_are_not_found(client, login, project, url):
    login(region="652328")
    assert client.get(url).status_code == 404
    if "/status" in url:
        assert client.post(url, data={"status": "completed"}).status_code == 404


def test_tree_offsets_beyond_any_branch_are_an_empty_page(client, login, project):
    login(region="652300")
    for offset in ("99999999999999999999999", "-5", "abc"):
        assert client.get(f"/selector/projects.site/children?region=652300&offset={offset}").status_code == 200


def test_nul_characters_are_dropped_on_postgresql(pg_app):
    """PostgreSQL refuses NUL in a text literal: typed or pasted NULs must not reach it."""
    project = ProjectFactory(name="木垒县第一中学教学楼")
    db.session.commit()
    client = pg_app.test_client()
    _sign_in(client)
    for url in NUL_GETS:
        assert client.get(url.format(id=project.id)).status_code == 200, url
    response = client.post(f"/projects/{project.id}/review", data={"decision": "rejected", "reason": "材料\x00不全"})
    assert response.status_code == 303
    assert db.session.get(Project, project.id).review_reason == "材料不全"


def test_the_ticked_row_stays_ticked_when_the_list_is_refreshed(client, login, project):
    login(region="652328")
    html = client.get(f"/projects/approvals?selected={project.id}",
                      headers={"HX-Request": "true", "HX-Request-Type": "partial"}).get_data(as_text=True)
    row = html[html.index(f'value="{project.id}"'):]
    assert row[:row.index(">")].count(" checked") == 1
    assert 'hx-include="#projects-table input[name=selected]:checked"' in html
    assert client.get("/projects/approvals?selected=abc").status_code == 200


def test_without_javascript_the_toolbar_opens_the_ticked_row(client, login, project):
    login(region="652328")
    html = client.get("/projects/approvals").get_data(as_text=True)
    assert 'id="projects-select" method="get"' in html and 'form="projects-select"' in html
    assert '<button type="submit" name="action" value="review"' in html
    response = client.get(f"/projects/selected?action=review&selected={project.id}&tab=pending")
    assert response.status_code == 303 and response.location.endswith(f"/projects/{project.id}/review")
    response = client.get(f"/projects/selected?action=status&selected={project.id}&tab=approved")
    assert response.location.endswith(f"/projects/{project.id}/status")
    response = client.get("/projects/selected?action=status&tab=approved", follow_redirects=True)
    assert "请先勾选一条登记记录" in response.get_data(as_text=True)
    assert client.get("/projects/selected?action=review&selected=99999999999").status_code == 404


def test_dialogs_focus_their_title_or_the_first_field_in_error(client, login, project):
    hx = {"HX-Request": "true", "HX-Request-Type": "partial"}
    login(region="652328")
    html = client.get(f"/projects/{project.id}/review", headers=hx).get_data(as_text=True)
    assert 'review-title" tabindex="-1" autofocus' in html
    html = client.post(f"/projects/{project.id}/review", data={"decision": "rejected"}, headers=hx) \
        .get_data(as_text=True)
    assert 'review-title" tabindex="-1">' in html and html.count("autofocus") == 1
    assert html.index("autofocus") > html.index('name="reason"') - 200
