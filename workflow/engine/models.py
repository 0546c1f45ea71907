"""The engine's tables: documents, the audit log, the outbox and the deadline events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base, JSONType
from workflow.timeutil import utcnow


class Document(Base):
    """Any document that moves through a state machine: a draft decision, a visa, a protocol, ..."""

    __tablename__ = "documents"
    __table_args__ = (
        ForeignKeyConstraint(
            ["kind", "definition_version"], ["definition_versions.kind", "definition_versions.version"]
        ),
        Index("ix_documents_kind_state", "kind", "state"),
        # "my work" reads the states of each definition version in use, and an author's documents (0015)
        Index("ix_documents_kind_version_state", "kind", "definition_version", "state"),
        Index("ix_documents_author", "author_id"),
        Index("ix_documents_parent", "parent_id"),
        # a list of work reads in this order and stops at its page's end (0015)
        Index("ix_documents_due_id", "due_at", "id"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    #: the version of the definition the document started on (or was explicitly migrated to)
    definition_version: Mapped[int]
    state: Mapped[str] = mapped_column(String(64))
    #: bumped by every change; the audit entry of a change carries the version it produced
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(Text, default="")
    #: the kind-specific content (text of a draft, remarks, ...)
    fields: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    #: the parent's version when this child was made: which of the parent's rounds asked for it (a draft's
    #: submission its visas, its sending to committees their conclusions), ordered by the log, not by clocks
    parent_version: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: when the document entered its current state, and when it must leave it (the state's deadline)
    state_entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: hash of the latest audit entry: anchors the chain, so deleting the newest entries is detected too
    audit_hash: Mapped[str] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.kind} v{self.definition_version} {self.state!r} #{self.version}>"


class AuditEntry(Base):
    """One change of a document, append-only; each entry's hash covers its content and the previous one's."""

    __tablename__ = "audit_entries"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: the document version this change produced: 1 for creation, then 2, 3, ...
    version: Mapped[int]
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: None for the system (the scheduler, a task)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    trigger: Mapped[str] = mapped_column(String(64))
    from_state: Mapped[str | None] = mapped_column(String(64))
    to_state: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class OutboxRow(Base):
    """An effect to carry out after the commit that recorded it (a notification, a DOCX, a timer)."""

    __tablename__ = "outbox"
    __table_args__ = (
        ForeignKeyConstraint(["document_id", "audit_version"], ["audit_entries.document_id", "audit_entries.version"]),
        Index(
            "ix_outbox_pending",
            "available_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: the audit entry (by document version) whose transition asked for this effect
    audit_version: Mapped[int]
    effect: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    #: "<document>:<version>:<effect index>": the same effect is never carried out twice
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    #: pending -> done, or failed after the last attempt
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DeadlineEvent(Base):
    """What the deadline sweep did about one stay of a document in a state: reminded, escalated, or made the
    move the law makes automatic. The key names the stay and the event, so the sweep acts once per stay."""

    __tablename__ = "deadline_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "<event>:<document>:<state>:<entered at>", e.g. "remind:12:visas:2026-11-28T09:00:00+00:00"
    key: Mapped[str] = mapped_column(String(200), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: "remind", "escalate" or "expire"
    event: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: what came of it (e.g. "3 reminded", "fired veto_period_ends", or why the automatic move was refused)
    outcome: Mapped[str] = mapped_column(Text, default="")


#: The view a change of a document is written through on SQLite (migration 0006): one INSERT into it updates the
#: document, appends the audit entry and inserts the outbox rows (its INSTEAD OF trigger), so a move is one
#: statement there as on PostgreSQL. Described here for SQLAlchemy Core, with the types of the real columns its
#: values go to, so SQLAlchemy converts them as for those columns; it is a view, not a table, so it lives outside
#: `Base.metadata` and neither the models' DDL nor a comparison of models and migrations sees it.
DOCUMENT_MOVES = Table(
    "document_moves",
    MetaData(),
    Column("document_id", Document.__table__.c.id.type),
    #: the version after the change; the one before is one less (migration 0015)
    Column("new_version", Document.__table__.c.version.type),
    Column("from_state", AuditEntry.__table__.c.from_state.type),
    Column("to_state", AuditEntry.__table__.c.to_state.type),
    Column("at", AuditEntry.__table__.c.at.type),
    #: set by edits only, which keep the moment the state was entered (NULL: entered at the move's moment)
    Column("entered_at", Document.__table__.c.state_entered_at.type),
    Column("due_at", Document.__table__.c.due_at.type),
    Column("actor_id", AuditEntry.__table__.c.actor_id.type),
    Column("trigger", AuditEntry.__table__.c.trigger.type),
    Column("comment", AuditEntry.__table__.c.comment.type),
    #: the audit entry's data as the canonical JSON text its hash covers, stored as it is (SQLite keeps JSON as
    #: text; the ORM parses it back): serialising the parsed value again would only cost time
    Column("data", Text()),
    Column("prev_hash", AuditEntry.__table__.c.prev_hash.type),
    Column("hash", AuditEntry.__table__.c.hash.type),
    #: set by edits only (NULL keeps the document's)
    Column("title", Document.__table__.c.title.type),
    Column("fields", Document.__table__.c.fields.type),
    #: the outbox rows of a move with several effects, in order: [[effect, params as JSON text, idempotency key], ...]
    Column("effects", JSON()),
    #: the outbox row of a move with one effect (migration 0007): its effect, params as JSON text, idempotency key
    Column("effect", OutboxRow.__table__.c.effect.type),
    Column("params", Text()),
    Column("effect_key", OutboxRow.__table__.c.idempotency_key.type),
)
