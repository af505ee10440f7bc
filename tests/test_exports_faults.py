"""The export flow under faults: a user moved to another org, hostile requests, an unwritable EXPORT_DIR,
a job lost with Redis or Redis stopped mid-way — never a 500, never 排队中/生成中 forever, always a Chinese reason."""
import shutil
import socket
import subprocess
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from jobs.exports import LOST, OUT_OF_SCOPE, UNWRITABLE, build_export
from tests.conftest import PASSWORD, make_user, unavailable
from tests.factories import ProjectFactory, employ, make_worker
from wagewatch.extensions import db
from wagewatch.models import AuditLog, ExportJob
from wagewatch.models._types import utcnow
from wagewatch.users import find_org

HX = {"HX-Request": "true", "HX-Request-Type": "partial"}


def only_export() -> ExportJob:
    db.session.expire_all()
    return db.session.scalars(select(ExportJob)).one()


def move(user, region: str) -> None:
    user.org_id = find_org(region, "hr", None).id
    db.session.commit()


def test_user_moved_to_another_org_cannot_download(client, hx, login):
    """A 昌吉州 reviewer exports 人员信息 of a 木垒县 project, then moves to 阿克苏: the file is no longer theirs."""
    user = login(role="reviewer", region="652300")
    project = ProjectFactory(region="652328", review_status="approved", status="in_progress")
    employ(project, make_worker("张三"))
    db.session.commit()
    assert hx.post("/exports", data={"kind": "roster", "project_id": project.id}).status_code == 200
    export = only_export()
    assert export.status == "done" and export.org_id == user.org_id
    assert client.get(f"/exports/{export.id}/download").status_code == 200

    move(user, "652900")
    assert client.get(f"/exports/{export.id}/download").status_code == 404
    html = hx.get(f"/exports/{export.id}/status").get_data(as_text=True)
    assert "监管单位已变更" in html and "/download" not in html
    assert "/download" not in client.get("/exports").get_data(as_text=True)

    move(user, "652300")  # back in the old scope, the file is theirs again
    assert client.get(f"/exports/{export.id}/download").status_code == 200
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "export_jobs",
                                                               AuditLog.object_id == str(export.id))
                                 .order_by(AuditLog.id)).all()
    assert actions == ["export_requested", "export_downloaded", "export_downloaded"]


def test_export_built_after_the_user_moved_fails(app, login):
    user = login(role="viewer", region="652300")
    ProjectFactory(region="652328")
    export = ExportJob(user_id=user.id, org_id=user.org_id, kind="projects", params={}, filename="工程清单.xlsx")
    db.session.add(export)
    db.session.commit()
    move(user, "652900")
    assert build_export(export.id) == "failed"
    export = only_export()
    assert export.error == OUT_OF_SCOPE and export.file is None and export.attempts == 1


@pytest.mark.parametrize("data", [
    {"kind": "projects", "name": "x" * 10_000},
    {"kind": "projects", "k" * 10_000: "1"},
    {"kind": "projects", **{f"key{n}": "v" for n in range(200)}},
    {"kind": "x" * 10_000},
    {},
])
def test_hostile_filters_are_refused(hx, login, data):
    login(role="reviewer")
    response = hx.post("/exports", data=data)
    assert response.status_code == 400 and "请求无效" in response.get_data(as_text=True)
    assert db.session.scalars(select(ExportJob)).all() == []


