"""Files attached to documents (the rendered decision, agenda, protocol, ...): stored with their SHA-256, each
rendering a new version; nothing is overwritten."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from workflow.db import Base
from workflow.timeutil import utcnow


class DocumentFile(Base):
    """One version of one rendered file of a document. The bytes live in the database, so the file and its
    record commit (or vanish) together: a rendering that died half-way leaves nothing behind."""

    __tablename__ = "document_files"
    __table_args__ = (UniqueConstraint("document_id", "name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: what the file is, e.g. "decision", "protocol", "extract-12" (the template and, for an extract, the item)
    name: Mapped[str] = mapped_column(String(100))
    #: 1, 2, ... for each rendering of the same name
    version: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    #: the effect (outbox idempotency key) that rendered it, or "manual:<...>" for a rendering asked by hand
    key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: who asked for it; None for the tasks
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
