"""POST /payrolls (工资单, all-or-nothing) and POST /payrolls/{no}/bank-results (per result)."""
from datetime import datetime, timezone

from sqlalchemy import select

from wagewatch import audit, crypto
from wagewatch.api import schemas
from wagewatch.api.auth import endpoint
from wagewatch.api.batches import Batch
from wagewatch.api.blueprint import bp
from wagewatch.api.body import parse_body
from wagewatch.api.errors import MAX_BATCH, conflict, invalid, too_many_items
from wagewatch.api.fields import Doc, code
from wagewatch.api.idempotency import retrying
from wagewatch.api.lookups import payroll_or_404, project_by_code
from wagewatch.api.projects import actor
from wagewatch.api.workers import ids_by_hash
from wagewatch.extensions import db
from wagewatch.models import Employment, Payroll, PayrollLine, Team
from wagewatch.models.workers import Worker
from wagewatch.wages.refresh import refresh_after_commit

NOT_ON_ROSTER = "该工人不在此工程的实名制名单中"


def check_lines(doc: Doc, values: dict, project) -> dict[int, int]:
    """Resolve each line's worker; report unknown, off-roster and repeated workers by line path."""
    hashes = {i: crypto.lookup_hash(line["id_number"]) for i, line in values["lines"] if line["id_number"]}
    workers = ids_by_hash(list(set(hashes.values())))
    roster = set(db.session.scalars(select(Employment.worker_id).where(
        Employment.project_id == project.id, Employment.worker_id.in_(list(workers.values()))))) if project else set()
    seen, resolved = set(), {}
    for i, digest in hashes.items():
        worker_id = workers.get(digest)
        if project and worker_id not in roster:
            doc.error(f"lines.{i}.id_number", NOT_ON_ROSTER)
        elif digest in seen:
            doc.error(f"lines.{i}.id_number", "同一工资单中该工人重复出现")
        seen.add(digest)
        resolved[i] = worker_id
    return resolved


def same_sheet(payroll: Payroll, values: dict, team_id, lines: list[tuple]) -> bool:
    stored = {(l.worker_id, l.days_worked, l.amount_due, l.is_back_pay) for l in db.session.scalars(
        select(PayrollLine).where(PayrollLine.payroll_id == payroll.id))}
    return (payroll.month, payroll.team_id, payroll.submitted_at) == (
        values["month"], team_id, values["submitted_at"]) and stored == set(lines)


def team_id_for(project, name: str | None, *, create: bool) -> int | None:
    if not name:
        return None
    team = db.session.scalars(select(Team).where(Team.project_id == project.id, Team.name == name)).one_or_none()
    if team is None and create:
        team = Team(project_id=project.id, name=name)
        db.session.add(team)
        db.session.flush()
    return team.id if team else None


def submit(values: dict, project, workers: dict[int, int]) -> tuple[dict, int]:
    lines = [(workers[i], l["days_worked"], l["amount_due"], l["is_back_pay"]) for i, l in values["lines"]]
    answer = {"payroll_no": values["payroll_no"], "lines": len(lines)}
    payroll = db.session.scalars(select(Payroll).where(Payroll.payroll_no == values["payroll_no"])).one_or_none()
    if payroll is not None:
        team_id = team_id_for(project, values["team"], create=False)
        if payroll.project_id == project.id and same_sheet(payroll, values, team_id, lines):
            return answer, 200
        raise conflict("该工资单编号已存在，且内容不同")
    payroll = Payroll(payroll_no=values["payroll_no"], project_id=project.id, month=values["month"],
                      team_id=team_id_for(project, values["team"], create=True),
                      submitted_at=values["submitted_at"], status="submitted")
    db.session.add(payroll)
    db.session.flush()
    db.session.add_all(PayrollLine(payroll_id=payroll.id, worker_id=w, days_worked=d, amount_due=a,
                                   is_back_pay=b, pay_status="pending") for w, d, a, b in lines)
    audit.record("api.payroll_submitted", payroll, actor=actor(), lines=len(lines))
    db.session.flush()  # idempotency.run commits, with the Idempotency-Key record
    refresh_after_commit(project.id, values["month"])
    return answer, 201


@bp.post("/payrolls", merge_slashes=False)
@endpoint("payrolls")
def create_payroll():
    doc = Doc(parse_body())
    values = schemas.payroll(doc)
    project = project_by_code(values["project_code"]) if values["project_code"] else None
    if values["project_code"] and project is None:
        doc.error("project_code", "工程不存在")
    workers = check_lines(doc, values, project)
    if doc.errors:
        raise invalid(doc.errors)
    return retrying(submit, values, project, workers)  # the same sheet submitted concurrently: compare


EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def apply_result(line: PayrollLine, result: dict, batch_no: str) -> bool:
    """A later result supersedes an earlier one (failed, then retried and paid); returns whether it changed.

    A failed result may come without a time: it never undoes a payment the bank already confirmed.
    """
    at = result["paid_at"]
    if line.paid_at is not None and (at is None and line.pay_status == "paid" or at is not None and at < line.paid_at):
        return False
    new = (result["status"], result["amount_paid"] if result["status"] == "paid" else None, result["paid_at"],
           result["fail_reason"] if result["status"] == "failed" else None, batch_no)
    if (line.pay_status, line.amount_paid, line.paid_at, line.fail_reason, line.bank_batch_no) == new:
        return False
    line.pay_status, line.amount_paid, line.paid_at, line.fail_reason, line.bank_batch_no = new
    return True


@bp.post("/payrolls/<payroll_no>/bank-results", merge_slashes=False)
@endpoint("bank")
def add_bank_results(payroll_no):
    payroll = payroll_or_404(payroll_no, lock=True)  # one result batch per sheet at a time: counts stay exact
    doc = Doc(parse_body())
    batch_no = doc.field("batch_no", code(64))
    results = doc.data.get("results")
    if not isinstance(results, list):
        doc.error("results", "缺少必填字段" if "results" not in doc.data else "必须是数组")
    elif len(results) > MAX_BATCH:
        raise too_many_items()
    if doc.errors:
        raise invalid(doc.errors)
    batch = Batch(results, schemas.bank_result)
    lines = {digest: line for digest, line in db.session.execute(
        select(Worker.id_number_hash, PayrollLine).join(Worker, Worker.id == PayrollLine.worker_id)
        .where(PayrollLine.payroll_id == payroll.id).with_for_update(of=PayrollLine))}
    batch.keep(lambda r: None if crypto.lookup_hash(r["id_number"]) in lines
               else ("id_number", "该工人不在此工资单中"))
    ordered = sorted(batch.good, key=lambda item: (item[1]["paid_at"] is not None, item[1]["paid_at"] or EPOCH))
    changed = sum(apply_result(lines[crypto.lookup_hash(r["id_number"])], r, batch_no) for _i, r in ordered)
    db.session.flush()  # idempotency.run commits, with the Idempotency-Key record
    if changed:
        refresh_after_commit(payroll.project_id, payroll.month)
    return batch.answer(changed, len(ordered) - changed)
