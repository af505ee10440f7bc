"""实名制进度预警 queries: the filtered list over stored R1 verdicts, its page, its export rows, its counts.

Every statement starts from scope.conditions(), so nothing here can reach another jurisdiction.
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from wagewatch import keyset, listing, scope
from wagewatch.extensions import db
from wagewatch.models import Enterprise, Org, Project, ProjectRealname
from wagewatch.models.projects import INDUSTRIES
from wagewatch.realname.compute import in_force

ORDER = keyset.Keyset((Project.registered_on, True), (Project.id, True))  # newest registration first
HEADERS = ("名称", "工程登记日期", "人社监管单位", "行业领域", "行业监管单位", "建设单位", "总承包施工单位",
           "在职人数", "当前达标情况", "未达标原因")


def _pct(part: int, whole: int) -> str:
    value = Decimal(part) * 100 / Decimal(whole) if whole else Decimal(0)
    return f"{value.quantize(Decimal('0.1')).normalize():f}"


def reason_tags(active: int, signed: int, updated: int, failed: str) -> list[str]:
    """The failed R1 criteria as the manual's tags; with nobody 在职 the ratios mean nothing, so one tag says so."""
    keys = [key for key in failed.split(",") if key]
    tags = []
    if "min_active" in keys:
        tags.append("无在职人员" if active == 0 else f"在职人数 {active}")
    if active:
        if "contract_ratio" in keys:
            tags.append(f"合同签订率 {_pct(signed, active)} %")
        if "update_ratio" in keys:
            tags.append(f"考勤更新率 {_pct(updated, active)} %")
    if "labour_officer" in keys:
        tags.append("未配备劳资专管员")
    return tags


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    code: str
    registered_on: date
    hr_org: str
    industry: str
    industry_org: str
    owner: str
    contractor: str
    active: int
    compliant: bool
    tags: list

    @property
    def industry_label(self) -> str:
        return INDUSTRIES.get(self.industry, self.industry)

    @property
    def label(self) -> str:
        return "达标" if self.compliant else "未达标"

    def cells(self) -> tuple:
        return (self.name, self.registered_on, self.hr_org, self.industry_label, self.industry_org, self.owner,
                self.contractor, self.active, self.label, "、".join(self.tags))


def _org_ids(kind: str, name: str):
    return select(Org.id).where(Org.kind == kind, Org.name.icontains(name, autoescape=True))


def filtered(user, filters: dict):
    """Approved 在建 projects in scope with their stored verdict, narrowed by the search bar."""
    stmt = select(Project.id).join(ProjectRealname, ProjectRealname.project_id == Project.id) \
        .where(in_force(), *scope.conditions(user))
    if "name" in filters:
        stmt = stmt.where(Project.name.icontains(filters["name"], autoescape=True))
    if "region" in filters:
        stmt = stmt.where(scope.region_filter(Project, filters["region"]))
    if "industry" in filters:
        stmt = stmt.where(Project.industry == filters["industry"])
    if "hr_org" in filters:
        stmt = stmt.where(Project.hr_org_id.in_(_org_ids("hr", filters["hr_org"])))
    if "industry_org" in filters:
        stmt = stmt.where(Project.industry_org_id.in_(_org_ids("industry", filters["industry_org"])))
    if filters.get("compliance") in ("ok", "failed"):
        stmt = stmt.where(ProjectRealname.compliant.is_(filters["compliance"] == "ok"))
    if "registered_from" in filters:
        stmt = stmt.where(Project.registered_on >= filters["registered_from"])
    if "registered_to" in filters:
        stmt = stmt.where(Project.registered_on <= filters["registered_to"])
    return stmt


def rows_statement(user, filters: dict, ordered: bool = True):
    """The list's columns; for the export in the list's order (newest registration first, then id)."""
    hr_org, industry_org = aliased(Org), aliased(Org)
    owner, contractor = aliased(Enterprise), aliased(Enterprise)
    stmt = filtered(user, filters).with_only_columns(
        Project.id, Project.name, Project.code, Project.registered_on, func.coalesce(hr_org.name, ""),
        Project.industry, func.coalesce(industry_org.name, ""), owner.name, contractor.name,
        ProjectRealname.active, ProjectRealname.signed, ProjectRealname.updated, ProjectRealname.compliant,
        ProjectRealname.failed) \
        .outerjoin(hr_org, hr_org.id == Project.hr_org_id) \
        .outerjoin(industry_org, industry_org.id == Project.industry_org_id) \
        .join(owner, owner.id == Project.owner_id).join(contractor, contractor.id == Project.contractor_id)
    return stmt.order_by(*ORDER.order_by()) if ordered else stmt


def to_row(values) -> Row:
    (pid, name, code, registered_on, hr_name, industry, industry_name, owner, contractor, active, signed, updated,
     compliant, failed) = values
    return Row(pid, name, code, registered_on, hr_name, industry, industry_name, owner, contractor, active,
               compliant, reason_tags(active, signed, updated, failed or ""))


def count(user, filters: dict) -> int:
    """The capped total (as the list shows it): what the 首页 count and the pager say."""
    return listing.count(filtered(user, filters))


def page(user, filters: dict, wanted: listing.PageRequest) -> listing.Page:
    """One page read by a seek on (登记日期, id): a deep page costs what the first does."""
    return listing.paginate(rows_statement(user, filters, ordered=False), ORDER, wanted,
                            load=lambda rows: [to_row(row[:14]) for row in rows])


def computed_at(user) -> datetime | None:
    """When the oldest verdict the user can see was computed (the page says 数据更新于 …)."""
    stmt = select(func.min(ProjectRealname.computed_at)).join(Project, Project.id == ProjectRealname.project_id) \
        .where(in_force(), *scope.conditions(user))
    return db.session.scalar(stmt)
