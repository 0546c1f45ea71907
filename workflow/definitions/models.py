"""Stored definition versions: the text each version had when first loaded, so its documents keep working."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base
from workflow.timeutil import utcnow


class DefinitionVersion(Base):
    """A definition as it was loaded for a version: documents started on it keep working after the YAML
    changes, because the text they were started on is kept here."""

    __tablename__ = "definition_versions"
    __table_args__ = (UniqueConstraint("kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    #: SHA-256 of `source_text`
    sha256: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
