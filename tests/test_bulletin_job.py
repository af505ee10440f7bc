"""数据通报's first view of a month hands the region-wide computation to one background job instead of doing it in
the web request; parallel first views enqueue it once."""
import uuid

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import func, select

from jobs.indicators import store_bulletin
from tests.concurrency import together
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
    outcomes = []

    def first_view():
        with pg_app.app_context():
            outcomes.append(enqueue_once("nightly", store_bulletin, "2026-11-29", claim="bulletin-test",
                                         hold_seconds=60))

    together(8, first_view)
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


def fails() -> None:
    raise RuntimeError("the figures could not be computed")


def test_a_claim_whose_job_failed_is_taken_over_once(pg_app, queued):
    with pg_app.app_context():
        first = enqueue_once("nightly", fails, claim="bulletin-failing", hold_seconds=600)
        assert first.job_id and enqueue_once("nightly", fails, claim="bulletin-failing", hold_seconds=600).job_id is None
        SimpleWorker([queued], connection=queued.connection).work(burst=True)  # fails, retried, fails for good
        assert queued.fetch_job(first.job_id).get_status() == "failed"
        again = enqueue_once("nightly", fails, claim="bulletin-failing", hold_seconds=600)
        assert again.job_id and again.job_id != first.job_id
        assert enqueue_once("nightly", fails, claim="bulletin-failing", hold_seconds=600).job_id is None
        assert queued.count == 1


def test_a_claim_is_released_when_the_job_cannot_be_queued(pg_app, queued, monkeypatch):
    from wagewatch import jobs_runner

    real = jobs_runner.enqueue
    monkeypatch.setattr(jobs_runner, "enqueue", lambda *a, **k: jobs_runner.Enqueued(started=False, message="x"))
    with pg_app.app_context():
        assert not enqueue_once("nightly", store_bulletin, "2026-11-29", claim="bulletin-lost", hold_seconds=600).started
        monkeypatch.setattr(jobs_runner, "enqueue", real)
        assert enqueue_once("nightly", store_bulletin, "2026-11-29", claim="bulletin-lost", hold_seconds=600).job_id
    assert queued.count == 1


def test_parallel_snapshots_of_one_month_both_succeed(pg_app, monkeypatch):
    """The nightly refresh and a first view's job may run at once: the second waits and rewrites, no duplicate."""
    import time

    from tests.factories import ProjectFactory
    from wagewatch.bulletin import compute
    from wagewatch.bulletin.compute import snapshot

    computed = compute.figures_of

    def slowly(*args, **kwargs):  # region-wide the computation takes seconds: both runs overlap
        figures = computed(*args, **kwargs)
        time.sleep(0.5)
        return figures

    monkeypatch.setattr(compute, "figures_of", slowly)

    ProjectFactory(review_status="approved", status="in_progress")
    snapshot()  # the month's figures exist already: the nightly rewrite meets a first view's job
    db.session.commit()
    month = month_of(clock.beijing_today())
    written = db.session.scalar(select(func.count()).where(BulletinFigure.month == month))
    db.session.remove()
    errors = []

    def run():
        with pg_app.app_context():
            try:
                snapshot()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - asserted below
                errors.append(error)
            finally:
                db.session.remove()

    together(2, run)
    assert errors == []
    assert db.session.scalar(select(func.count()).where(BulletinFigure.month == month)) == written > 0
