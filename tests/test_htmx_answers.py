"""htmx answers that hold for every screen: expired sessions navigate, error banners go to #flash, bad filters
re-render only the filter form."""
import pytest

from tests.factories import ProjectFactory
from wagewatch.extensions import db


@pytest.mark.parametrize("method,url", [("get", "/projects/approvals?tab=approved"), ("get", "/projects/site"),
                                         ("get", "/selector/projects.site/children?region=652328"),
                                         ("post", "/projects/1/review")])
def test_an_htmx_request_without_a_session_navigates_to_the_login_page(hx, client, method, url):
    response = getattr(hx, method)(url)
    assert response.status_code == 401 and response.get_data(as_text=True) == ""
    assert response.headers["HX-Redirect"].startswith("/auth/login?next=")
    assert "HX-Request" in response.headers["Vary"]
    plain = getattr(client, method)(url)
    assert plain.status_code == 302 and plain.headers["Location"].startswith("/auth/login")


def test_an_expired_session_answers_htmx_with_hx_redirect(app, hx, login, monkeypatch):
    login(region="652328")
    assert hx.get("/projects/approvals").status_code == 200
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", -1)  # every session is now idle too long
    response = hx.get("/projects/approvals?page=2")
    assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/auth/login")
    assert 'id="projects-table"' not in response.get_data(as_text=True)


def test_error_banners_go_to_flash_not_into_the_target(hx, client, login, app):
    login(region="652328")
    response = hx.get("/projects/2147483000/review")
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#flash" and response.headers["HX-Reswap"] == "innerHTML"
    assert 'id="error-banner"' in response.get_data(as_text=True)
    page = client.get("/projects/2147483000/review")
    assert page.status_code == 404 and "HX-Retarget" not in page.headers and "<html" in page.get_data(as_text=True)
    dialog = hx.post(f"/projects/{ProjectFactory().id}/review", data={})
    assert "HX-Retarget" not in dialog.headers  # a dialog's own 422 stays in the dialog


@pytest.mark.parametrize("query,field", [("registered_from=2022-05-09&registered_to=2022-05-01", "registered_from"),
                                         ("industry=foo", "industry"), ("region=999999", "region")])
def test_a_422_on_the_filters_sends_only_the_filter_form_marked(hx, login, app, query, field):
    ProjectFactory()
    db.session.commit()
    login(region="652328")
    response = hx.get(f"/projects/approvals?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and response.headers["HX-Reswap"] == "none"
    assert html.lstrip().startswith('<form id="projects-search"') and 'hx-swap-oob="true"' in html
    assert 'aria-invalid="true"' in html and f'{field}-error' in html
    assert 'id="projects-table"' not in html and 'id="count-' not in html


def test_a_422_on_a_parameter_without_a_field_is_told_in_the_filter_form(hx, login, app):
    login(region="652328")
    html = hx.get("/projects/approvals?tab=deleted").get_data(as_text=True)
    assert 'class="flash flash-error filter-errors"' in html and "未知的标签页" in html


def test_without_javascript_a_bad_filter_shows_no_counts_rather_than_wrong_ones(client, login, app):
    ProjectFactory()
    db.session.commit()
    login(region="652328")
    html = client.get("/projects/approvals?registered_from=2022-05-09&registered_to=2022-05-01").get_data(as_text=True)
    assert '<span class="badge" id="count-pending">—</span>' in html
    assert 'aria-invalid="true"' in html and "结束日期不能早于开始日期" in html


def test_a_422_on_the_roster_search_sends_only_its_form(hx, client, login, app):
    project = ProjectFactory()
    db.session.commit()
    login(region="652328")
    response = hx.get(f"/projects/site?project_id={project.id}&id_number=123")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and response.headers["HX-Reswap"] == "none"
    assert html.lstrip().startswith('<form id="roster-search"') and 'id="site-panel"' not in html
    page = client.get(f"/projects/site?project_id={project.id}&id_number=123")
    assert page.status_code == 422 and 'id="project-selector"' in page.get_data(as_text=True)
