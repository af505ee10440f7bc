"""The jurisdiction rule (DESIGN §1) on SQLite and PostgreSQL: who sees which project."""
import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from tests.conftest import make_user
from tests.factories import ProjectFactory
from wagewatch import scope
from wagewatch.extensions import db
from wagewatch.models import Complaint, Org, Project
from wagewatch.models._types import utcnow

PROJECTS = {
    "mulei-housing": ("652328", "housing"),
    "mulei-transport": ("652328", "transport"),
    "changji-housing": ("652301", "housing"),
    "wushi-housing": ("652927", "housing"),
    "hami-water": ("650502", "water"),
    "hami-city-transport": ("650500", "transport"),
}
MATRIX = [
    # (org region, kind, industry) -> visible project keys
    (("652328", "hr", None), {"mulei-housing", "mulei-transport"}),
    (("652328", "industry", "housing"), {"mulei-housing"}),
    (("652328", "industry", "water"), set()),
    (("652300", "hr", None), {"mulei-housing", "mulei-transport", "changji-housing"}),
    (("652300", "industry", "housing"), {"mulei-housing", "changji-housing"}),
    (("650500", "industry", "transport"), {"hami-city-transport"}),
    (("650500", "hr", None), {"hami-water", "hami-city-transport"}),
    (("652927", "hr", None), {"wushi-housing"}),
    (("650000", "hr", None), set(PROJECTS)),
    (("650000", "industry", "housing"), {"mulei-housing", "changji-housing", "wushi-housing"}),
]


@pytest.fixture
def projects(any_app):
    made = {key: ProjectFactory(name=key, region=region, trade=industry)
            for key, (region, industry) in PROJECTS.items()}
    db.session.commit()
    return made


@pytest.mark.parametrize("org,expected", MATRIX, ids=[f"{o[0]}-{o[1]}-{o[2]}" for o, _ in MATRIX])
def test_project_visibility(projects, org, expected):
    user = make_user(f"u{org[0]}{org[1]}{org[2]}", *org)
    seen = set(db.session.scalars(scope.projects(user).with_only_columns(Project.name)))
    assert seen == expected
    for key, project in projects.items():
        if key in expected:
            assert scope.get_project_or_404(user, project.id).id == project.id
        else:
            with pytest.raises(NotFound):
                scope.get_project_or_404(user, project.id)


def test_unknown_project_is_404_too(projects):
    user = make_user("top", "650000")
    with pytest.raises(NotFound):
        scope.get_project_or_404(user, 999999)


def test_complaints_follow_the_same_rule(any_app):
    complaint = Complaint(complaint_no="TS1", project_name="无此工程", complainant_name="张三", type="拖欠工资",
                          submitted_at=utcnow(), industry="housing")
    complaint.set_region("654200")
    db.session.add(complaint)
    db.session.commit()
    tacheng = make_user("tacheng", "654200", "hr")
    mulei = make_user("mulei", "652328", "hr")
    top_water = make_user("topwater", "650000", "industry", "water")
    visible = lambda user: db.session.scalars(scope.restrict(select(Complaint), user, Complaint)).all()  # noqa: E731
    assert [c.complaint_no for c in visible(tacheng)] == ["TS1"]
    assert visible(mulei) == [] and visible(top_water) == []


def test_derived_supervising_orgs(any_app):
    project = ProjectFactory(region="652328", trade="housing")
    assert db.session.get(Org, project.hr_org_id).name == "木垒县人社局"
    assert db.session.get(Org, project.industry_org_id).name == "木垒县住建局"
    energy = ProjectFactory(region="653022", trade="energy")  # 阿合奇县: no county energy org → 自治区能源局
    assert db.session.get(Org, energy.industry_org_id).name == "自治区能源局"


@pytest.mark.parametrize("org,code,ok", [
    (("652300", "hr", None), "652328", True), (("652300", "hr", None), "652300", True),
    (("652300", "hr", None), "652927", False), (("652328", "hr", None), "652301", False),
    (("650000", "hr", None), "659001", True),
])
def test_region_filter_choices_stay_in_scope(app, org, code, ok):
    user = make_user("picker", *org)
    assert scope.region_in_scope(user, code) is ok
    assert (code in {r.code for r in scope.visible_regions(user)}) is ok


def test_home_counts_are_scoped(app, client, login):
    ProjectFactory(region="652328", review_status="pending")
    ProjectFactory(region="652927", review_status="pending")
    ProjectFactory(region="652328", review_status="approved", status="in_progress")
    db.session.commit()
    login(region="652328")
    page = client.get("/").text
    assert 'id="count-review-pending">1<' in page
    assert 'id="count-review-approved">1<' in page
    assert 'id="count-status-in_progress">1<' in page


@pytest.mark.parametrize("object_id", [0, -1, 2**31, 10**20])
def test_impossible_ids_are_404_not_errors(any_app, object_id):
    user = make_user("top", "650000")
    with pytest.raises(NotFound):
        scope.get_project_or_404(user, object_id)
