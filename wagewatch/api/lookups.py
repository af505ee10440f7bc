"""Find the objects an API path or body names; a missing one answers 404 in API.md's shape."""
from sqlalchemy import select, update

from wagewatch.api.errors import not_found
from wagewatch.api.fields import CODE
from wagewatch.extensions import db
from wagewatch.models import Complaint, Payroll, Project


def well_formed(code: str, max_len: int = 64) -> bool:
    """Path parameters that cannot be keys are answered 404 without reaching the database."""
    return bool(CODE.fullmatch(code)) and len(code) <= max_len


def locked(stmt, model, *where):
    """`stmt` FOR UPDATE. SQLite ignores FOR UPDATE: there a no-op UPDATE of the same rows first takes the database's
    write lock, so what this request reads next is the latest and stays so until it commits, as on PostgreSQL."""
    if db.session.get_bind().dialect.name == "sqlite":
        # Each column set to itself, those with an onupdate default too (updated_at must not move for a read).
        same = {c.name: c for c in model.__table__.columns if c.primary_key or c.onupdate is not None}
        db.session.execute(update(model).where(*where).values(same), execution_options={"synchronize_session": False})
    return stmt.with_for_update()


def project_by_code(code: str, *, lock: bool = False) -> Project | None:
    if not well_formed(code, 32):
        return None
    stmt = select(Project).where(Project.code == code)
    return db.session.scalars(locked(stmt, Project, Project.code == code) if lock else stmt).one_or_none()


def project_or_404(code: str, *, lock: bool = False) -> Project:
    project = project_by_code(code, lock=lock)
    if project is None:
        raise not_found("工程不存在")
    return project


def payroll_or_404(payroll_no: str, *, lock: bool = False) -> Payroll:
    if not well_formed(payroll_no):
        raise not_found("工资单不存在")
    stmt = select(Payroll).where(Payroll.payroll_no == payroll_no)
    payroll = db.session.scalars(locked(stmt, Payroll, Payroll.payroll_no == payroll_no) if lock else stmt).one_or_none()
    if payroll is None:
        raise not_found("工资单不存在")
    return payroll


def complaint_or_404(complaint_no: str) -> Complaint:
    if not well_formed(complaint_no, 32):
        raise not_found("投诉不存在")
    stmt = select(Complaint).where(Complaint.complaint_no == complaint_no)
    complaint = db.session.scalars(locked(stmt, Complaint, Complaint.complaint_no == complaint_no)).one_or_none()
    if complaint is None:
        raise not_found("投诉不存在")
    return complaint


def money_text(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def iso(value) -> str | None:
    return None if value is None else value.isoformat()
