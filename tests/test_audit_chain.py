"""操作日志: the hash chain, flask audit verify naming the first broken link, purge refusing young entries,
the auditor's page and export, and concurrent writers on PostgreSQL never forking the chain."""
import re
import threading
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text, update

from tests.conftest import PASSWORD, make_user
from wagewatch import audit, clock
from wagewatch.admin.chain import six_months_before, verify
from wagewatch.extensions import db
from wagewatch.models import AuditChainHead, AuditLog, ExportJob
from wagewatch.models._types import utcnow


def write(n, prefix="thing"):
    for i in range(n):
        audit.record(f"{prefix}.done", object_type="things", object_id=i, actor="tester", n=i, note="某某")
    db.session.commit()


def test_entries_chain_to_their_predecessor(any_app):
    write(3)
    entries = list(db.session.scalars(select(AuditLog).order_by(AuditLog.seq)))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == audit.GENESIS
    assert entries[1].prev_hash == entries[0].hash and entries[2].prev_hash == entries[1].hash
    assert verify().ok and verify().checked == 3


def test_verify_names_the_edited_row(any_app):
    write(5)
    victim = db.session.scalars(select(AuditLog).where(AuditLog.seq == 3)).one()
    db.session.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE id = :id"), {"id": victim.id})
    db.session.commit()
    db.session.expire_all()
    result = any_app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"id={victim.id}" in result.output and "序号=3" in result.output and "被修改" in result.output


def test_verify_names_a_deleted_row_and_a_cut_tail(any_app):
    write(4)
    db.session.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    db.session.commit()
    verdict = verify()
    assert verdict.broken_seq == 3 and "删除" in verdict.reason
    db.session.execute(text("DELETE FROM audit_log WHERE seq >= 2"))
    db.session.commit()
    verdict = verify()
    assert not verdict.ok and "链尾" in verdict.reason


def test_verify_ok_on_the_command_line(app):
    write(2)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "完整" in result.output


def test_purge_refuses_entries_younger_than_six_months(app):
    write(2)
    old = db.session.scalars(select(AuditLog).where(AuditLog.seq == 1)).one()
    db.session.execute(update(AuditLog).where(AuditLog.id == old.id).values(at=utcnow() - timedelta(days=400)))
    db.session.commit()
    runner = app.test_cli_runner()
    young = (utcnow() - timedelta(days=60)).date().isoformat()
    refused = runner.invoke(args=["audit", "purge", "--before", young])
    assert refused.exit_code != 0 and "至少保留6个月" in refused.output
    assert db.session.scalar(select(db.func.count()).select_from(AuditLog)) == 2
    cutoff = (utcnow() - timedelta(days=300)).date().isoformat()
    done = runner.invoke(args=["audit", "purge", "--before", cutoff])
    assert done.exit_code == 0, done.output
    db.session.expire_all()
    actions = [e.action for e in db.session.scalars(select(AuditLog).order_by(AuditLog.seq))]
    assert actions == ["thing.done", "audit.purged"]
    assert verify().ok  # the chain still verifies from its first remaining entry


def test_six_months_before_clamps_the_day():
    assert six_months_before(datetime(2026, 8, 31).date()).isoformat() == "2026-02-28"
    assert six_months_before(datetime(2026, 3, 15).date()).isoformat() == "2025-09-15"


@pytest.mark.pg
def test_concurrent_writers_never_fork_the_chain(pg_app):
    def worker():
        with pg_app.app_context():
            for i in range(10):
                audit.record("parallel", actor="t", i=i)
                db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    seqs = list(db.session.scalars(select(AuditLog.seq).order_by(AuditLog.seq)))
    assert seqs == list(range(1, 61))
    assert verify().ok
    assert db.session.get(AuditChainHead, 1).seq == 60


def test_logins_and_failures_are_entries(app, client):
    make_user("someone")
    client.post("/auth/login", data={"username": "someone", "password": "Wrong-Pass-1"})
    client.post("/auth/login", data={"username": "someone", "password": PASSWORD})
    actions = [e.action for e in db.session.scalars(select(AuditLog).order_by(AuditLog.seq))]
    assert actions[-2:] == ["login_failed", "login"]
    assert verify().ok


def test_a_password_lockout_is_one_entry(app, client):
    make_user("guessme")
    for _ in range(7):
        client.post("/auth/login", data={"username": "guessme", "password": "Wrong-Pass-1"})
    actions = [e.action for e in db.session.scalars(select(AuditLog).order_by(AuditLog.seq))]
    assert actions.count("login_failed") == 7 and actions.count("user.locked") == 1
    assert verify().ok


