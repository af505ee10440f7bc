"""Precomputed indicators: R1 per project and the monthly bulletin figures, written by the nightly job."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wagewatch.extensions import db
from wagewatch.models._types import RegionScoped, UTCDateTime


class ProjectRealname(db.Model):
    """R1 inputs and verdict of one project, as of `computed_at` (computing it live took 12 s region-wide)."""

    __tablename__ = "project_realname"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    active: Mapped[int] = mapped_column(Integer, default=0)
    signed: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    compliant: Mapped[bool] = mapped_column(Boolean, index=True)
    failed: Mapped[str] = mapped_column(String(80), default="")  # R1 criteria keys, comma-separated
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BulletinFigure(RegionScoped, db.Model):
    """One indicator of one bulletin month for the projects (or complaints) of one (county, industry):
    numerator, denominator and the number not achieving it, so any region's and any org's figure is a sum and
    scope.restrict() applies as to projects. The nightly job rewrites the current month; the last run of a
    month leaves that month's figures for the change shown by the next month's 数据通报."""

    __tablename__ = "bulletin_figures"
    __table_args__ = (UniqueConstraint("month", "region_code", "industry", "indicator",
                                       name="uq_bulletin_figures_natural"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    wage_month: Mapped[str] = mapped_column(String(7))  # the month of the wage and complaint indicators
    indicator: Mapped[str] = mapped_column(String(24))
    numerator: Mapped[Decimal] = mapped_column(Numeric(16, 2), default=0)
    denominator: Mapped[Decimal] = mapped_column(Numeric(16, 2), default=0)
    failing: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
