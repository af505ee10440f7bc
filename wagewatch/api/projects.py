"""POST /projects, PATCH /projects/{code}, PUT /projects/{code}/wage-account."""

from flask import g
from sqlalchemy import select

from wagewatch import audit, clock, crypto
from wagewatch.api import schemas
from wagewatch.api.auth import endpoint
from wagewatch.api.blueprint import bp
from wagewatch.api.body import parse_body
from wagewatch.api.errors import conflict, invalid
from wagewatch.api.fields import Doc
from wagewatch.api.idempotency import retrying
from wagewatch.api.lookups import iso, money_text, project_by_code, project_or_404
from wagewatch.extensions import db
from wagewatch.masking import mask_account, mask_phone
from wagewatch.models import Enterprise, Org, Project, WageAccount
from wagewatch.registration import ensure_enterprise, place_project

PLAIN = ["name", "address", "funding", "contract_amount", "planned_start", "planned_end", "payday", "manager_name"]


def read(parse):
    doc = Doc(parse_body())
    values = parse(doc)
    if doc.errors:
        raise invalid(doc.errors)
    return values


def stored_facts(project: Project) -> dict:
    owner, contractor = (db.session.get(Enterprise, i) for i in (project.owner_id, project.contractor_id))
    facts = {name: getattr(project, name) for name in PLAIN}
    facts.update(region_code=project.region_code, industry=project.industry, registered_on=project.registered_on,
                 owner={"name": owner.name, "uscc": owner.uscc},
                 contractor={"name": contractor.name, "uscc": contractor.uscc},
                 labour_officer=project.labour_officer_name and {"name": project.labour_officer_name,
                                                                 "phone": project.labour_officer_phone})
    return facts


def today():
    """The registration date is Xinjiang's regulators' calendar day (Beijing time), not the server's UTC day."""
    return clock.beijing_today()


def apply(project: Project, values: dict) -> None:
    for name in PLAIN:
        setattr(project, name, values[name])
    project.registered_on = values["registered_on"] or project.registered_on or today()
    project.owner_id = ensure_enterprise(**values["owner"]).id
    project.contractor_id = ensure_enterprise(**values["contractor"]).id
    officer = values["labour_officer"] or {}
    project.labour_officer_name, project.labour_officer_phone = officer.get("name"), officer.get("phone")
    place_project(project, values["region_code"], values["industry"])


def by_uscc(facts: dict) -> dict:
    """The registration's own content: owner and contractor are named by USCC; an enterprise's name is shared by
    every project and roster that mentions it, and the latest sender's spelling is kept."""
    return {**facts, "owner": facts["owner"]["uscc"], "contractor": facts["contractor"]["uscc"]}


def register(values: dict) -> tuple[dict, int]:
    answer = {"code": values["code"], "review_status": "pending"}
    project = project_by_code(values["code"], lock=True)
    if project is None:
        project = Project(code=values["code"], review_status="pending", status="not_started")
        apply(project, values)
        db.session.add(project)
        db.session.flush()
        audit.record("api.project_registered", project, actor=actor())
        db.session.flush()  # idempotency.run commits, with the Idempotency-Key record
        return answer, 201
    facts = stored_facts(project)
    wanted = {**values, "registered_on": values["registered_on"] or project.registered_on}
    wanted.pop("code")
    answer["review_status"] = project.review_status
    if facts == wanted:
        return answer, 200
    if project.review_status != "pending":
        if by_uscc(facts) == by_uscc(wanted):  # an enterprise renamed since (by another registration)
            return answer, 200
        raise conflict("该工程已审核，登记信息不能再修改")
    apply(project, wanted)
    audit.record("api.project_updated", project, actor=actor())
    db.session.flush()  # idempotency.run commits, with the Idempotency-Key record
    return answer, 200


def actor() -> str:
    return f"api:{g.api_client.name}"[:64]  # AuditLog.actor holds 64 characters; client names may use all 64


@bp.post("/projects", merge_slashes=False)
@endpoint("projects")
def create_project():
    values = read(schemas.project)
    return retrying(register, values)  # the same code registered concurrently: compare with it


def represent(project: Project) -> dict:
    orgs = {o.id: o.name for o in db.session.scalars(
        select(Org).where(Org.id.in_([project.hr_org_id or 0, project.industry_org_id or 0])))}
    officer = project.labour_officer_name and {"name": project.labour_officer_name,
                                               "phone": mask_phone(project.labour_officer_phone)}
    return {"code": project.code, "name": project.name, "region_code": project.region_code,
            "industry": project.industry, "review_status": project.review_status, "status": project.status,
            "status_report": project.status_report, "manager_name": project.manager_name,
            "labour_officer": officer or None,
            "deposit": {"form": project.deposit_form, "amount": money_text(project.deposit_amount)},
            "notice_board_posted_on": iso(project.notice_board_posted_on),
            "hr_org": orgs.get(project.hr_org_id), "industry_org": orgs.get(project.industry_org_id)}


@bp.patch("/projects/<code>", merge_slashes=False)
@endpoint("projects")
def update_project(code):
    project = project_or_404(code, lock=True)
    values = read(schemas.project_patch)
    if "manager_name" in values:
        project.manager_name = values["manager_name"]
    if "labour_officer" in values:
        officer = values["labour_officer"] or {}
        project.labour_officer_name, project.labour_officer_phone = officer.get("name"), officer.get("phone")
    if "deposit" in values:
        deposit = values["deposit"] or {"form": "none", "amount": None}
        project.deposit_form, project.deposit_amount = deposit["form"], deposit["amount"]
    if "notice_board_posted_on" in values:
        project.notice_board_posted_on = values["notice_board_posted_on"]
    if "status_report" in values:  # the enterprise's report; only a regulator changes Project.status
        project.status_report = values["status_report"]
    audit.record("api.project_facts", project, actor=actor(), fields=sorted(values))
    db.session.flush()  # idempotency.run commits, with the Idempotency-Key record
    return represent(project), 200


@bp.put("/projects/<code>/wage-account", merge_slashes=False)
@endpoint("bank")
def put_wage_account(code):
    project = project_or_404(code, lock=True)
    values = read(schemas.wage_account)
    account = db.session.scalars(select(WageAccount).where(WageAccount.project_id == project.id)).one_or_none()
    if account is None:
        account = WageAccount(project_id=project.id)
        db.session.add(account)
    number = values.pop("account_no")
    account.account_no_enc, account.account_no_hash = crypto.encrypt(number), crypto.lookup_hash(number)
    account.account_no_masked = mask_account(number)
    for name, value in values.items():
        setattr(account, name, value)
    db.session.flush()
    audit.record("api.wage_account", account, actor=actor(), project=project.code)
    db.session.flush()  # idempotency.run commits, with the Idempotency-Key record
    return {"project_code": project.code, "bank_name": account.bank_name, "account_no": account.account_no_masked,
            "account_name": account.account_name, "opened_on": iso(account.opened_on),
            "tripartite_agreement": account.tripartite_agreement}, 200
