"""Control characters are stripped from every query and form value in one place; region codes must name a region."""
import pytest

from tests.conftest import PASSWORD, make_user
from tests.factories import ProjectFactory
from wagewatch.extensions import db
from wagewatch.projects.forms import ApprovalFilterForm, ReviewDecisionForm
from wagewatch.security import CleanRequest

CONTROLS = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 127, 0x85, 0x9f])
REGION_FILTERS = ["/projects/approvals", "/realname", "/wages/progress", "/attendance/daily", "/complaints"]


def test_every_request_is_a_cleaning_request(app):
    assert app.request_class is CleanRequest
    with app.test_request_context(f"/projects/approvals?name=木垒{CONTROLS}中学&name=%00&region=6523%00x"):
        from flask import request

        assert request.args.getlist("name") == ["木垒中学", ""] and request.args["region"] == "6523x"


def test_forms_read_clean_values_of_every_field_type(app):
    user = make_user("filterer", "652328")
    with app.test_request_context("/projects/approvals?name=%00木垒%01中学&region=652328%00"
                                  "&registered_from=2022-05-08%00&tab=pending%01&page=1%00"):
        from flask import request

        form = ApprovalFilterForm(request.args, user)
        assert form.validate(), form.errors
        assert (form.name.data, form.region.data, form.tab.data) == ("木垒中学", "652328", "pending")
        assert str(form.registered_from.data) == "2022-05-08"


def test_posted_forms_keep_tab_and_line_breaks_only(app):
    with app.test_request_context(method="POST", data={"decision": "rejected", "reason": "一\t二\r\n三\x00\x1b"}):
        form = ReviewDecisionForm(meta={"csrf": False})
        assert form.validate() and form.reason.data == "一\t二\r\n三"


@pytest.fixture
def pg_client(pg_app):
    ProjectFactory(name="木垒县第一中学教学楼")
    db.session.commit()
    client = pg_app.test_client()
    make_user("nul_tester", region="650000")
    response = client.post("/auth/login", data={"username": "nul_tester", "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("query, message", [
    ("region=6523%00x", "所选区域不存在"),
    ("region=659999", "所选区域不存在"),  # six digits, but no region has this code
    ("region=abc", "所选区域不存在"),
    ("name=%00&industry=%00zzz", "行业领域"),
    ("registered_from=2022-05%0008", "日期格式"),
])
def test_nul_and_unknown_codes_in_filters_answer_422_on_postgresql(pg_client, query, message):
    response = pg_client.get(f"/projects/approvals?{query}")
    assert response.status_code == 422 and message in response.text
    assert "Traceback" not in response.text


def test_nul_in_text_filters_and_forms_on_postgresql(pg_client):
    assert pg_client.get("/projects/approvals?name=%00%01&code=XJ%00&registered_from=2022-05-08%00").status_code == 200
    assert pg_client.get("/projects/approvals?region=652328%00").status_code == 200  # stripped: a real region
    assert pg_client.get("/selector/projects.site/search?q=%00木垒").status_code == 200
    response = pg_client.post("/auth/login", data={"username": "nobody\x00", "password": "x\x00"})
    assert response.status_code == 422


@pytest.mark.parametrize("path", REGION_FILTERS)
def test_every_region_filter_refuses_a_code_that_is_no_region(pg_client, path):
    assert pg_client.get(f"{path}?region=652328").status_code == 200
    for code in ("6523%00x", "659999"):
        response = pg_client.get(f"{path}?region={code}")
        assert response.status_code == 422, (path, code)
        assert "Traceback" not in response.text


@pytest.mark.parametrize("name", ["a\x00b", "a\x1bb"])
def test_control_characters_in_export_filters_are_stripped(hx, login, name):
    from sqlalchemy import select

    from wagewatch.models import ExportJob

    login(role="reviewer")
    assert hx.post("/exports", data={"kind": "projects", "name": name}).status_code == 200
    assert db.session.scalars(select(ExportJob)).one().params == {"name": "ab"}