def test_json_bodies_and_unknown_keys(hx, login):
    login(role="reviewer")
    for body in ('{"kind": "projects", "name": {"$gt": 1}}', "[1, 2]", "null", "\"projects\""):
        response = hx.post("/exports", data=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400
    ProjectFactory(name="工程甲")
    db.session.commit()
    response = hx.post("/exports", data={"kind": "projects", "__class__": "x", "evil": "1"})
    assert response.status_code == 200 and only_export().rows == 1  # unknown filters are ignored


def test_huge_and_negative_ids_answer_404(any_app):
    make_user("owner", role="viewer")
    client = any_app.test_client()
    assert client.post("/auth/login", data={"username": "owner", "password": PASSWORD}).status_code == 302
    for export_id in ("99999999999999999999", "2147483648", "0"):
        for suffix in ("", "/status", "/download"):
            assert client.get(f"/exports/{export_id}{suffix}").status_code == 404


def test_unwritable_export_dir_gives_a_clear_reason(app, hx, login, tmp_path, monkeypatch):
    """EXPORT_DIR that cannot be written (a read-only mount, or a full disk) fails with a Chinese reason."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(blocker / "exports"))  # mkdir fails even for root
    login(role="viewer")
    ProjectFactory()
    db.session.commit()
    html = hx.post("/exports", data={"kind": "projects"}).get_data(as_text=True)
    export = only_export()
    assert export.status == "failed" and export.error == UNWRITABLE and export.file is None
    assert UNWRITABLE in html and "hx-trigger" not in html


def test_unwritable_file_leaves_no_partial(app, login, tmp_path, monkeypatch):
    """The file itself cannot be written (xlsxwriter raises at close): no .part is left behind."""
    export_dir = tmp_path / "exports"
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(export_dir))
    user = login(role="viewer")
    ProjectFactory()
    export = ExportJob(user_id=user.id, kind="projects", params={})
    db.session.add(export)
    db.session.commit()
    export_dir.mkdir()
    (export_dir / f"export-{export.id}.part").mkdir()  # a directory where the file should go
    assert build_export(export.id) == "failed"
    assert only_export().error == UNWRITABLE


def redis_export(app, monkeypatch, url: str) -> None:
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    monkeypatch.setitem(app.config, "RQ_QUEUE_PREFIX", f"wwtest_{uuid.uuid4().hex[:8]}_")
    monkeypatch.setitem(app.extensions, "jobs_inline", False)


def age(export: ExportJob, **delta) -> None:
    export.created_at = utcnow() - timedelta(**delta)
    db.session.commit()


@pytest.mark.redis
def test_job_lost_from_redis_fails_when_polled(app, hx, login, redis_url, monkeypatch):
    """No worker yet; then Redis loses the job (restarted without its data): the poll fails the export."""
    import redis

    from jobs.exports import rq_job_id

    redis_export(app, monkeypatch, redis_url)
    login(role="viewer")
    assert hx.post("/exports", data={"kind": "projects"}).status_code == 200
    export = only_export()
    age(export, minutes=5)
    html = hx.get(f"/exports/{export.id}/status").get_data(as_text=True)
    assert "排队中" in html and "hx-trigger" in html  # the job is waiting in Redis for a worker: leave it
    redis.Redis.from_url(redis_url).delete(f"rq:job:{rq_job_id(export.id)}")
    html = hx.get(f"/exports/{export.id}/status").get_data(as_text=True)
    assert LOST in html and "hx-trigger" not in html and only_export().status == "failed"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def own_redis():
    """A redis-server of this test's own, so stopping it touches nobody else."""
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    connection = redis.Redis(port=port)
    deadline = time.monotonic() + 30
    while True:
        try:
            connection.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0", process
    if process.poll() is None:
        process.kill()
        process.wait(timeout=30)


@pytest.mark.redis
def test_redis_stopped_mid_way(app, client, hx, login, own_redis, monkeypatch):
    url, server = own_redis
    redis_export(app, monkeypatch, url)
    login(role="viewer")
    assert hx.post("/exports", data={"kind": "projects"}).status_code == 200
    export = only_export()
    server.kill()
    server.wait(timeout=30)

    # Redis is gone: polls keep answering, a new export says it cannot start, pages keep working.
    html = hx.get(f"/exports/{export.id}/status").get_data(as_text=True)
    assert "排队中" in html and "hx-trigger" in html
    refused = hx.post("/exports", data={"kind": "projects"})
    assert refused.status_code == 503 and "现在无法开始" in refused.get_data(as_text=True)
    for url_ in ("/", "/exports", f"/exports/{export.id}"):
        assert client.get(url_).status_code == 200

    # Once even rq's job timeout has passed, nothing can still be working on it.
    age(export, minutes=36)
    html = hx.get(f"/exports/{export.id}/status").get_data(as_text=True)
    assert LOST in html and "hx-trigger" not in html


def test_content_disposition_fallbacks():
    from wagewatch.exports.views import content_disposition

    assert content_disposition("工程清单_20261127_090000.xlsx", "projects") == (
        'attachment; filename="projects_20261127_090000.xlsx"; '
        "filename*=UTF-8''%E5%B7%A5%E7%A8%8B%E6%B8%85%E5%8D%95_20261127_090000.xlsx")
    assert 'filename="export-3.xlsx"' in content_disposition("export-3.xlsx", "projects")
    assert content_disposition('人员"a;b\r\n.xlsx', "roster").endswith(
        "filename=\"ab.xlsx\"; filename*=UTF-8''%E4%BA%BA%E5%91%98%22a%3Bb%0D%0A.xlsx")
