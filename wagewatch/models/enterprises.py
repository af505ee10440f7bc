"""企业: building owners, contractors and subcontractors, keyed by USCC."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from wagewatch.extensions import db
from wagewatch.models.search import trigram_index


class Enterprise(db.Model):
    __tablename__ = "enterprises"
    __table_args__ = (trigram_index("ix_enterprises_name_trgm", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
