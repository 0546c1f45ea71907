"""The notifications a person sees in the cabinet, and the e-mails waiting to be sent.

Both are keyed: a notification by the effect (or deadline) that asked for it and the person it is for, an e-mail
by what it carries. A task that runs twice finds the key taken and writes nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base
from workflow.timeutil import utcnow


class Notification(Base):
    """One thing one person is told, in their language: shown in the cabinet, read or unread."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_person_unread", "person_id", "read_at"),
        # a digest gathers the notifications not yet e-mailed to people who asked for one
        Index(
            "ix_notifications_digest_due",
            "person_id",
            postgresql_where=text("digest_pending"),
            sqlite_where=text("digest_pending"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "<outbox idempotency key>:<person>" or "deadline:...:<person>": the same notice is never given twice
    key: Mapped[str] = mapped_column(String(200), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    #: the template it was written from (e.g. "visa_requested"), for filtering and for tests
    template: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    #: where to act on it (absolute URL to the document in the cabinet)
    link: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: True while it waits for the person's daily digest
    digest_pending: Mapped[bool] = mapped_column(default=False)


class OutgoingMail(Base):
    """An e-mail to send over SMTP: pending -> sent, or failed after the last attempt (and retried by hand)."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (
        Index(
            "ix_outgoing_mail_pending",
            "available_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: what the e-mail carries ("notification:<id>", "digest:<person>:<date>"): one e-mail per key
    key: Mapped[str] = mapped_column(String(200), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    #: the Message-ID header, derived from the key, so that a receiving server can tell a resend from a new mail
    message_id: Mapped[str] = mapped_column(String(250))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
