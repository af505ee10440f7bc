"""GET /openapi.json: API.md as an OpenAPI 3.1 document, kept exactly as strict as the server.

Every constraint written here is one the server enforces (a request the document calls invalid is
refused); the server also checks what JSON Schema cannot say (check digits, roster, case order).
"""
from flask import jsonify

from wagewatch.api.blueprint import bp
from wagewatch.api.schemas import EVENT_KINDS
from wagewatch.models.api import API_SCOPES
from wagewatch.models.complaints import COMPLAINT_TYPES
from wagewatch.models.projects import DEPOSIT_FORMS, FUNDING, INDUSTRIES, PROJECT_STATUSES

REF = "#/components/schemas/"
ERROR_CODES = ["validation_failed", "malformed_json", "unauthorized", "forbidden", "not_found", "conflict",
               "idempotency_conflict", "payload_too_large", "unsupported_media_type", "rate_limited"]
ERROR_TEXT = {400: "请求体不是合法的JSON", 401: "缺少或无效的访问令牌", 403: "该客户端没有此权限", 404: "资源不存在",
              409: "与现有数据冲突或Idempotency-Key冲突", 413: "请求体超过5 MiB或一批超过5000条", 415: "请求类型必须为application/json",
              422: "请求数据校验失败", 429: "请求过于频繁"}


def ref(name: str) -> dict:
    return {"$ref": REF + name}


