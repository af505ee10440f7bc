"""Control characters in any form are stripped in one place; region codes must name a region."""
import importlib
import pkgutil

import pytest
from werkzeug.datastructures import MultiDict
from wtforms.form import BaseForm

import wagewatch
from tests.conftest import PASSWORD, make_user
from tests.factories import ProjectFactory
from wagewatch.auth.forms import LoginForm
from wagewatch.extensions import db
from wagewatch.forms import FilterForm, PostForm
from wagewatch.projects import forms as project_forms

CONTROLS = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 127, 0x85, 0x9f])


def app_forms() -> list[type]:
    """Every form class defined in the wagewatch package."""
    for module in pkgutil.walk_packages(wagewatch.__path__, "wagewatch."):
        importlib.import_module(module.name)
    found, todo = [], [BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("wagewatch.") and sub.__module__ != "wagewatch.forms":
                found.append(sub)
    return found


def test_every_form_of_the_app_is_built_on_the_cleaning_base():
    forms = app_forms()
    assert project_forms.ApprovalFilterForm in forms and LoginForm in forms
    strays = [f"{form.__module__}.{form.__name__}" for form in forms if not issubclass(form, (FilterForm, PostForm))]
    assert not strays, f"base these on wagewatch.forms.FilterForm (GET filters) or PostForm: {strays}"


def test_control_characters_are_stripped_from_every_field_type(app):
    user = make_user("filterer", "652328")
    data = MultiDict({"name": f"木垒{CONTROLS}中学", "region": "652328\x00", "registered_from": "2022-05-08\x00",
                      "tab": "pending\x01", "page": "1\x00"})
    form = project_forms.ApprovalFilterForm(data, user)
    assert form.validate(), form.errors
    assert form.name.data == "木垒中学" and form.region.data == "652328" and form.tab.data == "pending"
    assert str(form.registered_from.data) == "2022-05-08"


def test_tab_and_line_breaks_stay_in_multi_line_text(app):
    with app.test_request_context(method="POST", data={"decision": "rejected", "reason": "一\t二\r\n三\x00"}):
        form = project_forms.ReviewDecisionForm(meta={"csrf": False})
        assert form.validate() and form.reason.data == "一\t二\r\n三"


@pytest.fixture
def pg_client(pg_app):
    ProjectFactory(name="木垒县第一中学教学楼")
    db.session.commit()
    client = pg_app.test_client()
    make_user("nul_tester", region="650000")
    assert client.post("/auth/login", data={"username": "nul_tester", "password": PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize("query, message", [
    ("region=6523%00x", "所选区域不存在"),
    ("region=659999", "所选区域不存在"),  # six digits, but no region has this code
    ("region=abc", "所选区域不存在"),
    ("name=%00&industry=%00zzz", "行业领域"),
    ("registered_from=2022-05-08%00", None),
    ("registered_from=2022-05%0008", "日期格式"),
])
def test_nul_and_unknown_codes_in_filters_answer_422_on_postgresql(pg_client, query, message):
    response = pg_client.get(f"/projects/approvals?{query}")
    if message is None:  # the NUL is stripped and what is left is a good date
        assert response.status_code == 200
        return
    assert response.status_code == 422 and message in response.text
    assert "Traceback" not in response.text


def test_nul_in_text_filters_and_forms_on_postgresql(pg_client):
    assert pg_client.get("/projects/approvals?name=%00%01&code=XJ%00").status_code == 200
    assert pg_client.get("/projects/approvals?region=652328%00").status_code == 200  # stripped: a real region
    response = pg_client.post("/auth/login", data={"username": "nobody\x00", "password": "x\x00"})
    assert response.status_code == 422
