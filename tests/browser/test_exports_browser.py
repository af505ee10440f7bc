"""导出数据 in Chromium: the status polls from 排队中 to 完成 — 下载 and the file downloads; also without JS."""
import re
import uuid

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.factories import ProjectFactory
from tests.test_jobs_redis import kill, start_worker
from wagewatch.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def queued_exports(live_app, redis_url, monkeypatch):
    """Exports go to a real Redis queue (a prefix of their own) instead of running inside the request."""
    import redis

    url = redis_url.rsplit("/", 1)[0] + "/13"
    prefix = f"wwbrowser_{uuid.uuid4().hex[:8]}_"
    monkeypatch.setitem(live_app.config, "REDIS_URL", url)
    monkeypatch.setitem(live_app.config, "RQ_QUEUE_PREFIX", prefix)
    monkeypatch.setitem(live_app.extensions, "jobs_inline", False)
    yield url, prefix + "exports"
    connection = redis.Redis.from_url(url)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


def test_export_polls_to_done_and_downloads(live_app, live_server, signed_in, page, queued_exports, tmp_path):
    redis_url, queue = queued_exports
    signed_in(page, role="viewer")
    ProjectFactory(name="浏览器导出工程", review_status="approved", status="in_progress")
    db.session.commit()
    page.goto(f"{live_server}/")
    page.get_by_role("button", name="导出数据").click()
    slot = page.locator("#export-slot-projects")
    expect(slot).to_contain_text("排队中")
    assert slot.locator("[hx-trigger]").count() == 1  # polling while queued
    assert page.url == f"{live_server}/"  # the page did not reload

    worker = start_worker(live_app, redis_url, queue)
    try:
        expect(slot).to_contain_text(re.compile("完成 — 下载"), timeout=30_000)
    finally:
        kill(worker)
    assert slot.locator("[hx-trigger]").count() == 0  # done: polling stopped
    with page.expect_download() as download_info:
        slot.get_by_role("link", name="下载").click()
    download = download_info.value
    assert download.suggested_filename.startswith("工程清单_") and download.suggested_filename.endswith(".xlsx")
    target = tmp_path / "export.xlsx"
    download.save_as(target)
    rows = list(openpyxl.load_workbook(target, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "名称" and rows[1][0] == "浏览器导出工程"


def test_export_without_javascript(live_server, signed_in, nojs_page):
    signed_in(nojs_page, role="viewer")
    ProjectFactory(name="无脚本导出工程")
    db.session.commit()
    nojs_page.goto(f"{live_server}/")
    nojs_page.get_by_role("button", name="导出数据").click()
    nojs_page.wait_for_url(re.compile(r"/exports/\d+$"))
    expect(nojs_page.locator(".export-status")).to_contain_text("完成")
    with nojs_page.expect_download() as download_info:
        nojs_page.get_by_role("link", name="下载").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
