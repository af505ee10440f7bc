"""项目管理 on a slow link and a big database: DESIGN §8 byte budgets and no query per row (N+1)."""
from contextlib import contextmanager
from datetime import date

import brotli
import pytest
from sqlalchemy import event

from tests.factories import EnterpriseFactory, ProjectFactory, TeamFactory, employ, make_worker
from wagewatch.extensions import db

PAGE_BUDGET = 14 * 1024
FRAGMENT_BUDGET = 6 * 1024
HX = {"HX-Request": "true", "HX-Request-Type": "partial"}
LONG = "新疆维吾尔自治区昌吉回族自治州木垒哈萨克自治县"


def compressed(response) -> int:
    assert response.status_code == 200
    return len(brotli.compress(response.get_data()))


def make_projects(n: int, **kwargs) -> list:
    """n projects with long, distinct names and parties (worst case for compression)."""
    made = []
    for i in range(n):
        owner = EnterpriseFactory(name=f"{LONG}城市建设投资发展有限责任公司{i}")
        contractor = EnterpriseFactory(name=f"新疆第{i}建筑工程集团有限公司第{i * 7}分公司")
        made.append(ProjectFactory(name=f"{LONG}第{i}中学教学楼及附属设施建设项目", owner=owner,
                                   contractor=contractor, **kwargs))
    db.session.commit()
    return made


def make_roster(n: int):
    project = ProjectFactory(review_status="approved", status="in_progress")
    sub = EnterpriseFactory(name="新疆鑫源劳务分包有限公司")
    teams = [TeamFactory(project_id=project.id, name=f"钢筋班{i}", subcontractor=sub) for i in range(3)]
    db.session.flush()
    for i in range(n):
        worker = make_worker(name=f"买买提·艾力{i}", phone=f"1389999{i:04d}")
        employ(project, worker, team=teams[i % 3], joined_on=date(2022, 5, 1 + i % 28),
               left_on=date(2022, 9, 1) if i % 4 == 0 else None)
    db.session.commit()
    return project


def test_approvals_page_and_20_row_fragment_fit_the_budgets(client, login):
    login(region="652328")
    make_projects(25)
    assert compressed(client.get("/projects/approvals")) <= PAGE_BUDGET
    assert compressed(client.get("/projects/approvals", headers=HX)) <= FRAGMENT_BUDGET


def test_roster_page_and_20_row_fragment_fit_the_budgets(client, login):
    login(region="652328")
    project = make_roster(25)
    url = f"/projects/site?project_id={project.id}"
    assert compressed(client.get(url)) <= PAGE_BUDGET
    fragment = client.get(url, headers=HX)
    assert fragment.get_data(as_text=True).count("<tr") == 21
    assert compressed(fragment) <= FRAGMENT_BUDGET


@contextmanager
def counting():
    """Count the SQL statements the database receives inside the block."""
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_for(client, url: str) -> int:
    with counting() as seen:
        assert client.get(url, headers=HX).status_code == 200
    return len(seen)


@pytest.mark.parametrize("tab", ["pending", "approved", "rejected"])
def test_approvals_list_queries_do_not_grow_with_rows(client, login, tab):
    login(region="652328")
    make_projects(2, review_status=tab)
    few = statements_for(client, f"/projects/approvals?tab={tab}")
    make_projects(18, review_status=tab)
    assert statements_for(client, f"/projects/approvals?tab={tab}") == few


def test_roster_queries_do_not_grow_with_rows(client, login):
    login(region="652328")
    project = make_roster(2)
    few = statements_for(client, f"/projects/site?project_id={project.id}")
    sub = EnterpriseFactory(name="新疆另一劳务有限公司")
    team = TeamFactory(project_id=project.id, name="木工班", subcontractor=sub)
    db.session.flush()
    for i in range(18):
        employ(project, make_worker(name=f"阿依古丽{i}", phone=f"1387777{i:04d}"), team=team)
    db.session.commit()
    assert statements_for(client, f"/projects/site?project_id={project.id}") == few
