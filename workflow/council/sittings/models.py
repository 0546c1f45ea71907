"""The sittings' tables: plenary sessions with their agenda, attendance and votes (the council's, and a
committee's on its conclusion), and adopted decisions with their official numbers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base, JSONType
from workflow.timeutil import utcnow


class PlenarySession(Base):
    """The detail of a `session` document: which sitting of the council, when and where."""

    __tablename__ = "plenary_sessions"
    __table_args__ = (UniqueConstraint("council_id", "convocation", "number"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"))
    convocation: Mapped[int]
    #: the session's number within the convocation
    number: Mapped[int]
    #: "regular" or "extraordinary"
    kind: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    place: Mapped[str] = mapped_column(String(300))


class AgendaItem(Base):
    """The detail of an `agenda_item` document: its place on a session's agenda and what it considers."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        Index("ix_agenda_items_session", "session_id", "position"),
        # a draft's current item, which the guards on its vote and the registry read (0015)
        Index("ix_agenda_items_draft", "draft_id"),
    )

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: 1, 2, 3, ... the order of consideration
    position: Mapped[int]
    #: the draft decision considered (None for an informational item)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    #: the draft's version its move onto this agenda produced: the draft's current item is the one of its latest
    #: such move, by the log's order
    draft_version: Mapped[int | None]
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))


class Attendance(Base):
    """A council member's registration at a session, or their leaving: append-only, one row per change, each
    under the session's chain; a member's presence is their latest row (by the session's log)."""

    __tablename__ = "attendance"
    __table_args__ = (Index("ix_attendance_session", "session_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    #: the member's name as registered, as the protocol gives it
    name: Mapped[str | None] = mapped_column(String(300))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: False when the member left (registration withdrawn); kept for the protocol
    present: Mapped[bool] = mapped_column(default=True)
    #: the version of the session's audit entry that records this row (None for rows from before records were
    #: under the chain)
    audit_version: Mapped[int | None]


class Vote(Base):
    """A roll-call vote of the council at a session, or of a committee on its conclusion.

    The result is computed from the ballots by rule, never typed in; the rule and the arithmetic are stored
    with it, as they will stand in the protocol.
    """

    __tablename__ = "votes"
    __table_args__ = (
        Index("ix_votes_session", "session_id"),
        Index("ix_votes_subject", "subject_id", "purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the plenary session (None for a committee's vote)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    #: the committee that voted (None for the council)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"))
    #: what the vote decides about: an agenda item, a draft (veto override), a conclusion, an amendment
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    #: approve_agenda, add_item, decision, veto_override, amendment or conclusion
    purpose: Mapped[str] = mapped_column(String(32))
    #: what was put to the vote, in words, as the protocol will say it
    question: Mapped[str] = mapped_column(Text)
    #: "majority" (more than half of the total composition) or "two_thirds" (of the total composition)
    threshold: Mapped[str] = mapped_column(String(16))
    #: the council's (or the committee's) total composition the threshold is counted from
    total_composition: Mapped[int]
    #: how many votes "for" the threshold asked for
    required: Mapped[int]
    registered: Mapped[int]
    votes_for: Mapped[int]
    votes_against: Mapped[int]
    abstained: Mapped[int]
    not_voted: Mapped[int]
    absent: Mapped[int]
    #: "adopted" or "rejected"
    result: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    held_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: the roll call is published by then (the law's working days after the vote)
    publish_by: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    #: the subject's document version when it was put to the vote: a vote counts for the subject as it then stood
    subject_version: Mapped[int | None]
    #: the version of the audit entry recording the vote, in the chain of the session (the council's votes) or of
    #: the conclusion (a committee's); None for votes from before records were under the chain
    audit_version: Mapped[int | None]


class Ballot(Base):
    """One council member's choice in one vote."""

    __tablename__ = "ballots"
    __table_args__ = (
        UniqueConstraint("vote_id", "person_id"),
        # a deputy's voting record reads their ballots (thousands of them) by person
        Index("ix_ballots_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    #: "for", "against", "abstain", "not_voted" or "absent"
    choice: Mapped[str] = mapped_column(String(16))
    #: the member's name as they voted, as the roll call is published (a later change of name changes no vote)
    name: Mapped[str | None] = mapped_column(String(300))


class Decision(Base):
    """An adopted decision's official identity: its number and date, assigned once and never reused."""

    __tablename__ = "decisions"
    #: the front page reads the latest decisions by date and number
    __table_args__ = (Index("ix_decisions_adopted_number", "adopted_on", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"))
    #: the running number within the convocation
    number: Mapped[int]
    session_number: Mapped[int]
    convocation: Mapped[int]
    #: the number as written on the decision, e.g. "№ 123-12-VIII"; unique
    official_number: Mapped[str] = mapped_column(String(64), unique=True)
    #: the date of adoption (the session's date)
    adopted_on: Mapped[date] = mapped_column(Date)
    numbered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: the version of the draft's audit entry that records the number (None for numbers from before)
    audit_version: Mapped[int | None]


class AgendaOrder(Base):
    """One ordering of a session's agenda by the secretary: every item still on it, in the order of
    consideration. Append-only and under the session's chain, as positions on the agenda are legally decisive:
    the latest row is the order as it stands, the earlier ones say how it came to be."""

    __tablename__ = "agenda_orders"
    __table_args__ = (Index("ix_agenda_orders_session", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: the agenda items' document ids, first to be considered first
    items: Mapped[list[int]] = mapped_column(JSONType)
    #: the item the secretary moved (None when the whole order was given at once)
    moved_item_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    #: the version of the session's audit entry that records this order
    audit_version: Mapped[int | None]
