"""The sitting console's tables: members' declarations of a conflict of interest, how each vote was taken (by
the secretary's ticks, from the hall system's file, from the members' cabinets), and the votes held open for the
members to cast their ballots from their own cabinets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base
from workflow.timeutil import utcnow


class ConflictDeclaration(Base):
    """A member's declaration of a real or potential conflict of interest on a question of the sitting (Law "On
    Local Self-Government", art. 59-1): the member does not vote on it, and the protocol says so. Append-only,
    under the session's chain."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (UniqueConstraint("subject_id", "person_id"), Index("ix_conflicts_session", "session_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: what the member does not vote on: an agenda item, or a vetoed decision's draft (the vote to override)
    subject_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    #: the member's name as declared, as the protocol gives it
    name: Mapped[str] = mapped_column(String(300))
    #: what the member said (which interest), as the protocol records it
    statement: Mapped[str] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    #: the version of the session's audit entry that records this declaration
    audit_version: Mapped[int | None]


class VoteSource(Base):
    """How a council vote's ballots came in: ticked by the secretary, imported from the hall's voting system
    (with the file's name and SHA-256), or cast by the members from their cabinets. Append-only, under the
    session's chain."""

    __tablename__ = "vote_sources"

    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"), primary_key=True)
    #: "ticked", "imported" or "cabinets"
    method: Mapped[str] = mapped_column(String(16))
    #: the imported file: its name as uploaded, its format ("csv", "json", "xml") and the SHA-256 of its bytes
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_format: Mapped[str | None] = mapped_column(String(8))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    #: the question's number in the imported file
    file_question: Mapped[int | None]
    #: the vote held open for the members' cabinets
    open_vote_id: Mapped[int | None] = mapped_column(ForeignKey("open_votes.id"))
    audit_version: Mapped[int | None]


class OpenVote(Base):
    """A question the secretary holds open for the registered members to vote on from their cabinets, until the
    secretary closes it (the vote is then recorded from the ballots cast) or withdraws it."""

    __tablename__ = "open_votes"
    __table_args__ = (Index("ix_open_votes_session", "session_id", "closed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: approve_agenda, decision, add_item or veto_override
    purpose: Mapped[str] = mapped_column(String(32))
    #: the session (the agenda), the agenda item, or the draft (to add, or whose veto is overridden)
    subject_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: the question as the members see it
    question: Mapped[str] = mapped_column(Text)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: the vote recorded when the secretary closed it (None while open, or when withdrawn)
    vote_id: Mapped[int | None] = mapped_column(ForeignKey("votes.id"))


class CastBallot(Base):
    """A member's ballot cast from their cabinet in an open vote: one per member, never changed."""

    __tablename__ = "cast_ballots"
    __table_args__ = (UniqueConstraint("open_vote_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    open_vote_id: Mapped[int] = mapped_column(ForeignKey("open_votes.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    #: "for", "against" or "abstain"
    choice: Mapped[str] = mapped_column(String(16))
    cast_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
