"""监管机构 and 监管人员: the supervisory units, their staff and their login sessions."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wagewatch.extensions import db
from wagewatch.models._types import UTCDateTime, utcnow

ORG_KINDS = {"hr": "人社", "industry": "行业主管"}
# 三员分立: the three administrative roles are separate accounts; a user holds exactly one role.
ROLES = {"viewer": "查看", "reviewer": "审核", "sysadmin": "系统管理员", "secadmin": "安全管理员",
         "auditor": "审计管理员"}
ADMIN_ROLES = ("sysadmin", "secadmin", "auditor")
BUSINESS_ROLES = ("viewer", "reviewer")
# The single 管理员 of earlier versions managed users and API clients: it is a 系统管理员 now.
ROLE_ALIASES = {"admin": "sysadmin"}
# A second factor is required of everyone who can change data or administer the system; optional for 查看.
SECOND_FACTOR_ROLES = ("reviewer", *ADMIN_ROLES)


class Org(db.Model):
    __tablename__ = "orgs"
    __table_args__ = (UniqueConstraint("region_code", "kind", "industry", name="uq_orgs_region_kind_industry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    industry: Mapped[str | None] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"))

    region = relationship("Region", lazy="joined")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # TOTP second factor: the secret encrypted like other sensitive fields; the last accepted time step
    # refuses a replayed code; failures are counted and locked in the database like password failures.
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    second_factor_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    second_factor_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    org = relationship("Org", lazy="joined")

    @property
    def can_review(self) -> bool:
        return self.role == "reviewer"

    @property
    def is_administrator(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def at_platform_top(self) -> bool:
        """The 自治区人社厅 runs the platform: region-wide objects (API clients, rule settings) are its alone."""
        return self.org.level == 1 and self.org.kind == "hr"

    @property
    def second_factor_required(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES

    @property
    def second_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


class UserSession(db.Model):
    """A server-side login session, so logout and password change can revoke it."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    address: Mapped[str | None] = mapped_column(String(64))

    user = relationship("User", lazy="joined")
