"""工人, 班组, 用工记录 and the national 工种 code table."""
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wagewatch.extensions import db
from wagewatch.models.search import trigram_index

ROLES = {10: "管理人员", 20: "建筑工人"}  # labels for display; the table below is what intake validates against
GENDERS = {"M": "男", "F": "女"}


class TradeCode(db.Model):
    __tablename__ = "trade_codes"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(32))


class WorkerRole(db.Model):
    """The national platform's worker role codes (10 管理人员, 20 建筑工人), kept as data like the trade codes."""

    __tablename__ = "worker_roles"

    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(32))


class Worker(db.Model):
    """A person; the ID number is kept encrypted, with a keyed hash for lookup and a fixed-width mask."""

    __tablename__ = "workers"
    __table_args__ = (trigram_index("ix_workers_name_trgm", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number_enc: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_hash: Mapped[str] = mapped_column(String(64), unique=True)
    id_number_masked: Mapped[str] = mapped_column(String(11))
    name: Mapped[str] = mapped_column(String(64), index=True)
    gender: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(11))


class Team(db.Model):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("project_id", "name", name="uq_teams_project_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    name: Mapped[str] = mapped_column(String(64))
    subcontractor_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))

    subcontractor = relationship("Enterprise", lazy="raise")


class Employment(db.Model):
    __tablename__ = "employments"
    __table_args__ = (
        UniqueConstraint("project_id", "worker_id", "joined_on", name="uq_employments_natural"),
        Index("ix_employments_project_left_id", "project_id", "left_on", "id"),
        Index("ix_employments_worker", "worker_id"),
        Index("ix_employments_team", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    trade_code: Mapped[str] = mapped_column(String(3))
    role: Mapped[int] = mapped_column(Integer, default=20)
    contract_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)

    worker = relationship("Worker", lazy="raise")
    team = relationship("Team", lazy="raise")
