"""No screen runs a query per row: on the demo data set every page, fragment and pane runs a bounded number of
statements and no statement more than three times in one request (an N+1 shows as the same statement once per row)."""
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import event, select

from tests.conftest import base_config, build_schema, fresh_session_per_request, make_user, sign_in
from tests.test_scope_routes import LISTS
from wagewatch import create_app
from wagewatch.demo import build_demo
from wagewatch.extensions import db
from wagewatch.models import Complaint, Payroll, Project

MAX_STATEMENTS = 40
MAX_REPEATS = 3  # the selector reveals the current project through at most three tree levels
HX = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("counts")
    app = create_app(base_config(tmp, f"sqlite:///{tmp / 'counts.sqlite3'}"))
    fresh_session_per_request(app)
    build_schema(app)
    with app.app_context():
        build_demo(0.12, seed=11, today=date(2026, 11, 27))
        yield app
        db.session.remove()
        db.engine.dispose()


class StatementLog:
    def __init__(self, engine):
        self.statements, self.engine = [], engine
        event.listen(engine, "before_cursor_execute", self.note)

    def note(self, _conn, _cursor, statement, *_args):
        self.statements.append(statement)

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self.note)


def urls() -> list[str]:
    """Every list of the route scope test, plus the panes and dialogs of one object of each kind."""
    found = [url for key, url in LISTS.items() if "{" not in url]
    project = db.session.scalar(select(Project.id).where(Project.review_status == "approved").limit(1))
    complaint = db.session.scalar(select(Complaint.id).limit(1))
    payroll = db.session.scalar(select(Payroll.id).limit(1))
    found += [f"/projects/site?project_id={project}", f"/projects/site?project_id={project}&tab=info",
              f"/projects/{project}/review", f"/projects/{project}/status", f"/complaints/{complaint}/pane",
              f"/wages/progress/sheets/{payroll}/lines", "/projects/approvals?tab=approved",
              "/projects/approvals?tab=approved&page=2"]
    return found


@pytest.mark.parametrize("region", ["650000", "652328"])
def test_no_screen_queries_per_row(demo_app, region):
    user = make_user(f"counter{region}", region, "hr", role="reviewer")
    client = demo_app.test_client()
    sign_in(client, user)
    log = StatementLog(db.engine)
    problems = []
    try:
        for url in urls():
            client.get(url)  # a first view may compute what the nightly job stores (a new month's figures)
            for headers in ({}, HX):
                log.statements.clear()
                response = client.get(url, headers=headers)
                if response.status_code >= 500:
                    problems.append((url, response.status_code))
                    continue
                repeated = Counter(log.statements).most_common(1)
                if len(log.statements) > MAX_STATEMENTS or (repeated and repeated[0][1] > MAX_REPEATS):
                    problems.append((url, bool(headers), len(log.statements), repeated[0][1],
                                     repeated[0][0][:160]))
    finally:
        log.close()
    assert not problems, problems
