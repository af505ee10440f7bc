"""The data model of DESIGN §2, one module per aggregate."""
from wagewatch.models.api import ApiClient, IdempotencyRecord
from wagewatch.models.attendance import AggregationRun, AttendanceDay, Punch
from wagewatch.models.audit import AuditChainHead, AuditLog
from wagewatch.models.complaints import Complaint, ComplaintEvent
from wagewatch.models.enterprises import Enterprise
from wagewatch.models.exports import ExportJob
from wagewatch.models.geo import Region
from wagewatch.models.indicators import BulletinFigure, ProjectRealname
from wagewatch.models.orgs import Org, User, UserSession
from wagewatch.models.projects import Project, WageAccount
from wagewatch.models.second_factor import RecoveryCode
from wagewatch.models.settings import RuleSetting
from wagewatch.models.wages import Payroll, PayrollLine, WageProgress
from wagewatch.models.workers import Employment, Team, TradeCode, Worker, WorkerRole

__all__ = [
    "ApiClient", "IdempotencyRecord", "AttendanceDay", "AggregationRun", "Punch", "AuditLog", "AuditChainHead",
    "RecoveryCode", "Complaint", "ComplaintEvent", "Enterprise", "ExportJob", "Region", "BulletinFigure",
    "ProjectRealname", "Org", "User", "UserSession", "Project", "WageAccount", "RuleSetting", "Payroll",
    "PayrollLine", "WageProgress", "Employment", "Team", "TradeCode", "Worker", "WorkerRole",
]
