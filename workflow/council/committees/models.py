"""A standing committee's meetings: when and where, the papers considered (the conclusions it votes on), its
members' attendance, and which of the committee's votes were held at which meeting."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base
from workflow.timeutil import utcnow


class CommitteeMeeting(Base):
    """The detail of a `committee_meeting` document: which committee meets, when and where."""

    __tablename__ = "committee_meetings"
    __table_args__ = (Index("ix_committee_meetings_committee", "committee_id", "starts_at"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    place: Mapped[str] = mapped_column(String(300))


class MeetingPaper(Base):
    """A paper on a meeting's agenda: a conclusion of the committee on a draft referred to it."""

    __tablename__ = "committee_meeting_papers"
    __table_args__ = (UniqueConstraint("meeting_id", "conclusion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    conclusion_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: 1, 2, 3, ... the order of consideration
    position: Mapped[int]


class CommitteeAttendance(Base):
    """A committee member's presence at a meeting, or their leaving: append-only, one row per change, each under
    the meeting's chain; a member's presence is their latest row (by the meeting's log)."""

    __tablename__ = "committee_attendance"
    __table_args__ = (Index("ix_committee_attendance_meeting", "meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    #: the member's name as registered, as the protocol gives it
    name: Mapped[str] = mapped_column(String(300))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: False when the member left
    present: Mapped[bool] = mapped_column(default=True)
    #: the version of the meeting's audit entry that records this row
    audit_version: Mapped[int]


class MeetingVote(Base):
    """Which committee vote (recorded in its conclusion's chain) was held at which meeting: append-only, under
    the meeting's chain, so the protocol's roll calls cannot be moved to another meeting unseen."""

    __tablename__ = "committee_meeting_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"), unique=True)
    #: the version of the meeting's audit entry that records this row
    audit_version: Mapped[int]