def null(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def text(max_len: int, min_len: int = 1) -> dict:
    return {"type": "string", "minLength": min_len, "maxLength": max_len}


def code(max_len: int) -> dict:
    return {"type": "string", "pattern": f"^[A-Za-z0-9_-]{{1,{max_len}}}$"}


def obj(properties: dict, required: list[str] | None = None) -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def enum(values) -> dict:
    return {"type": "string", "enum": list(values)}


def batch(item: str) -> dict:
    """A batch is any array of up to 5,000 items: each item that is not a valid `item` is reported, not fatal."""
    return {"type": "array", "maxItems": 5000, "items": {"anyOf": [ref(item), {}]},
            "description": f"条目应符合{item}；不符合的条目在rejected中按index逐条报告，其余照常保存"}


DATE, TIME = {"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}
INT = {"type": "integer", "minimum": 0}
NAME = text(64)
ENTERPRISE = obj({"name": text(128), "uscc": ref("Uscc")}, ["name", "uscc"])
OFFICER = obj({"name": NAME, "phone": ref("Phone")}, ["name", "phone"])

SCHEMAS = {
    "IdNumber": {"type": "string", "pattern": "^[0-9]{17}[0-9Xx]$", "description": "居民身份证号（GB 11643校验位）"},
    "Uscc": {"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$", "description": "统一社会信用代码（GB 32100）"},
    "Phone": {"type": "string", "pattern": "^1[3-9][0-9]{9}$"},
    "RegionCode": {"type": "string", "pattern": "^[0-9]{6}$", "description": "GB/T 2260代码，须存在于区划表"},
    "Money": {"anyOf": [{"type": "number", "minimum": 0, "maximum": 999999999999.99},
                        {"type": "string", "pattern": "^[0-9]{1,12}(\\.[0-9]{1,2})?$"}],
              "description": "元；JSON数字或十进制字符串，最多两位小数，不能用科学计数法"},
    "FieldError": obj({"index": INT, "field": {"type": "string"}, "message": {"type": "string"}},
                      ["field", "message"]),
    "Error": obj({"error": obj({"code": enum(ERROR_CODES), "message": {"type": "string"},
                                "details": {"type": "array", "items": ref("FieldError")}},
                               ["code", "message"])}, ["error"]),
    "BatchResult": obj({"accepted": INT, "duplicates": INT, "rejected": {"type": "array", "items": obj(
        {"index": INT, "errors": {"type": "array", "items": ref("FieldError")}}, ["index", "errors"])}},
        ["accepted", "duplicates", "rejected"]),
    "ProjectInput": obj({
        "code": code(32), "name": text(200), "region_code": ref("RegionCode"), "address": text(200, 0),
        "industry": enum(INDUSTRIES), "funding": enum(FUNDING), "contract_amount": ref("Money"),
        "planned_start": null(DATE), "planned_end": null(DATE), "registered_on": null(DATE),
        "payday": {"type": "integer", "minimum": 1, "maximum": 28}, "owner": ENTERPRISE, "contractor": ENTERPRISE,
        "manager_name": null(NAME), "labour_officer": null(OFFICER),
    }, ["code", "name", "region_code", "industry", "funding", "contract_amount", "owner", "contractor"]),
    "ProjectAck": obj({"code": {"type": "string"}, "review_status": enum(["pending", "approved", "rejected"])},
                      ["code", "review_status"]),
    "ProjectPatch": obj({
        "manager_name": null(NAME), "labour_officer": null(OFFICER),
        "deposit": null(obj({"form": enum(DEPOSIT_FORMS), "amount": null(ref("Money"))}, ["form"])),
        "notice_board_posted_on": null(DATE), "status_report": enum(PROJECT_STATUSES),
    }),
    "Project": obj({
        "code": {"type": "string"}, "name": {"type": "string"}, "region_code": {"type": "string"},
        "industry": enum(INDUSTRIES), "review_status": enum(["pending", "approved", "rejected"]),
        "status": enum(PROJECT_STATUSES), "status_report": null(enum(PROJECT_STATUSES)),
        "manager_name": {"type": ["string", "null"]},
        "labour_officer": null(obj({"name": {"type": "string"}, "phone": {"type": "string"}}, ["name", "phone"])),
        "deposit": obj({"form": enum(DEPOSIT_FORMS), "amount": {"type": ["string", "null"]}}, ["form", "amount"]),
        "notice_board_posted_on": null(DATE), "hr_org": {"type": ["string", "null"]},
        "industry_org": {"type": ["string", "null"]},
    }, ["code", "name", "region_code", "industry", "review_status", "status", "status_report", "manager_name",
        "labour_officer", "deposit", "notice_board_posted_on", "hr_org", "industry_org"]),
    "WageAccountInput": obj({
        "bank_name": text(128), "account_no": {"type": "string", "pattern": "^[0-9]{6,32}$"},
        "account_name": text(200), "opened_on": null(DATE), "tripartite_agreement": {"type": "boolean"},
    }, ["bank_name", "account_no", "account_name"]),
    "WageAccount": obj({
        "project_code": {"type": "string"}, "bank_name": {"type": "string"},
        "account_no": {"type": "string", "description": "掩码，如 **** 2345"}, "account_name": {"type": "string"},
        "opened_on": null(DATE), "tripartite_agreement": {"type": "boolean"},
    }, ["project_code", "bank_name", "account_no", "account_name", "opened_on", "tripartite_agreement"]),
    "RosterItem": obj({
        "id_number": ref("IdNumber"), "name": NAME, "phone": null(ref("Phone")), "team": null(NAME),
        "subcontractor": null(ENTERPRISE), "trade_code": {"type": "string", "pattern": "^[0-9]{3}$"},
        "role": {"type": "integer", "enum": [10, 20]}, "contract_signed": {"type": "boolean"},
        "joined_on": DATE, "left_on": null(DATE),
    }, ["id_number", "name", "trade_code", "joined_on"]),
    "Punch": obj({"project_code": code(32), "id_number": ref("IdNumber"), "punched_at": TIME,
                  "device_id": code(64)}, ["project_code", "id_number", "punched_at", "device_id"]),
    "PayrollInput": obj({
        "payroll_no": code(64), "project_code": code(32),
        "month": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}, "team": null(NAME),
        "submitted_at": TIME,
        "lines": {"type": "array", "minItems": 1, "maxItems": 5000, "items": obj({
            "id_number": ref("IdNumber"), "days_worked": {"type": "integer", "minimum": 0, "maximum": 31},
            "amount_due": ref("Money"), "is_back_pay": {"type": "boolean"}},
            ["id_number", "days_worked", "amount_due"])},
    }, ["payroll_no", "project_code", "month", "submitted_at", "lines"]),
    "PayrollAck": obj({"payroll_no": {"type": "string"}, "lines": INT}, ["payroll_no", "lines"]),
    "BankResult": obj({
        "id_number": ref("IdNumber"), "status": enum(["paid", "failed"]), "amount_paid": null(ref("Money")),
        "paid_at": null(TIME), "fail_reason": null(text(200))}, ["id_number", "status"]),
    "BankResults": obj({"batch_no": code(64), "results": batch("BankResult")}, ["batch_no", "results"]),
    "ComplaintInput": obj({
        "complaint_no": code(32), "project_code": null(code(32)), "project_name": text(200),
        "contractor_name": null(text(200)), "region_code": ref("RegionCode"), "industry": enum(INDUSTRIES),
        "complainant": obj({"name": NAME, "id_number": ref("IdNumber"), "phone": null(ref("Phone"))},
                           ["name", "id_number"]),
        "type": enum(COMPLAINT_TYPES), "amount_claimed": null(ref("Money")),
        "workers_involved": {"type": "integer", "minimum": 1, "maximum": 100000}, "description": text(5000, 0),
        "submitted_at": TIME,
    }, ["complaint_no", "project_name", "region_code", "industry", "complainant", "type", "submitted_at"]),
    "Complaint": obj({
        "complaint_no": {"type": "string"}, "project_code": {"type": ["string", "null"]},
        "project_name": {"type": "string"}, "contractor_name": {"type": ["string", "null"]},
        "region_code": {"type": "string"}, "industry": enum(INDUSTRIES),
        "complainant": obj({"name": {"type": "string"}, "id_number": {"type": "string"},
                            "phone": {"type": ["string", "null"]}}, ["name", "id_number", "phone"]),
        "type": enum(COMPLAINT_TYPES), "amount_claimed": {"type": ["string", "null"]},
        "workers_involved": INT, "description": {"type": "string"}, "submitted_at": TIME,
        "status": enum(["open", "handled", "closed"]), "appeal_status": enum(["none", "open", "handled"]),
        "supervision_status": enum(["none", "pushed", "supervising", "done"]),
        **{name: null(TIME) for name in ["read_at", "handled_at", "appealed_at", "appeal_read_at",
                                          "appeal_handled_at", "closed_at"]},
        "checks": {"type": "array", "items": obj({"code": {"type": "string"}, "label": {"type": "string"}},
                                                 ["code", "label"])},
    }, ["complaint_no", "project_code", "project_name", "region_code", "industry", "complainant", "type",
        "submitted_at", "status", "appeal_status", "supervision_status", "checks"]),
    "EventInput": obj({"kind": enum(EVENT_KINDS), "at": TIME, "note": null(text(2000, 0))}, ["kind", "at"]),
    "Health": obj({"status": enum(["ok", "down"]), "database": enum(["ok", "down"]),
                   "redis": enum(["ok", "absent", "down"])}, ["status", "database", "redis"]),
}


def json_content(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def operation(summary: str, scope: str, body: str | None, answers: dict, path_param: str | None = None) -> dict:
    responses = {str(status): {"description": text_, **json_content(ref(schema))}
                 for status, (text_, schema) in answers.items()}
    errors = [401, 403, 404, 409, 429] + ([400, 413, 415, 422] if body else [])
    for status in errors:
        responses.setdefault(str(status), {"description": ERROR_TEXT[status], **json_content(ref("Error"))})
    op = {"summary": summary, "description": f"权限范围：`{scope}`", "security": [{"bearer": []}],
          "responses": responses, "parameters": []}
    if path_param:
        op["parameters"].append({"name": path_param, "in": "path", "required": True, "schema": {"type": "string"}})
    if body:
        op["requestBody"] = {"required": True, **json_content(ref(body) if not body.endswith("[]") else batch(body[:-2]))}
        op["parameters"].append({"name": "Idempotency-Key", "in": "header", "required": False,
                                 "schema": {"type": "string", "minLength": 1, "maxLength": 64}})
    return op


BATCH = {200: ("逐条处理结果", "BatchResult")}
PATHS = {
    "/api/v1/projects": {"post": operation("登记工程（未审核）", "projects", "ProjectInput", {
        201: ("已登记", "ProjectAck"), 200: ("相同内容的重复登记，或审核前的更新", "ProjectAck")})},
    "/api/v1/projects/{code}": {"patch": operation("合规信息", "projects", "ProjectPatch",
                                                   {200: ("工程", "Project")}, "code")},
    "/api/v1/projects/{code}/wage-account": {"put": operation("工资专户", "bank", "WageAccountInput",
                                                              {200: ("工资专户（账号掩码）", "WageAccount")}, "code")},
    "/api/v1/projects/{code}/workers": {"post": operation("实名制名单（批量）", "workers", "RosterItem[]", BATCH,
                                                          "code")},
    "/api/v1/attendance/punches": {"post": operation("考勤打卡（批量）", "attendance", "Punch[]", BATCH)},
    "/api/v1/payrolls": {"post": operation("工资单", "payrolls", "PayrollInput", {
        201: ("已接收", "PayrollAck"), 200: ("相同内容的重复提交", "PayrollAck")})},
    "/api/v1/payrolls/{payroll_no}/bank-results": {"post": operation("银行代发结果（批量）", "bank", "BankResults",
                                                                     BATCH, "payroll_no")},
    "/api/v1/complaints": {"post": operation("欠薪投诉", "complaints", "ComplaintInput", {
        201: ("已接收，含系统数据核查", "Complaint"), 200: ("相同内容的重复提交", "Complaint")})},
    "/api/v1/complaints/{complaint_no}/events": {"post": operation("投诉流转", "complaints", "EventInput", {
        201: ("已记录", "Complaint"), 200: ("相同事件的重复提交", "Complaint")}, "complaint_no")},
    "/api/v1/openapi.json": {"get": {"summary": "本文档", "security": [], "responses": {
        "200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    "/api/v1/health": {"get": {"summary": "健康检查", "security": [], "responses": {
        "200": {"description": "正常", **json_content(ref("Health"))},
        "503": {"description": "数据库不可用", **json_content(ref("Health"))}}}},
}
DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "WageWatch 数据接入接口", "version": "1",
             "description": "企业、考勤设备、银行与投诉渠道向新疆农民工工资支付监控预警平台推送数据。权限范围：" + "、".join(API_SCOPES)},
    "paths": PATHS,
    "components": {"schemas": SCHEMAS, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearer": []}],
}


@bp.get("/openapi.json", merge_slashes=False)
def openapi_document():
    return jsonify(DOCUMENT)
