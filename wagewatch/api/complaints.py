"""POST /complaints (with the 系统数据核查 of DESIGN R3) and POST /complaints/{no}/events (case progress)."""

from sqlalchemy import and_, exists, func, select, update

from wagewatch import audit, clock, crypto, scope
from wagewatch.api import schemas
from wagewatch.api.auth import endpoint
from wagewatch.api.blueprint import bp
from wagewatch.api.errors import conflict
from wagewatch.api.idempotency import retrying
from wagewatch.api.lookups import complaint_or_404, iso, money_text, project_by_code
from wagewatch.api.projects import actor, read
from wagewatch.extensions import db
from wagewatch.masking import mask_id, mask_phone
from wagewatch.models import (
    AttendanceDay,
    Complaint,
    ComplaintEvent,
    Employment,
    Payroll,
    PayrollLine,
    Project,
    WageAccount,
    Worker,
)
from wagewatch.rules.complaint_checks import ComplaintFacts, run_checks, window_start

COMPARED = ["project_name", "contractor_name", "complainant_name", "complainant_id_hash", "complainant_phone", "type",
            "amount_claimed", "workers_involved", "description", "submitted_at"]


def match_project(values: dict) -> Project | None:
    """By code; else by exact name within the complaint's own region, when exactly one project has it.

    A channel often knows only the name. Matching it anywhere in Xinjiang would move the complaint into another
    region's jurisdiction (and out of the complainant's own), so a name is only trusted inside the region
    the complaint was filed for, and an ambiguous name matches nothing.
    """
    if values["project_code"]:
        project = project_by_code(values["project_code"])
        if project is not None:
            return project
    candidates = db.session.scalars(select(Project).where(
        Project.name == values["project_name"], scope.region_filter(Project, values["region_code"])).limit(2)).all()
    return candidates[0] if len(candidates) == 1 else None


def gather_facts(project: Project | None, id_hash: str, submitted_at) -> ComplaintFacts:
    if project is None:
        return ComplaintFacts(project_matched=False)
    day = clock.beijing_day(submitted_at)
    start = window_start(day)
    worker_id = db.session.scalar(select(Worker.id).where(Worker.id_number_hash == id_hash))
    on_roster = worker_id is not None and db.session.scalar(select(exists().where(
        Employment.project_id == project.id, Employment.worker_id == worker_id)))
    days = db.session.scalar(select(func.count()).select_from(AttendanceDay).where(
        AttendanceDay.project_id == project.id, AttendanceDay.worker_id == worker_id,
        AttendanceDay.day >= start, AttendanceDay.day <= day)) if on_roster else 0
    payments = list(db.session.execute(
        select(Payroll.month, PayrollLine.amount_paid).join(Payroll, Payroll.id == PayrollLine.payroll_id)
        .where(Payroll.project_id == project.id, PayrollLine.worker_id == worker_id,
               PayrollLine.pay_status == "paid", PayrollLine.amount_paid.is_not(None),
               Payroll.month >= f"{start:%Y-%m}", Payroll.month <= f"{day:%Y-%m}"))) if on_roster else []
    has_account = db.session.scalar(select(exists().where(WageAccount.project_id == project.id)))
    return ComplaintFacts(True, bool(has_account), bool(on_roster), days or 0, payments)


def represent(complaint: Complaint, project_code: str | None) -> dict:
    return {
        "complaint_no": complaint.complaint_no, "project_code": project_code,
        "project_name": complaint.project_name, "contractor_name": complaint.contractor_name,
        "region_code": complaint.region_code, "industry": complaint.industry,
        "complainant": {"name": complaint.complainant_name, "id_number": complaint.complainant_id_masked,
                        "phone": mask_phone(complaint.complainant_phone) or None},
        "type": complaint.type, "amount_claimed": money_text(complaint.amount_claimed),
        "workers_involved": complaint.workers_involved, "description": complaint.description,
        "submitted_at": iso(complaint.submitted_at), "status": complaint.status,
        "appeal_status": complaint.appeal_status, "supervision_status": complaint.supervision_status,
        "read_at": iso(complaint.read_at), "handled_at": iso(complaint.handled_at),
        "appealed_at": iso(complaint.appealed_at), "appeal_read_at": iso(complaint.appeal_read_at),
        "appeal_handled_at": iso(complaint.appeal_handled_at), "closed_at": iso(complaint.closed_at),
        "checks": complaint.checks,
    }


def code_of(complaint: Complaint) -> str | None:
    return complaint.project_id and db.session.scalar(select(Project.code).where(Project.id == complaint.project_id))


