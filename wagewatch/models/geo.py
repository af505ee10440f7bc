"""行政区划: Xinjiang's GB/T 2260 regions."""
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wagewatch.extensions import db


class Region(db.Model):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    short_name: Mapped[str] = mapped_column(String(32))
    level: Mapped[int] = mapped_column(Integer)
    parent_code: Mapped[str | None] = mapped_column(String(6), index=True)
