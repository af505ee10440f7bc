"""人员信息 search by 身份证号 in Chromium, with and without JavaScript: the number is posted once, the page lands
on a bookmarkable URL holding only its keyed hash, and history never holds the number."""
import random

import pytest

from tests.factories import ProjectFactory, employ, make_worker
from wagewatch import crypto
from wagewatch.extensions import db
from wagewatch.identity import make_id_number
from wagewatch.masking import mask_id
from wagewatch.people import new_worker

pytestmark = pytest.mark.browser


@pytest.fixture
def roster(live_db):
    project = ProjectFactory(name="木垒县供水管网改造", review_status="approved", status="in_progress")
    number = make_id_number(random.Random(5), "652328")
    worker = new_worker(number, "古丽")
    db.session.add(worker)
    db.session.flush()
    employ(project, worker)
    employ(project, make_worker("别人"))
    db.session.commit()
    return project.id, number, crypto.lookup_hash(number)


@pytest.mark.parametrize("javascript", [True, False])
def test_id_number_search_keeps_the_number_out_of_the_url(browser, live_server, signed_in, roster, javascript):
    project_id, number, keyed = roster
    context = browser.new_context(locale="zh-CN", java_script_enabled=javascript)
    page = context.new_page()
    seen_urls = []
    page.on("request", lambda request: seen_urls.append(request.url))
    try:
        signed_in(page, region="652328")
        page.goto(f"{live_server}/projects/site?project_id={project_id}")
        page.locator("#roster-table").wait_for()
        page.fill("#roster-search input[name=id_number]", number.lower())
        page.click("#roster-search button[type=submit]")
        page.wait_for_url(f"**id_hash={keyed}**")
        page.locator("#roster-id-filter").wait_for()
        assert f"按身份证号 {mask_id(number)} 筛选" in page.inner_text("#roster-id-filter")
        assert page.inner_text("#roster-table").count("古丽") == 1 and "别人" not in page.inner_text("#roster-table")
        history = page.evaluate("location.href")
        assert number not in history and number.lower() not in history
        assert not [url for url in seen_urls if number in url or number.lower() in url]
        page.reload()  # bookmarkable: the URL alone shows the same search
        assert "古丽" in page.inner_text("#roster-table") and "别人" not in page.inner_text("#roster-table")
    finally:
        context.close()
