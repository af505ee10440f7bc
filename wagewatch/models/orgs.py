"""监管机构 and 监管人员: the supervisory units, their staff and their login sessions."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wagewatch.extensions import db
from wagewatch.models._types import UTCDateTime, utcnow

ORG_KINDS = {"hr": "人社", "industry": "行业主管"}
ROLES = {"viewer": "查看", "reviewer": "审核", "admin": "管理员"}


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

    org = relationship("Org", lazy="joined")

    @property
    def can_review(self) -> bool:
        return self.role in ("reviewer", "admin")

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