@pytest.mark.parametrize("role", ["viewer", "reviewer", "sysadmin", "secadmin"])
def test_only_the_auditor_reads_the_log(app, client, login, role):
    login(role=role)
    assert client.get("/admin/audit").status_code == 403
    assert client.post("/exports", data={"kind": "audit_log"}).status_code in (403, 404)


def test_auditor_filters_and_pages(app, client, hx, login):
    auditor = login(role="auditor")
    write(25, "bulk")
    audit.record("user.disabled", object_type="users", object_id=77, actor="boss")
    audit.record("login", auditor, user_id=auditor.id, actor=auditor.username)
    db.session.commit()
    page = client.get("/admin/audit")
    assert page.status_code == 200 and "<html" in page.text and "共 27 条" in page.text
    assert "audit-next" in page.text
    fragment = hx.get("/admin/audit?action=user.disabled")
    assert "<html" not in fragment.text and "停用用户" in fragment.text and "bulk.done" not in fragment.text
    assert "共 1 条" in client.get("/admin/audit?object_type=users&object_id=77").text
    assert "共 1 条" in client.get("/admin/audit?actor=boss").text
    assert "共 1 条" in client.get(f"/admin/audit?org={auditor.org_id}").text  # the auditor's own login
    first = min(e.id for e in db.session.scalars(select(AuditLog)))
    older = client.get(f"/admin/audit?before={first + 7}")
    assert older.text.count('<tr id="audit-') == 7
    today = clock.beijing_today().isoformat()  # the filter's dates are Beijing days
    assert "共 27 条" in client.get(f"/admin/audit?start={today}&end={today}").text
    assert "共 0 条" in client.get("/admin/audit?start=2020-01-01&end=2020-01-02").text
    assert client.get("/admin/audit?start=2026-13-01").status_code == 422
    assert client.get("/admin/audit?start=2026-05-02&end=2026-05-01").status_code == 422


def test_prefecture_auditor_sees_only_its_orgs(app, client, login):
    login(role="auditor", region="652300")
    make_user("mulei_u", "652328")
    make_user("aks_u", "652900")
    for name in ("mulei_u", "aks_u"):
        app.test_client().post("/auth/login", data={"username": name, "password": PASSWORD})
    text_ = client.get("/admin/audit?action=login").text
    assert "mulei_u" in text_ and "aks_u" not in text_


def test_auditor_exports_the_log(app, client, login):
    login(role="auditor")
    write(2)
    for n in range(3):
        audit.record("user.disabled", object_type="users", object_id=n, actor="boss", note="=HYPERLINK(\"x\")")
    db.session.commit()
    response = client.post("/exports", data={"kind": "audit_log", "action": "user.disabled"})
    assert response.status_code == 303
    export = db.session.scalars(select(ExportJob)).one()
    assert export.status == "done", export.error
    download = client.get(f"/exports/{export.id}/download")
    assert download.status_code == 200
    import io
    sheet = load_workbook(io.BytesIO(download.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "序号" and len(rows) == 4
    assert all(row[4] == "停用用户" for row in rows[1:])
    assert all(not str(row[8]).startswith("=") for row in rows[1:])  # formula text stays text


def test_prefecture_auditor_pages_newest_first_across_its_orgs(app, client, login):
    login(role="auditor", region="652300")
    mulei, changji = make_user("mulei_x", "652328"), make_user("changji_x", "652300", role="viewer")
    outsider = make_user("aks_x", "652900")
    for n in range(36):  # 24 in the auditor's orgs: a page of 20 and one of 4
        who = (mulei, changji, outsider)[n % 3]
        audit.record("user.updated", who, user_id=who.id, actor=who.username, n=n)
    db.session.commit()
    first = client.get("/admin/audit?action=user.updated")
    shown = [int(m) for m in re.findall(r'<tr id="audit-(\d+)"', first.text)]
    assert len(shown) == 20 and shown == sorted(shown, reverse=True) and "aks_x" not in first.text
    cursor = re.search(r'before=(\d+)', first.text).group(1)
    second = client.get(f"/admin/audit?action=user.updated&before={cursor}")
    rest = [int(m) for m in re.findall(r'<tr id="audit-(\d+)"', second.text)]
    assert len(rest) == 4 and max(rest) < min(shown) and "aks_x" not in second.text
