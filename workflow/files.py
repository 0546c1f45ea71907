"""Files attached to documents (the rendered decision, agenda, protocol, ...): stored with their SHA-256, each
rendering a new version; nothing is overwritten."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, deferred, mapped_column

from workflow.db import Base
from workflow.engine import document_changed
from workflow.engine.models import Document
from workflow.errors import Conflict, InvalidInput
from workflow.i18n import N_
from workflow.people import Actor, Person
from workflow.timeutil import as_utc, utcnow

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentFile(Base):
    """One version of one rendered file of a document. The bytes live in the database, so the file and its
    record commit (or vanish) together: a rendering that died half-way leaves nothing behind."""

    __tablename__ = "document_files"
    __table_args__ = (UniqueConstraint("document_id", "name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: what the file is: the template it was rendered from, e.g. "decision", "protocol", "protocol_extract"
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


def store_file(
    session: Session,
    document: Document,
    name: str,
    content: bytes,
    *,
    key: str,
    now: datetime,
    by: Actor | Person | None = None,
    filename: str | None = None,
    media_type: str = DOCX_MEDIA_TYPE,
) -> DocumentFile:
    """Attach `content` to the document as the next version of `name`, with its SHA-256; flushes, never commits.

    The document's watchers are told (`workflow.engine.document_changed`), so the searchable text of its files follows.
    The key says which effect (or which request by hand) produced it: a second call with a key already stored
    returns that file and stores nothing, so a rendering that runs twice leaves one file. Nothing is overwritten.
    """
    existing = file_by_key(session, key)
    if existing is not None:
        if (existing.document_id, existing.name) != (document.id, name):
            raise InvalidInput(
                "files.key_key_already_stored",
                N_("key '{key}' already stored {name} of document {document_id}"),
                key=key,
                name=existing.name,
                document_id=existing.document_id,
            )
        return existing
    version = (
        session.scalar(
            select(func.max(DocumentFile.version)).where(
                DocumentFile.document_id == document.id, DocumentFile.name == name
            )
        )
        or 0
    ) + 1
    stored = DocumentFile(
        document_id=document.id,
        name=name,
        version=version,
        filename=filename or f"{name}-{document.id}-v{version}.docx",
        media_type=media_type,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
        key=key,
        created_at=as_utc(now),
        created_by_id=None if by is None else by.id,
    )
    try:
        with session.begin_nested():  # the unique key is the backstop when two workers store at once
            session.add(stored)
    except IntegrityError:
        winner = file_by_key(session, key)
        if winner is not None:
            return winner
        raise Conflict(
            "files.version_version_name_document",
            N_("version {version} of {name} of document {id} was stored meanwhile; try again"),
            version=version,
            name=name,
            id=document.id,
        ) from None
    # what derives from the document's files (its searchable text) follows
    document_changed(session, document, was=document.state, now=now)
    return stored


def file_by_key(session: Session, key: str) -> DocumentFile | None:
    return session.scalar(select(DocumentFile).where(DocumentFile.key == key))


def list_files(session: Session, document_id: int) -> list[DocumentFile]:
    """A document's files, by name and version."""
    return list(
        session.scalars(
            select(DocumentFile)
            .where(DocumentFile.document_id == document_id)
            .order_by(DocumentFile.name, DocumentFile.version)
        )
    )


def get_file(session: Session, document_id: int, name: str, version: int | None = None) -> DocumentFile | None:
    """One version of a document's file, the latest when `version` is None."""
    query = select(DocumentFile).where(DocumentFile.document_id == document_id, DocumentFile.name == name)
    query = query.where(DocumentFile.version == version) if version is not None else query
    return session.scalar(query.order_by(DocumentFile.version.desc()).limit(1))
