"""DESIGN §8 on the wire, for every screen on the demo data: compressed page ≤ 14 KB, 20-row fragment ≤ 6 KB,
static files ≤ 40 KB, and a repeat view needs at most three requests (every referenced file is cached for a year)."""
import gzip
import re
from datetime import date

import brotli
import pytest
from sqlalchemy import func, select

from tests.conftest import base_config, build_schema, fresh_session_per_request, make_user, sign_in
from wagewatch import create_app
from wagewatch.assets import YEAR
from wagewatch.demo import build_demo
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay, Complaint, Payroll
from wagewatch.navigation import leaves

PAGE_BUDGET = 14 * 1024
FRAGMENT_BUDGET = 6 * 1024
STATIC_BUDGET = 40 * 1024
REPEAT_REQUESTS = 3
HX = {"HX-Request": "true", "HX-Request-Type": "partial"}
INLINE = re.compile(r"""\sstyle=["'][^"']*|<style|\son[a-z]+=""")
ENCODINGS = {"br": brotli.decompress, "gzip": gzip.decompress}
# What a page asks the browser to fetch: stylesheets, scripts, images, frames, icons, preloads.
SUBRESOURCE = re.compile(r"""<(?:link|script|img|iframe|source|video|audio|embed|object)\b[^>]*?"""
                         r"""\b(?:href|src|data)=["']([^"']+)["']""")


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("budgets")
    app = create_app(base_config(tmp, f"sqlite:///{tmp / 'budgets.sqlite3'}"))
    fresh_session_per_request(app)
    build_schema(app)
    with app.app_context():
        build_demo(0.12, seed=11, today=date(2026, 11, 27))
        yield app
        db.session.remove()
        db.engine.dispose()


def client_for(app, role: str, region: str = "650000"):
    users = app.extensions.setdefault("budget_users", {})
    if role not in users:
        users[role] = make_user(f"budget-{role}", region, "hr", role=role)
    client = app.test_client()
    sign_in(client, users[role])
    return client


def wire(response) -> tuple[int, str]:
    """The size as sent (br or gzip; only an answer too small to gain from it goes plain) and the HTML."""
    assert response.status_code == 200, response.status_code
    encoding = response.headers.get("Content-Encoding")
    if encoding is None:
        assert len(response.data) < 1024, "a sizeable answer went uncompressed"
        return len(response.data), response.get_data(as_text=True)
    return len(response.data), ENCODINGS[encoding](response.data).decode()


def get(client, url: str, headers=None):
    """As a browser asks: compressed, following a pane's redirect to the page that shows it without JavaScript."""
    return client.get(url, headers={"Accept-Encoding": "br, gzip", **(headers or {})}, follow_redirects=True)


def screens(role: str) -> list[str]:
    return [leaf.path for leaf in leaves() if role in leaf.roles]


def business_urls() -> list[str]:
    """Every business screen, plus the selected-project views, panes and dialogs of one object of each kind."""
    project = db.session.scalar(select(AttendanceDay.project_id).group_by(AttendanceDay.project_id)
                                .order_by(func.count().desc()).limit(1))
    complaint = db.session.scalar(select(Complaint.id).limit(1))
    payroll = db.session.scalar(select(Payroll.id).limit(1))
    return screens("reviewer") + [
        f"/projects/site?project_id={project}", f"/projects/site?project_id={project}&tab=info",
        f"/attendance/daily?project_id={project}&date_from=2026-11-01&date_to=2026-11-27",
        "/attendance/daily?date_from=2026-11-20&date_to=2026-11-27", f"/wages/progress?project_id={project}",
        f"/wages/progress/detail?project_id={project}&month=2026-10", "/projects/approvals?tab=approved",
        "/projects/approvals?tab=rejected", f"/complaints?case={complaint}",
        f"/projects/{project}/review", f"/projects/{project}/status", f"/complaints/{complaint}/pane",
        f"/wages/progress/sheets/{payroll}/lines", "/selector/projects.site/children?region=650000",
    ]


@pytest.mark.parametrize("role", ["reviewer", "sysadmin", "secadmin", "auditor"])
def test_every_page_and_fragment_fits_the_budgets(demo_app, role):
    client = client_for(demo_app, role)
    urls = business_urls() if role == "reviewer" else screens(role)
    over, rows = [], {}
    for url in urls:
        full, page = wire(get(client, url))
        fragment, html = wire(get(client, url, HX))
        # the CSP blocks inline styles: one would show as a console error and cost Lighthouse's best practices
        assert not INLINE.search(page + html), (url, INLINE.search(page + html).group(0))
        rows[url] = html.count("<tr") - 1  # less the header row
        if full > PAGE_BUDGET or fragment > FRAGMENT_BUDGET:
            over.append((url, full, fragment))
    assert not over, over
    # the lists really hold a page of rows, so the fragment budget is the 20-row one
    if role == "reviewer":
        assert sum(1 for count in rows.values() if count >= 20) >= 4, rows


def test_static_files_together_fit_40_kb(demo_app):
    client = demo_app.test_client()
    total = 0
    for fingerprinted in demo_app.extensions["asset_manifest"].values():
        response = get(client, "/assets/" + fingerprinted)
        assert response.status_code == 200
        total += len(response.data)
    assert 0 < total <= STATIC_BUDGET, total


@pytest.mark.parametrize("role", ["reviewer", "sysadmin", "secadmin", "auditor"])
def test_a_repeat_view_needs_at_most_three_requests(demo_app, role):
    """On a repeat view the browser asks only for the page and what it may not take from its cache."""
    client = client_for(demo_app, role)
    anonymous = demo_app.test_client()
    worst = {}
    for url in screens(role) + ["/auth/login"]:
        html = wire(get(anonymous if url == "/auth/login" else client, url))[1]
        references = set(SUBRESOURCE.findall(html)) - {"data:,"}
        fetched = 1  # the page itself (no-store: a regulator's data is never cached)
        for ref in references:
            assert ref.startswith("/assets/"), f"{url} references {ref}: not a fingerprinted file"
            response = get(client, ref)
            assert response.status_code == 200, ref
            control = response.headers["Cache-Control"]
            if not ("immutable" in control and f"max-age={YEAR}" in control and "public" in control):
                fetched += 1
        worst[url] = fetched
        assert fetched <= REPEAT_REQUESTS, (url, references)
    assert worst
