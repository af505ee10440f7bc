"""What each API document and batch item must look like: Doc in, plain values out (or errors)."""
from wagewatch.api import fields as f
from wagewatch.api.fields import Doc
from wagewatch.models.complaints import COMPLAINT_TYPES
from wagewatch.models.projects import DEPOSIT_FORMS, FUNDING, INDUSTRIES, PROJECT_STATUSES

EVENT_KINDS = ["enterprise_read", "enterprise_handled", "appealed", "appeal_read", "appeal_handled", "closed"]
NAME, LONG_NAME, ADDRESS, NOTE = f.text(64), f.text(200), f.text(200, 0), f.text(2000, 0)


def enterprise(doc: Doc, name: str, *, nullable: bool = False) -> dict | None:
    sub = doc.obj(name, required=not nullable, nullable=nullable)
    if sub is None:
        return None
    return {"name": sub.field("name", f.text(128)), "uscc": sub.field("uscc", f.uscc)}


def officer(doc: Doc, *, required: bool) -> dict | None:
    sub = doc.obj("labour_officer", required=required, nullable=True)
    if sub is None:
        return None
    return {"name": sub.field("name", NAME), "phone": sub.field("phone", f.phone)}


def ordered(doc: Doc, values: dict, first: str, last: str) -> None:
    if values.get(first) and values.get(last) and values[last] < values[first]:
        doc.error(last, "结束日期不能早于开始日期")


def project(doc: Doc) -> dict:
    values = {
        "code": doc.field("code", f.code(32)), "name": doc.field("name", LONG_NAME),
        "region_code": doc.field("region_code", f.region_code),
        "address": doc.field("address", ADDRESS, required=False, default=""),
        "industry": doc.field("industry", f.choice(INDUSTRIES)), "funding": doc.field("funding", f.choice(FUNDING)),
        "contract_amount": doc.field("contract_amount", f.money),
        "planned_start": doc.field("planned_start", f.date_value, required=False, nullable=True),
        "planned_end": doc.field("planned_end", f.date_value, required=False, nullable=True),
        "registered_on": doc.field("registered_on", f.date_value, required=False, nullable=True),
        "payday": doc.field("payday", f.integer(1, 28), required=False, default=15),
        "owner": enterprise(doc, "owner"), "contractor": enterprise(doc, "contractor"),
        "manager_name": doc.field("manager_name", NAME, required=False, nullable=True),
        "labour_officer": officer(doc, required=False),
    }
    ordered(doc, values, "planned_start", "planned_end")
    return values


def project_patch(doc: Doc) -> dict:
    values = {}
    if doc.has("manager_name"):
        values["manager_name"] = doc.field("manager_name", NAME, nullable=True)
    if doc.has("labour_officer"):
        values["labour_officer"] = officer(doc, required=True)
    if doc.has("deposit"):
        sub = doc.obj("deposit", nullable=True)
        values["deposit"] = sub and {"form": sub.field("form", f.choice(DEPOSIT_FORMS)),
                                     "amount": sub.field("amount", f.money, required=False, nullable=True)}
    if doc.has("notice_board_posted_on"):
        values["notice_board_posted_on"] = doc.field("notice_board_posted_on", f.date_value, nullable=True)
    if doc.has("status_report"):
        values["status_report"] = doc.field("status_report", f.choice(PROJECT_STATUSES))
    return values


def wage_account(doc: Doc) -> dict:
    return {
        "bank_name": doc.field("bank_name", f.text(128)),
        "account_no": doc.field("account_no", f.account_no),
        "account_name": doc.field("account_name", LONG_NAME),
        "opened_on": doc.field("opened_on", f.date_value, required=False, nullable=True),
        "tripartite_agreement": doc.field("tripartite_agreement", f.boolean, required=False, default=False),
    }


def roster_item(doc: Doc) -> dict:
    values = {
        "id_number": doc.field("id_number", f.id_number), "name": doc.field("name", NAME),
        "phone": doc.field("phone", f.phone, required=False, nullable=True),
        "team": doc.field("team", NAME, required=False, nullable=True),
        "subcontractor": enterprise(doc, "subcontractor", nullable=True),
        "trade_code": doc.field("trade_code", f.trade_code),
        "role": doc.field("role", f.worker_role, required=False, default=20),
        "contract_signed": doc.field("contract_signed", f.boolean, required=False, default=False),
        "joined_on": doc.field("joined_on", f.date_value),
        "left_on": doc.field("left_on", f.date_value, required=False, nullable=True),
    }
    ordered(doc, values, "joined_on", "left_on")
    return values


def punch(doc: Doc) -> dict:
    return {"project_code": doc.field("project_code", f.code(32)), "id_number": doc.field("id_number", f.id_number),
            "punched_at": doc.field("punched_at", f.timestamp), "device_id": doc.field("device_id", f.code(64))}


def payroll(doc: Doc) -> dict:
    values = {
        "payroll_no": doc.field("payroll_no", f.code(64)), "project_code": doc.field("project_code", f.code(32)),
        "month": doc.field("month", f.month), "team": doc.field("team", NAME, required=False, nullable=True),
        "submitted_at": doc.field("submitted_at", f.timestamp),
    }
    values["lines"] = [(i, {"id_number": line.field("id_number", f.id_number),
                            "days_worked": line.field("days_worked", f.integer(0, 31)),
                            "amount_due": line.field("amount_due", f.money),
                            "is_back_pay": line.field("is_back_pay", f.boolean, required=False, default=False)})
                       for i, line in doc.items("lines", limit=5000)]
    return values


def bank_result(doc: Doc) -> dict:
    values = {"id_number": doc.field("id_number", f.id_number), "status": doc.field("status", f.choice(["paid", "failed"])),
              "amount_paid": doc.field("amount_paid", f.money, required=False, nullable=True),
              "paid_at": doc.field("paid_at", f.timestamp, required=False, nullable=True),
              "fail_reason": doc.field("fail_reason", f.text(200), required=False, nullable=True)}
    # A failed payment has no payment time or amount; banks send them as null or leave them out.
    if values["status"] == "paid" and not doc.errors:
        if values["amount_paid"] is None:
            doc.error("amount_paid", "已发放的结果必须填写实发金额")
        if values["paid_at"] is None:
            doc.error("paid_at", "已发放的结果必须填写发放时间")
    return values


def complaint(doc: Doc) -> dict:
    person = doc.obj("complainant")
    return {
        "complaint_no": doc.field("complaint_no", f.code(32)),
        "project_code": doc.field("project_code", f.code(32), required=False, nullable=True),
        "project_name": doc.field("project_name", LONG_NAME),
        "contractor_name": doc.field("contractor_name", LONG_NAME, required=False, nullable=True),
        "region_code": doc.field("region_code", f.region_code), "industry": doc.field("industry", f.choice(INDUSTRIES)),
        "complainant": person and {"name": person.field("name", NAME), "id_number": person.field("id_number", f.id_number),
                                   "phone": person.field("phone", f.phone, required=False, nullable=True)},
        "type": doc.field("type", f.choice(COMPLAINT_TYPES)),
        "amount_claimed": doc.field("amount_claimed", f.money, required=False, nullable=True),
        "workers_involved": doc.field("workers_involved", f.integer(1, 100000), required=False, default=1),
        "description": doc.field("description", f.text(5000, 0), required=False, default=""),
        "submitted_at": doc.field("submitted_at", f.timestamp),
    }


def event(doc: Doc) -> dict:
    return {"kind": doc.field("kind", f.choice(EVENT_KINDS)), "at": doc.field("at", f.timestamp),
            "note": doc.field("note", NOTE, required=False, nullable=True)}
