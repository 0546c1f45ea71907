"""The checks of the audit log an administrator asked for, with their outcomes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base, JSONType
from workflow.timeutil import utcnow


class AuditCheck(Base):
    """One verification (or seal) of the whole audit log: asked for, then run by a worker after the commit (a
    check over a big database takes a while, and no page waits for it), then its outcome."""

    __tablename__ = "audit_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "verify" (the chain, the records and the latest seal) or "seal" (the same, then a new seal if it holds)
    kind: Mapped[str] = mapped_column(String(16))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: when a worker took it up; None while it waits
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: "ok", "broken" (history was altered: the findings say where) or "refused" (a seal that could not be made)
    outcome: Mapped[str | None] = mapped_column(String(16))
    documents: Mapped[int | None] = mapped_column(Integer)
    entries: Mapped[int | None] = mapped_column(Integer)
    #: what it found, each a message to say in the reader's language: [code, English template, parameters]
    findings: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    #: the seal it checked against (or made), by its file's name
    seal_name: Mapped[str | None] = mapped_column(String(64))