def receive(values: dict) -> tuple[dict, int]:
    person = values["complainant"]
    id_hash = crypto.lookup_hash(person["id_number"])
    project = match_project(values)
    wanted = {**{k: values[k] for k in COMPARED if k in values}, "complainant_name": person["name"],
              "complainant_id_hash": id_hash, "complainant_phone": person["phone"]}
    found = db.session.scalars(select(Complaint).where(Complaint.complaint_no == values["complaint_no"])).first()
    if found is not None:
        # A match by name is our inference and may change as projects register; only a code that names a
        # project is content the client sent.
        named = project if project is not None and project.code == values["project_code"] else None
        if {k: getattr(found, k) for k in COMPARED} == wanted and (named is None or found.project_id == named.id):
            return represent(found, code_of(found)), 200
        raise conflict("该投诉编号已存在，且内容不同")
    complaint = Complaint(complaint_no=values["complaint_no"], project_id=project and project.id,
                          complainant_id_enc=crypto.encrypt(person["id_number"]),
                          complainant_id_masked=mask_id(person["id_number"]), status="open", appeal_status="none",
                          supervision_status="none", **wanted)
    if project is not None:  # scoped like its project (DESIGN §1); otherwise by its own region and industry
        complaint.region_code, complaint.prefecture_code = project.region_code, project.prefecture_code
        complaint.industry = project.industry
    else:
        complaint.set_region(values["region_code"])
        complaint.industry = values["industry"]
    complaint.checks = run_checks(gather_facts(project, id_hash, values["submitted_at"]))
    db.session.add(complaint)
    db.session.flush()
    db.session.add(ComplaintEvent(complaint_id=complaint.id, at=values["submitted_at"], actor="complainant",
                                  kind="submitted", note=None))
    audit.record("api.complaint_received", complaint, actor=actor())
    db.session.flush()  # idempotency.run commits, with the Idempotency-Key record
    return represent(complaint, project and project.code), 201


@bp.post("/complaints", merge_slashes=False)
@endpoint("complaints")
def create_complaint():
    values = read(schemas.complaint)
    return retrying(receive, values)  # received twice at once: the second compares with the first


# kind: (the state it may happen in, what it changes, who does it) — the case order of DESIGN R3. The state is
# a SQL condition: the change is one conditional UPDATE, so of two events racing for one step only one applies
# (SQLite ignores FOR UPDATE) and a later event never overwrites the time an earlier one recorded.
C = Complaint
STEPS = {
    "enterprise_read": (and_(C.status == "open", C.read_at.is_(None)), {"read_at": None}, "enterprise"),
    "enterprise_handled": (and_(C.status == "open", C.read_at.is_not(None)),
                           {"handled_at": None, "status": "handled"}, "enterprise"),
    "appealed": (and_(C.status == "handled", C.appeal_status == "none"),
                 {"appealed_at": None, "appeal_status": "open"}, "complainant"),
    "appeal_read": (and_(C.appeal_status == "open", C.appeal_read_at.is_(None)), {"appeal_read_at": None},
                    "enterprise"),
    "appeal_handled": (and_(C.appeal_status == "open", C.appeal_read_at.is_not(None)),
                       {"appeal_handled_at": None, "appeal_status": "handled"}, "enterprise"),
    "closed": (and_(C.status == "handled", C.appeal_status != "open"), {"closed_at": None, "status": "closed"},
               "system"),
}


def same_event(complaint: Complaint, values: dict) -> bool:
    return db.session.scalar(select(exists().where(
        ComplaintEvent.complaint_id == complaint.id, ComplaintEvent.kind == values["kind"],
        ComplaintEvent.at == values["at"], ComplaintEvent.note.is_not_distinct_from(values["note"])))) or False


def record_event(complaint: Complaint, values: dict) -> tuple[dict, int]:
    if same_event(complaint, values):
        return represent(complaint, code_of(complaint)), 200
    state, changes, who = STEPS[values["kind"]]
    moved = db.session.execute(
        update(Complaint).where(Complaint.id == complaint.id, state)
        .values({name: values["at"] if value is None else value for name, value in changes.items()}),
        execution_options={"synchronize_session": False}).rowcount
    db.session.refresh(complaint)
    if not moved:  # another request took this step first: the same event is a repeat, another one too late
        if same_event(complaint, values):
            return represent(complaint, code_of(complaint)), 200
        raise conflict("投诉流转顺序不对：当前状态下不能记录该事件")
    # Read after the UPDATE, which holds the row (and SQLite's write lock): no event can slip in between.
    latest = db.session.scalar(select(func.max(ComplaintEvent.at)).where(ComplaintEvent.complaint_id == complaint.id))
    if latest is not None and values["at"] < latest:
        raise conflict("事件时间早于上一步骤的时间")
    db.session.add(ComplaintEvent(complaint_id=complaint.id, at=values["at"], actor=who, kind=values["kind"],
                                  note=values["note"]))
    audit.record("api.complaint_event", complaint, actor=actor(), kind=values["kind"])
    db.session.flush()  # idempotency.run commits, with the Idempotency-Key record
    return represent(complaint, code_of(complaint)), 201


@bp.post("/complaints/<complaint_no>/events", merge_slashes=False)
@endpoint("complaints")
def add_event(complaint_no):
    complaint = complaint_or_404(complaint_no)
    values = read(schemas.event)
    return retrying(record_event, complaint, values)  # the unique event identity is the last guard
