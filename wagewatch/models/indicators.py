"""Precomputed indicators: R1 per project and the monthly bulletin figures, written by the nightly job."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from wagewatch.extensions import db
from wagewatch.models._types import UTCDateTime


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


class BulletinFigure(db.Model):
    """One point-in-time indicator of one month for the projects of one (county, industry): numerator and
    denominator, so that any region's and any org's figure is a sum. The nightly job overwrites the current
    month; the last run of a month leaves that month's figures for the 数据通报 of later months."""

    __tablename__ = "bulletin_figures"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    industry: Mapped[str] = mapped_column(String(16), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(24), primary_key=True)
    numerator: Mapped[Decimal] = mapped_column(Numeric(16, 2), default=0)
    denominator: Mapped[Decimal] = mapped_column(Numeric(16, 2), default=0)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
