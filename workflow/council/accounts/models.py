"""The tables of the administrator's work on people: the password-reset links given out, and the history of
every change to a person's account and roles (the engine's audit log covers documents, not people)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base, JSONType
from workflow.timeutil import utcnow


class PasswordReset(Base):
    """A link that lets a person set a new password: given out by an administrator or asked for by the person,
    valid until `expires_at`, used at most once. Only a hash of its secret is kept."""

    __tablename__ = "password_resets"
    __table_args__ = (Index("ix_password_resets_person", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    #: SHA-256 (hex) of the secret the link carries: a copy of the table lets nobody set a password
    secret_hash: Mapped[str] = mapped_column(String(64))
    #: the administrator who sent it; None when the person asked for it from the sign-in page
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: when a password was set with it, or when a later password made it void; None while it may be used
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AccountEvent(Base):
    """One change to a person's account or roles, appended and never changed: who did what, when, and why."""

    __tablename__ = "account_events"
    __table_args__ = (Index("ix_account_events_person", "person_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: (persons are never deleted: their part in the records stays; the table refuses UPDATE and DELETE)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    #: the administrator (or the person themself); None for the system
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: what happened: one of `workflow.council.accounts.history.EVENTS`
    what: Mapped[str] = mapped_column(String(32))
    #: the particulars: the old and new name or address, the role and its scope and dates, the reason
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
