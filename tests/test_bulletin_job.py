"""数据通报's first view of a month hands the region-wide computation to one background job instead of doing it in
the web request; parallel first views enqueue it once."""
import threading
import uuid

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import func, select

from jobs.indicators import store_bulletin
from tests.conftest import PASSWORD, make_user
from wagewatch import clock
from wagewatch.bulletin.compute import month_of
from wagewatch.extensions import db
from wagewatch.jobs_runner import enqueue_once
from wagewatch.models import BulletinFigure

pytestmark = [pytest.mark.redis, pytest.mark.pg]
JOBS_DB = 12


@pytest.fixture
def queued(pg_app, redis_url, monkeypatch):
    """The app sends jobs to a Redis database and queue prefix of this test's own; yields the nightly queue."""
    url = redis_url.rsplit("/", 1)[0] + f"/{JOBS_DB}"
    prefix = f"wwtest_{uuid.uuid4().hex[:8]}_"
    monkeypatch.setitem(pg_app.config, "REDIS_URL", url)
    monkeypatch.setitem(pg_app.config, "RQ_QUEUE_PREFIX", prefix)
    monkeypatch.setitem(pg_app.extensions, "jobs_inline", False)
    connection = Redis.from_url(url)
    yield Queue(prefix + "nightly", connection=connection)
    for key in connection.scan_iter(prefix + "*"):
        connection.delete(key)
    connection.close()


def test_first_view_of_a_month_queues_the_figures_and_shows_them_once_computed(pg_app, queued):
    from tests.factories import ProjectFactory

    ProjectFactory(review_status="approved", status="in_progress")
    make_user("bulletin_viewer", role="viewer")
    db.session.commit()
    client = pg_app.test_client()
    client.post("/auth/login", data={"username": "bulletin_viewer", "password": PASSWORD})
    html = client.get("/bulletin").get_data(as_text=True)
    assert "本月数据正在后台计算" in html and "刷新本页" in html
    assert client.get("/").status_code == 200  # the 首页 asks too, and queues nothing more
    assert queued.count == 1 and queued.jobs[0].func_name == "jobs.indicators.store_bulletin"
    assert db.session.scalar(select(func.count()).select_from(BulletinFigure)) == 0

    SimpleWorker([queued], connection=queued.connection).work(burst=True)
    db.session.expire_all()
    month = month_of(clock.beijing_today())
    assert db.session.scalar(select(func.count()).where(BulletinFigure.month == month)) > 0
    html = client.get("/bulletin").get_data(as_text=True)
    assert "数据更新于" in html and "正在后台计算" not in html
    assert queued.count == 0


def test_parallel_first_views_enqueue_one_job(pg_app, queued):
    outcomes, start = [], threading.Barrier(8)

    def first_view():
        with pg_app.app_context():
            start.wait()
            outcomes.append(enqueue_once("nightly", store_bulletin, claim="bulletin-test", hold_seconds=60))

    threads = [threading.Thread(target=first_view) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 8 and all(outcome.started for outcome in outcomes)
    assert len([outcome for outcome in outcomes if outcome.job_id]) == 1
    assert queued.count == 1


def test_dead_redis_leaves_the_page_serving(pg_app, monkeypatch):
    monkeypatch.setitem(pg_app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(pg_app.extensions, "jobs_inline", False)
    make_user("bulletin_viewer2", role="viewer")
    client = pg_app.test_client()
    client.post("/auth/login", data={"username": "bulletin_viewer2", "password": PASSWORD})
    response = client.get("/bulletin")
    assert response.status_code == 200 and "本月份没有存档数据" in response.get_data(as_text=True)
