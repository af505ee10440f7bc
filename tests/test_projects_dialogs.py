"""The 审批 and 修改工程状态 dialogs: 422 on bad input, 204 + events on success, 409 when already decided."""
import json
import threading
from datetime import date

import pytest
from sqlalchemy import create_engine, select, text

from tests.factories import ProjectFactory
from wagewatch import crypto
from wagewatch.extensions import db
from wagewatch.models import AuditLog, Enterprise, Project, WageAccount


@pytest.fixture
def pending(app):
    project = ProjectFactory(name="木垒县第一中学教学楼", manager_name="王建国", labour_officer_name="李娜",
                             labour_officer_phone="13899990000", deposit_form="guarantee")
    db.session.add(WageAccount(project_id=project.id, bank_name="中国农业银行木垒县支行",
                               account_no_enc=crypto.encrypt("30010101040012345"),
                               account_no_hash=crypto.lookup_hash("30010101040012345"),
                               account_no_masked="**** 2345", account_name="农民工工资专用账户",
                               opened_on=date(2022, 5, 10), tripartite_agreement=True))
    db.session.commit()
    return project


def reload(project_id: int) -> Project:
    db.session.expire_all()
    return db.session.get(Project, project_id)


def audits(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_review_dialog_shows_every_registered_detail(hx, login, pending):
    login(region="652328")
    response = hx.get(f"/projects/{pending.id}/review")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and html.lstrip().startswith("<dialog")
    assert "HX-Request-Type" in response.headers["Vary"]
    for text in (pending.name, pending.code, db.session.get(Enterprise, pending.owner_id).uscc,
                 db.session.get(Enterprise, pending.contractor_id).uscc, "木垒哈萨克自治县", "住建",
                 "政府投资", "1,000,000.00", "2022-05-20", "2023-09-30", "每月15日", "王建国", "李娜 138****0000",
                 "中国农业银行木垒县支行 **** 2345", "木垒县人社局", "木垒县住建局", "保函", "审核通过", "审核不通过",
                 "原因", "确定"):
        assert text in html, text
    assert "30010101040012345" not in html and "13899990000" not in html


def test_review_page_without_javascript(client, login, pending):
    login(region="652328")
    response = client.get(f"/projects/{pending.id}/review")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html and "<dialog" not in html
    assert f'method="post" action="/projects/{pending.id}/review"' in html and "hx-post" not in html


@pytest.mark.parametrize("data,message", [
    ({}, "请选择审核通过或审核不通过"),
    ({"decision": "rejected", "reason": "  "}, "审核不通过时必须填写原因"),
    ({"decision": "maybe"}, "请选择审核通过或审核不通过"),
    ({"decision": "approved", "reason": "长" * 501}, "原因最多500个字"),
])
def test_bad_input_rerenders_the_dialog_with_422(hx, login, pending, data, message):
    login(region="652328")
    response = hx.post(f"/projects/{pending.id}/review", data=data)
    html = response.get_data(as_text=True)
    assert message in html
    assert response.status_code == 422 and html.lstrip().startswith("<dialog")
    assert reload(pending.id).review_status == "pending"
    assert audits("project_reviewed") == []


@pytest.mark.parametrize("decision,reason", [("approved", ""), ("approved", "材料齐全"), ("rejected", "材料不全")])
def test_decision_saves_audits_and_triggers_events(hx, login, pending, decision, reason):
    user = login(region="652328")
    response = hx.post(f"/projects/{pending.id}/review", data={"decision": decision, "reason": reason})
    assert response.status_code == 204 and response.get_data() == b""
    events = json.loads(response.headers["HX-Trigger"])
    assert list(events) == ["project-reviewed", "dialog-closed", "message-flashed"]
    assert events["project-reviewed"]["project"] == pending.id
    # the same words as the no-JS flash (issue 8 item 9)
    label = "审核通过" if decision == "approved" else "审核不通过"
    assert events["message-flashed"] == {"target": "body", "message": f"“{pending.name}”{label}。", "level": "info"}
    project = reload(pending.id)
    assert (project.review_status, project.review_reason or "") == (decision, reason)
    assert project.reviewed_by == user.id and project.reviewed_at is not None
    [entry] = audits("project_reviewed")
    assert (entry.object_id, entry.user_id, entry.details) == (str(pending.id), user.id,
                                                               {"decision": decision, "reason": reason})


def test_decision_without_javascript_redirects_with_a_flash(client, login, pending):
    login(region="652328")
    response = client.post(f"/projects/{pending.id}/review", data={"decision": "approved"})
    assert response.status_code == 303 and response.headers["Location"].startswith("/projects/approvals")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "审核通过" in html and pending.name in html
    bad = client.post(f"/projects/{pending.id}/review", data={"decision": "rejected"})
    assert bad.status_code == 409 and "<html" in bad.get_data(as_text=True)


def test_already_decided_answers_409_with_the_current_state(hx, login, pending):
    login(region="652328")
    assert hx.post(f"/projects/{pending.id}/review", data={"decision": "rejected", "reason": "材料不全"}) \
        .status_code == 204
    response = hx.post(f"/projects/{pending.id}/review", data={"decision": "approved"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "该工程已被审核（审核未通过）" in html and "材料不全" in html
    assert reload(pending.id).review_status == "rejected"
    assert len(audits("project_reviewed")) == 1


def test_concurrent_deciders_only_one_wins(pg_app):
    """Two sessions race the conditional UPDATE on PostgreSQL: exactly one changes the row."""
    from tests.conftest import make_user
    from wagewatch.projects import queries

    project = ProjectFactory()
    db.session.commit()
    users = [make_user(f"racer{n}", "652328") for n in range(2)]
    barrier, outcomes = threading.Barrier(2), []

    def decide(user_id, decision):
        with pg_app.app_context():
            from wagewatch.models import User

            user = db.session.get(User, user_id)
            target = db.session.get(Project, project.id)
            barrier.wait()
            outcomes.append(queries.decide(user, target, decision, "并发"))
            db.session.commit()  # as the request does once the view succeeded
            db.session.remove()

    threads = [threading.Thread(target=decide, args=(u.id, d)) for u, d in zip(users, ("approved", "rejected"))]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes) == [False, True]
    assert len(audits("project_reviewed")) == 1


def test_status_dialog_and_update(hx, login, app):
    project = ProjectFactory(review_status="approved", status="not_started")
    db.session.commit()
    user = login(region="652328")
    dialog = hx.get(f"/projects/{project.id}/status")
    html = dialog.get_data(as_text=True)
    assert dialog.status_code == 200 and html.lstrip().startswith("<dialog")
    for label in ("未开工", "在建", "停工", "完工", "保存"):
        assert label in html
    same = hx.post(f"/projects/{project.id}/status", data={"status": "not_started"})
    assert same.status_code == 422 and "所选状态与当前工程状态相同" in same.get_data(as_text=True)
    missing = hx.post(f"/projects/{project.id}/status", data={})
    assert missing.status_code == 422 and "请选择工程状态" in missing.get_data(as_text=True)
    done = hx.post(f"/projects/{project.id}/status", data={"status": "in_progress", "reason": "已进场施工"})
    assert done.status_code == 204
    events = json.loads(done.headers["HX-Trigger"])
    assert list(events) == ["project-status-changed", "dialog-closed", "message-flashed"]
    assert events["message-flashed"]["message"].endswith("的工程状态已修改为在建。")
    assert reload(project.id).status == "in_progress"
    [entry] = audits("project_status_changed")
    assert entry.user_id == user.id
    assert entry.details == {"old": "not_started", "new": "in_progress", "reason": "已进场施工"}
    table = hx.get("/projects/approvals?tab=approved").get_data(as_text=True)
    assert ">在建</span></td>" in table


def test_status_change_without_javascript(client, login, app):
    project = ProjectFactory(review_status="approved", status="in_progress")
    db.session.commit()
    login(region="652328")
    page = client.get(f"/projects/{project.id}/status")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    response = client.post(f"/projects/{project.id}/status", data={"status": "suspended", "reason": "冬季停工"})
    assert response.status_code == 303 and "tab=approved" in response.headers["Location"]
    assert reload(project.id).status == "suspended"


@pytest.mark.parametrize("review_status", ["pending", "rejected"])
def test_status_change_of_a_non_approved_project_is_refused(hx, login, app, review_status):
    project = ProjectFactory(review_status=review_status)
    db.session.commit()
    login(region="652328")
    assert hx.get(f"/projects/{project.id}/status").status_code == 409
    response = hx.post(f"/projects/{project.id}/status", data={"status": "in_progress"})
    assert response.status_code == 409 and "只有审核已通过的工程才能修改工程状态" in response.get_data(as_text=True)
    assert reload(project.id).status == "not_started"
    assert audits("project_status_changed") == []


def test_history_lists_decisions_and_status_changes(hx, login, pending):
    login(region="652328")
    hx.post(f"/projects/{pending.id}/review", data={"decision": "approved", "reason": "材料齐全"})
    hx.post(f"/projects/{pending.id}/status", data={"status": "in_progress", "reason": "开工"})
    html = hx.get(f"/projects/site?project_id={pending.id}&tab=info").get_data(as_text=True)
    assert "审核及状态变更记录" in html
    assert html.index("审核通过") < html.index("工程状态：未开工 → 在建")
    assert "材料齐全" in html and "开工" in html


def test_without_javascript_a_decision_returns_to_the_filtered_list(app, client, login):
    project = ProjectFactory(region="652328", name="木垒县第一中学教学楼")
    db.session.commit()
    login(region="652328")
    listing = "/projects/approvals?name=%E6%9C%A8%E5%9E%92&tab=pending"
    page = client.get(f"/projects/{project.id}/review", headers={"Referer": f"http://localhost{listing}"}).text
    assert 'name="back" value="/projects/approvals?name=%E6%9C%A8%E5%9E%92&amp;tab=pending"' in page
    response = client.post(f"/projects/{project.id}/review",
                           data={"decision": "approved", "reason": "", "back": listing})
    assert response.status_code == 303 and response.headers["Location"] == listing
    elsewhere = client.post(f"/projects/{project.id}/status", data={"status": "in_progress", "reason": "开工",
                                                                    "back": "https://evil.example/x"})
    assert elsewhere.headers["Location"] == "/projects/approvals?tab=approved"
