"""工程 and its 工资专户."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wagewatch.extensions import db
from wagewatch.models._types import Money, RegionScoped, UTCDateTime, utcnow
from wagewatch.models.search import trigram_index

INDUSTRIES = {
    "housing": "住建", "transport": "交通", "water": "水利", "rail": "铁路", "aviation": "民航",
    "telecom": "通信", "energy": "电力能源", "agriculture": "农业农村", "other": "其他",
}
FUNDING = {"government": "政府投资", "state_owned": "国企投资", "private": "社会投资"}
REVIEW_STATUSES = {"pending": "未审核", "approved": "审核已通过", "rejected": "审核未通过"}
PROJECT_STATUSES = {"not_started": "未开工", "in_progress": "在建", "suspended": "停工", "completed": "完工"}
DEPOSIT_FORMS = {"cash": "现金", "guarantee": "保函", "exempt": "免缴", "none": "未缴纳"}


class Project(RegionScoped, db.Model):
    __tablename__ = "projects"
    __table_args__ = (
        Index("ix_projects_review_registered", "review_status", "registered_on", "id"),
        Index("ix_projects_region_review_registered", "region_code", "review_status", "registered_on", "id"),
        Index("ix_projects_prefecture_review_registered", "prefecture_code", "review_status", "registered_on",
              "id"),
        Index("ix_projects_industry_review_registered", "industry", "review_status", "registered_on", "id"),
        # 审核已通过 filtered by 工程状态 (the 首页 status tiles link there), and the decided tabs by 审核时间
        Index("ix_projects_review_status_registered", "review_status", "status", "registered_on", "id"),
        Index("ix_projects_review_reviewed", "review_status", "reviewed_at", "id"),
        trigram_index("ix_projects_name_trgm", "name"),
        trigram_index("ix_projects_code_trgm", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    funding: Mapped[str] = mapped_column(String(16))
    contract_amount: Mapped[Decimal] = mapped_column(Money)
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    registered_on: Mapped[date] = mapped_column(Date)
    owner_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    hr_org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"), index=True)
    industry_org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"), index=True)
    review_status: Mapped[str] = mapped_column(String(16), default="pending")
    review_reason: Mapped[str | None] = mapped_column(String(500))
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="not_started", index=True)
    status_report: Mapped[str | None] = mapped_column(String(16))
    payday: Mapped[int] = mapped_column(Integer, default=15)
    manager_name: Mapped[str | None] = mapped_column(String(64))
    labour_officer_name: Mapped[str | None] = mapped_column(String(64))
    labour_officer_phone: Mapped[str | None] = mapped_column(String(11))
    deposit_form: Mapped[str] = mapped_column(String(16), default="none")
    deposit_amount: Mapped[Decimal | None] = mapped_column(Money)
    notice_board_posted_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner = relationship("Enterprise", foreign_keys=[owner_id], lazy="raise")
    contractor = relationship("Enterprise", foreign_keys=[contractor_id], lazy="raise")
    hr_org = relationship("Org", foreign_keys=[hr_org_id], lazy="raise")
    industry_org = relationship("Org", foreign_keys=[industry_org_id], lazy="raise")
    region = relationship("Region", primaryjoin="foreign(Project.region_code) == Region.code", lazy="raise",
                          viewonly=True)
    wage_account = relationship("WageAccount", uselist=False, back_populates="project", lazy="raise")

    @property
    def industry_label(self) -> str:
        return INDUSTRIES.get(self.industry, self.industry)

    @property
    def review_label(self) -> str:
        return REVIEW_STATUSES.get(self.review_status, self.review_status)

    @property
    def status_label(self) -> str:
        return PROJECT_STATUSES.get(self.status, self.status)

    @property
    def funding_label(self) -> str:
        return FUNDING.get(self.funding, self.funding)

    @property
    def deposit_label(self) -> str:
        return DEPOSIT_FORMS.get(self.deposit_form, self.deposit_form)


class WageAccount(db.Model):
    __tablename__ = "wage_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), unique=True)
    bank_name: Mapped[str] = mapped_column(String(128))
    account_no_enc: Mapped[bytes] = mapped_column(LargeBinary)
    account_no_hash: Mapped[str] = mapped_column(String(64), index=True)
    account_no_masked: Mapped[str] = mapped_column(String(16))
    account_name: Mapped[str] = mapped_column(String(200))
    opened_on: Mapped[date | None] = mapped_column(Date)
    tripartite_agreement: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    note: Mapped[str | None] = mapped_column(Text)

    project = relationship("Project", back_populates="wage_account")
