"""Export purge after export.keep_days, the rq cron schedule, and the CLI that runs jobs by hand."""
import os
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from jobs.exports import build_export
from jobs.maintenance import purge_old_exports
from tests.conftest import make_user
from tests.factories import ProjectFactory
from wagewatch.extensions import db
from wagewatch.models import ExportJob, RuleSetting
from wagewatch.models._types import utcnow


def built_export(user, days_old: int) -> ExportJob:
    export = ExportJob(user_id=user.id, kind="projects", params={}, filename="工程清单.xlsx")
    db.session.add(export)
    db.session.commit()
    build_export(export.id)
    export.created_at = utcnow() - timedelta(days=days_old)
    db.session.commit()
    return export


def test_purge_deletes_files_older_than_keep_days(app, client):
    user = make_user("exporter", role="viewer")
    ProjectFactory()
    db.session.commit()
    old, fresh = built_export(user, 8), built_export(user, 6)
    export_dir = Path(app.config["EXPORT_DIR"])
    old_file = export_dir / old.file
    stray = export_dir / "export-999.part"
    stray.write_bytes(b"half")
    stale = time.time() - 8 * 86400
    os.utime(stray, (stale, stale))

    result = purge_old_exports()
    assert result == {"exports_expired": 1, "exports_abandoned": 0, "stray_files": 1, "keep_days": 7}
    assert not old_file.exists() and not stray.exists() and (export_dir / fresh.file).exists()
    old = db.session.get(ExportJob, old.id)
    assert old.status == "failed" and "已删除" in old.error and old.file is None
    assert purge_old_exports()["exports_expired"] == 0  # idempotent


def test_keep_days_is_a_setting(app):
    user = make_user("exporter", role="viewer")
    setting = db.session.scalars(select(RuleSetting).where(RuleSetting.code == "export.keep_days")).one()
    setting.value = "3"
    db.session.commit()
    try:
        built_export(user, 4)
        assert purge_old_exports() == {"exports_expired": 1, "exports_abandoned": 0, "stray_files": 0,
                                       "keep_days": 3}
    finally:  # rule settings are reference data that the per-test wipe keeps
        setting.value = "7"
        db.session.commit()


def test_cli_builds_and_purges(app):
    user = make_user("exporter", role="viewer")
    export = ExportJob(user_id=user.id, kind="projects", params={}, filename="工程清单.xlsx")
    db.session.add(export)
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["exports", "build", str(export.id)])
    assert result.exit_code == 0 and "done" in result.output
    result = runner.invoke(args=["exports", "purge"])
    assert result.exit_code == 0 and "保留 7 天" in result.output
    missing = runner.invoke(args=["exports", "build", "999"])
    assert missing.exit_code == 1 and "导出 999 不存在" in missing.output


def test_purge_stops_exports_that_never_finished(app):
    """A job lost with Redis, or queued while no worker ever ran: the nightly purge ends its 排队中/生成中."""
    user = make_user("exporter", role="viewer")
    day_old = utcnow() - timedelta(days=1, minutes=1)
    lost = [ExportJob(user_id=user.id, kind="projects", params={}, status=status, created_at=day_old)
            for status in ("queued", "running")]
    recent = ExportJob(user_id=user.id, kind="projects", params={}, status="queued")
    db.session.add_all([*lost, recent])
    db.session.commit()
    assert purge_old_exports()["exports_abandoned"] == 2
    db.session.expire_all()
    assert {(e.status, e.error) for e in lost} == {("failed", "导出长时间未完成，已停止，请重新导出。")}
    assert recent.status == "queued"
    assert purge_old_exports()["exports_abandoned"] == 0


def test_schedule_registers_nightly_jobs_in_utc():
    from rq import cron

    from jobs import schedule

    registered = {entry["name"]: entry for entry in cron._job_data_registry}
    assert registered["aggregate_attendance"]["queue_name"] == "nightly"
    assert registered["purge_old_exports"]["queue_name"] == "nightly"
    assert schedule.utc_cron(0, 17) == registered["aggregate_attendance"]["cron"]
    if time.localtime().tm_gmtoff == 0:
        assert registered["aggregate_attendance"]["cron"] == "0 17 * * *"  # 01:00 Beijing
        assert registered["purge_old_exports"]["cron"] == "30 17 * * *"


def test_expired_idempotency_records_and_ended_sessions_are_purged(app, frozen_clock):
    from datetime import datetime, timezone

    from jobs.maintenance import purge_expired_records
    from wagewatch.models import ApiClient, IdempotencyRecord, UserSession

    now = frozen_clock.set(datetime(2026, 11, 29, 4, 0, tzinfo=timezone.utc))
    user = make_user("sessions", "652328")
    client = ApiClient(name="bank", scopes="payrolls", token_hash="x" * 64, active=True)
    db.session.add(client)
    db.session.flush()
    for key, age in (("old", 8), ("fresh", 6)):
        db.session.add(IdempotencyRecord(client_id=client.id, key=key, request_hash="h", status_code=201,
                                         response={}, created_at=now - timedelta(days=age)))
    for sid, created, seen, revoked in (
            ("revoked-long-ago", 40, 40, 31), ("revoked-lately", 5, 5, 2), ("alive", 0, 0, None),
            ("abandoned", 60, 60, None), ("idle-lately", 1, 1, None)):
        db.session.add(UserSession(id=sid, user_id=user.id, created_at=now - timedelta(days=created),
                                   last_seen_at=now - timedelta(days=seen),
                                   revoked_at=now - timedelta(days=revoked) if revoked is not None else None))
    db.session.commit()
    assert purge_expired_records() == {"idempotency_records": 1, "sessions": 2}
    assert {r.key for r in db.session.scalars(select(IdempotencyRecord))} == {"fresh"}
    assert {s.id for s in db.session.scalars(select(UserSession))} == {"revoked-lately", "alive", "idle-lately"}
    assert purge_expired_records() == {"idempotency_records": 0, "sessions": 0}


def test_record_purge_is_scheduled_nightly():
    from rq import cron

    import jobs.schedule  # noqa: F401 - registers the cron entries

    registered = {entry["name"]: entry for entry in cron._job_data_registry}
    assert registered["purge_expired_records"]["queue_name"] == "nightly"
