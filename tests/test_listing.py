"""Shared list parts: capped totals, keyset pages (no OFFSET over the list), the pager, the selector component."""
import re
from datetime import date

import pytest
from sqlalchemy import event, select

from tests.factories import ProjectFactory, employ, make_worker
from wagewatch import keyset, listing, selector
from wagewatch.extensions import db
from wagewatch.models import Employment, Project
from wagewatch.projects import roster

ORDER = keyset.Keyset((Project.registered_on, True), (Project.id, True))


def ids(page):
    return [row[0].id for row in page.items]


def walk(stmt, order, per_page=7):
    """Follow the pager's 下一页 links from page 1 to the end, as a user would."""
    wanted, seen, numbers = listing.PageRequest(), [], []
    while True:
        page = listing.paginate(stmt, order, wanted, per_page=per_page)
        seen += [row[0] for row in page.items]
        numbers.append(page.number)
        if not page.has_next:
            return seen, numbers, page
        args = page.args_for(page.number + 1)
        wanted = listing.PageRequest(args["page"], args.get("after"), args.get("before"))


@pytest.fixture
def projects(any_app):
    made = [ProjectFactory(registered_on=date(2022, 1, 1 + n % 5)) for n in range(30)]
    db.session.commit()
    return sorted(made, key=lambda p: (p.registered_on, p.id), reverse=True)


def test_following_the_pager_visits_every_row_once_in_order(projects):
    seen, numbers, last = walk(select(Project), ORDER)
    assert [p.id for p in seen] == [p.id for p in projects]
    assert numbers == [1, 2, 3, 4, 5] and last.pages == 5 and last.total == 30


def test_backwards_links_and_bare_page_numbers_give_the_same_pages(projects):
    stmt = select(Project)
    third = listing.paginate(stmt, ORDER, listing.PageRequest(3), per_page=7)
    assert ids(third) == [p.id for p in projects[14:21]]
    back = third.args_for(2)
    assert "before" in back
    second = listing.paginate(stmt, ORDER, listing.PageRequest(2, before=back["before"]), per_page=7)
    assert ids(second) == [p.id for p in projects[7:14]]
    last = listing.paginate(stmt, ORDER, listing.PageRequest(5), per_page=7)
    assert ids(last) == [p.id for p in projects[28:]] and not last.has_next
    assert listing.paginate(stmt, ORDER, listing.PageRequest(99), per_page=7).number == 5
    assert third.window() == [1, 2, 3, 4, 5]


def test_a_page_read_by_its_key_uses_no_offset(projects):
    stmt = select(Project)
    first = listing.paginate(stmt, ORDER, listing.PageRequest(), per_page=7)
    args = first.args_for(2)
    statements = []
    engine = db.engine

    def record(conn, cursor, sql, params, context, executemany):
        statements.append((sql.upper(), params))
    event.listen(engine, "before_cursor_execute", record)
    try:
        listing.paginate(stmt, ORDER, listing.PageRequest(2, after=args["after"]), per_page=7, total=30)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    # SQLite writes "LIMIT ? OFFSET ?" for any LIMIT; the offset it is given must be 0
    assert statements and all("OFFSET" not in sql or tuple(params)[-1] == 0 for sql, params in statements)


def test_malformed_keys_fall_back_to_the_page_number(projects):
    for bad in ("x", "2022-13-01~1", "2022-01-01", "2022-01-01~1~2", "2022-01-01~99999999999999999999999"):
        page = listing.paginate(select(Project), ORDER, listing.PageRequest(2, after=bad), per_page=7)
        assert ids(page) == [p.id for p in projects[7:14]]


def test_totals_are_exact_up_to_the_cap_and_shown_as_10000_plus_beyond(app, monkeypatch):
    for _ in range(6):
        ProjectFactory()
    db.session.commit()
    monkeypatch.setattr(listing, "CAP", 5)
    assert listing.count(select(Project), cap=5) == 6 and listing.count(select(Project), cap=10) == 6
    assert listing.count_label(10_001, 10_000) == "10,000+" and listing.count_label(10_000, 10_000) == "10,000"
    assert listing.count_label(None) == "—"
    page = listing.paginate(select(Project), ORDER, listing.PageRequest(), per_page=2)
    assert page.capped and page.pages is None and page.has_next and page.total_label == "5+"


def test_mixed_directions_and_boolean_keys(any_app):
    """人员信息 sorts 在职 first (a boolean expression), then newest entry first: pages follow that order."""
    project = ProjectFactory()
    for n in range(9):
        employ(project, make_worker(f"工人{n}"), joined_on=date(2022, 1, 1 + n),
               left_on=date(2022, 3, 1) if n % 3 == 0 else None)
    db.session.commit()
    everyone = list(db.session.scalars(roster.matching(project.id, {})))
    cte = roster.project_roster(project.id)
    seen, numbers, _ = walk(roster.matching(project.id, {}, cte), roster.order_of(cte), per_page=2)
    assert seen == everyone and numbers == [1, 2, 3, 4, 5]
    joined = {e.id: (e.left_on is not None, e.joined_on) for e in db.session.scalars(select(Employment))}
    assert [joined[i] for i in seen] == sorted(joined.values(), key=lambda k: (k[0], -k[1].toordinal()))


def test_pager_shows_the_capped_total(client, login, app, monkeypatch):
    for n in range(25):
        ProjectFactory(registered_on=date(2022, 1, 1 + n))
    db.session.commit()
    monkeypatch.setattr(listing, "CAP", 21)
    login(region="652328")
    html = client.get("/projects/approvals").get_data(as_text=True)
    assert "共 21+ 条，第 1 页" in html and "下一页" in html


def test_selector_marks_projects_not_approved_and_refuses_unknown_targets(client, hx, login, app):
    ProjectFactory(name="甲工程", review_status="approved")
    ProjectFactory(name="乙工程", review_status="pending")
    ProjectFactory(name="丙工程", review_status="rejected")
    db.session.commit()
    login(region="652328")
    html = hx.get("/selector/projects.site/search?q=工程").get_data(as_text=True)
    tags = dict(re.findall(r'>([甲乙丙]工程)</a>(?: <span class="tag tag-\w+">([^<]+)</span>)?', html))
    assert tags == {"甲工程": "", "乙工程": "未审核", "丙工程": "审核未通过"}
    assert hx.get("/selector/projects.approvals/search?q=工程").status_code == 404
    assert hx.get("/selector/nothing/children?region=652328").status_code == 404
    with pytest.raises(LookupError):
        selector.build(None, "auth.login")


def test_selector_links_lead_to_the_registered_target(hx, login, app, monkeypatch):
    ProjectFactory(name="甲工程")
    db.session.commit()
    monkeypatch.setattr(selector, "TARGETS", {"projects.site", "exports.index"})
    login(region="652328")
    html = hx.get("/selector/exports.index/children?region=652328").get_data(as_text=True)
    assert 'href="/exports?project_id=' in html


def test_reopening_the_selector_shows_the_current_projects_branch(client, login, app):
    project = ProjectFactory(name="木垒县第九中学", region_code="652328")
    db.session.commit()
    login(region="650000")
    html = client.get(f"/projects/site?project_id={project.id}").get_data(as_text=True)
    tree = html.split('id="project-tree"', 1)[1]
    assert '<details open>' in tree and 'aria-current="true">木垒县第九中学</a>' in tree
