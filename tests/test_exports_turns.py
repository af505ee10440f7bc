"""One running export per user (a second waits and says so), scopes declared by every export kind, and the
工程清单 file reading its filters with the 工程审批 screen's own form and query."""
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from jobs import exports as export_jobs
from tests.conftest import make_user
from tests.factories import EnterpriseFactory, ProjectFactory
from tests.test_exports import sheet_rows
from wagewatch.exports.registry import EXPORTS, register_export
from wagewatch.exports.turns import WAITING_NOTE, take_turn
from wagewatch.extensions import db
from wagewatch.models import ExportJob
from wagewatch.models._types import utcnow


def running_export(user) -> ExportJob:
    export = ExportJob(user_id=user.id, org_id=user.org_id, kind="projects", params={}, status="running",
                       started_at=utcnow(), filename="工程清单.xlsx")
    db.session.add(export)
    db.session.commit()
    return export


def test_a_second_export_waits_for_the_running_one_and_says_so(client, hx, login):
    user = login(role="viewer")
    ProjectFactory(name="工程甲")
    db.session.commit()
    first = running_export(user)
    response = hx.post("/exports", data={"kind": "projects"})
    second = db.session.scalars(select(ExportJob).where(ExportJob.id != first.id)).one()
    html = response.get_data(as_text=True)
    assert second.status == "waiting" and second.attempts == 0
    assert "等待中" in html and WAITING_NOTE in html and 'hx-trigger="every 3s"' in html  # keeps polling
    listing = client.get("/exports").get_data(as_text=True)
    assert "等待中" in listing and WAITING_NOTE in listing

    export_jobs._finish(db.session.get(ExportJob, first.id), "done")  # the running one ends: the turn passes
    db.session.expire_all()
    second = db.session.get(ExportJob, second.id)
    assert second.status == "done" and second.rows == 1 and second.error is None
    assert [row[0] for row in sheet_rows(client.get(f"/exports/{second.id}/download"))[1:]] == ["工程甲"]


def test_a_waiting_export_starts_when_the_running_one_was_lost(client, hx, login):
    """The running export's worker died and it was failed meanwhile: the next poll gives the turn on."""
    user = login(role="viewer")
    first = running_export(user)
    hx.post("/exports", data={"kind": "projects"})
    second = db.session.scalars(select(ExportJob).where(ExportJob.id != first.id)).one()
    assert second.status == "waiting"
    first.status = "failed"
    db.session.commit()
    html = hx.get(f"/exports/{second.id}/status").get_data(as_text=True)
    assert "完成" in html and db.session.get(ExportJob, second.id).status == "done"


def test_other_users_do_not_wait(client, login):
    other = make_user("other", role="viewer")
    running_export(other)
    login(role="viewer")
    client.post("/exports", data={"kind": "projects"})
    mine = db.session.scalars(select(ExportJob).where(ExportJob.user_id != other.id)).one()
    assert mine.status == "done"


def test_two_workers_claiming_at_once_run_one_export(any_app):
    """Two queued exports of one user picked up by two workers at the same moment: exactly one runs."""
    user = make_user("twice", role="viewer")
    ids = []
    for _ in range(2):
        export = ExportJob(user_id=user.id, kind="projects", params={}, status="queued")
        db.session.add(export)
        db.session.commit()
        ids.append(export.id)
    barrier, results = threading.Barrier(2), []

    def claim(export_id):
        with any_app.app_context():
            try:
                export = db.session.get(ExportJob, export_id)
                barrier.wait(timeout=10)
                results.append(take_turn(export))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=claim, args=(export_id,)) for export_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False, True]
    db.session.expire_all()
    assert sorted(db.session.scalars(select(ExportJob.status)).all()) == ["running", "waiting"]


def test_every_registered_kind_declares_its_scope():
    from wagewatch.exports.registry import SCOPES

    assert EXPORTS and {kind: spec.scope for kind, spec in EXPORTS.items() if spec.scope not in SCOPES} == {}


def test_a_kind_without_scope_is_refused(app, client, login, monkeypatch):
    with pytest.raises(ValueError):
        register_export("loose", "散", ("列",), scope="everything")
    assert "loose" not in EXPORTS
    monkeypatch.setitem(EXPORTS, "loose", None)  # restored afterwards
    register_export("loose", "散", ("列",))(lambda _u, _p: iter([("x",)]))  # declares no scope
    user = login(role="reviewer")
    assert client.post("/exports", data={"kind": "loose"}).status_code == 400
    export = ExportJob(user_id=user.id, kind="loose", params={})
    db.session.add(export)
    db.session.commit()
    assert export_jobs.build_export(export.id) == "failed"
    assert db.session.get(ExportJob, export.id).error == export_jobs.UNSCOPED


def names_on_screen(html: str) -> set[str]:
    return {name for name in ("甲建设的工程", "乙建设的工程", "早登记的工程", "哈密的工程") if name in html}


@pytest.mark.parametrize("query", [
    "tab=approved",
    "tab=approved&owner=甲建设",
    "tab=approved&registered_from=2022-06-01",
    "tab=pending&region=652328",
    "tab=approved&code=XJTURN",
])
def test_projects_file_lists_exactly_what_the_approvals_screen_lists(client, login, query):
    login(role="viewer", region="652300")
    owner_a, owner_b = EnterpriseFactory(name="甲建设有限公司"), EnterpriseFactory(name="乙建设有限公司")
    ProjectFactory(name="甲建设的工程", owner=owner_a, review_status="approved", status="in_progress",
                   registered_on=date(2022, 7, 1), code="XJTURN0001")
    ProjectFactory(name="乙建设的工程", owner=owner_b, review_status="approved", status="in_progress",
                   registered_on=date(2022, 7, 2))
    ProjectFactory(name="早登记的工程", owner=owner_a, review_status="pending",
                   registered_on=date(2022, 5, 1) - timedelta(days=30))
    ProjectFactory(name="哈密的工程", region="650502", review_status="approved", status="in_progress")
    db.session.commit()
    screen = client.get(f"/projects/approvals?{query}")
    assert screen.status_code == 200
    params = dict(pair.split("=") for pair in query.split("&"))
    client.post("/exports", data={"kind": "projects", **params})
    export = db.session.scalars(select(ExportJob)).one()
    assert export.status == "done", export.error
    in_file = {row[0] for row in sheet_rows(client.get(f"/exports/{export.id}/download"))[1:]}
    assert in_file == names_on_screen(screen.get_data(as_text=True)) and in_file


def test_tampered_projects_filters_are_refused_before_anything_is_queued(client, login):
    login(role="viewer", region="652300")
    for bad in ({"region": "650502"}, {"registered_from": "2022-13-01"}, {"tab": "nope"}):
        assert client.post("/exports", data={"kind": "projects", **bad}).status_code == 400
    assert db.session.scalars(select(ExportJob)).all() == []


def test_projects_file_follows_the_screens_sort(client, login):
    login(role="viewer")
    for day in (3, 1, 2):
        ProjectFactory(name=f"五月{day}日登记", registered_on=date(2022, 5, day))
    db.session.commit()
    for sort, expected in (("registered_on", ["五月1日登记", "五月2日登记", "五月3日登记"]),
                           ("-registered_on", ["五月3日登记", "五月2日登记", "五月1日登记"])):
        client.post("/exports", data={"kind": "projects", "sort": sort})
        export = db.session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
        assert [row[0] for row in sheet_rows(client.get(f"/exports/{export.id}/download"))[1:]] == expected
