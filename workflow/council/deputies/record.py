"""A deputy's voting record: every roll-call vote of the council at a sitting the public may see, with the
deputy's choice, filtered and paged; and how often the deputy voted as the council's majority did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Case, Select, case, func, select
from sqlalchemy.orm import Session

from workflow.council.sittings.models import Ballot, PlenarySession, Vote
from workflow.council.sittings.votes import CHOICES
from workflow.engine.models import Document

#: the states of a session whose votes are public (a sitting held or being held)
PUBLIC_SESSION_STATES = ("in_progress", "closed")
#: the choices that take a side; "not_voted" and "absent" take none, and count neither way for agreement
SIDES = ("for", "against", "abstain")
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class Cast:
    """One vote and the deputy's ballot in it."""

    vote_id: int
    #: (never None here: only the council's votes at a sitting are in the record)
    session_id: int | None
    session_number: int
    held_at: datetime
    question: str
    #: "adopted" or "rejected"
    result: str
    #: the deputy's choice: one of `CHOICES`
    choice: str


@dataclass(frozen=True, slots=True)
class RecordPage:
    casts: tuple[Cast, ...]
    #: votes matching the filter, over every page
    total: int
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class Agreement:
    """Of the votes where the deputy took a side and the council's majority was clear, how many agreed."""

    #: votes where the deputy voted for, against or abstained, and one side had more ballots than each other
    counted: int
    with_majority: int

    @property
    def rate(self) -> float | None:
        return None if self.counted == 0 else self.with_majority / self.counted


@dataclass(frozen=True, slots=True)
class SessionChoice:
    """A session the deputy has ballots in, for the record's filter."""

    session_id: int
    number: int
    starts_at: datetime


def voting_record(
    session: Session,
    person_id: int,
    *,
    choice: str | None = None,
    session_id: int | None = None,
    page: int = 1,
    page_size: int | None = None,
    total: int | None = None,
) -> RecordPage:
    """The deputy's ballots, newest vote first, `page_size` a page (two queries: the count and the page; one when
    the count of what the filter matches is known, as `RecordSummary.total` tells it). An unknown `choice` matches
    nothing; a page past the last gives the last."""
    page_size = PAGE_SIZE if page_size is None else page_size
    query = _ballots(person_id)
    if choice is not None:
        query = query.where(Ballot.choice == (choice if choice in CHOICES else ""))
    if session_id is not None:
        query = query.where(Vote.session_id == session_id)
    if total is None:
        total = session.scalar(select(func.count()).select_from(query.with_only_columns(Ballot.id).subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = session.execute(
        query.order_by(Vote.held_at.desc(), Vote.id.desc()).limit(page_size).offset((page - 1) * page_size)
    ).all()
    return RecordPage(tuple(Cast(*row) for row in rows), total, page, pages)


def record_sessions(session: Session, person_id: int) -> list[SessionChoice]:
    """The public sessions in which the deputy has ballots, newest first."""
    rows = session.execute(
        select(PlenarySession.document_id, PlenarySession.number, PlenarySession.starts_at)
        .where(
            PlenarySession.document_id.in_(
                _ballots(person_id).with_only_columns(Vote.session_id).distinct().scalar_subquery()
            )
        )
        .order_by(PlenarySession.starts_at.desc())
    ).all()
    return [SessionChoice(*row) for row in rows]


def agreement(session: Session, person_id: int) -> Agreement:
    """How often the deputy's side was the side most ballots took (one query). The majority of a vote is the
    choice of most members among for, against and abstain; a tie has none and is not counted."""
    majority = _majority()
    rows = (
        _ballots(person_id)
        .with_only_columns(Ballot.choice.label("choice"), majority.label("majority"))
        .where(Ballot.choice.in_(SIDES))
        .subquery()
    )
    counted, agreed = session.execute(
        select(
            func.count().filter(rows.c.majority.is_not(None)),
            func.count().filter(rows.c.majority == rows.c.choice),
        )
    ).one()
    return Agreement(int(counted), int(agreed))


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """What a deputy's page tells of the whole record, read in one pass over it: the sessions to filter by, the
    agreement with the majority, and how many ballots each filter matches."""

    sessions: list[SessionChoice]
    agreement: Agreement
    #: ballots per (session, choice)
    counts: dict[tuple[int, str], int]

    def total(self, choice: str | None = None, session_id: int | None = None) -> int:
        """The ballots a filter of the record matches (as `voting_record` counts them)."""
        return sum(
            n
            for (in_session, chosen), n in self.counts.items()
            if (choice is None or chosen == choice) and (session_id is None or in_session == session_id)
        )


def record_summary(session: Session, person_id: int) -> RecordSummary:
    """`record_sessions`, `agreement` and the record's counts by session and choice, in one query grouped by
    session and choice: its rows grow with the sessions, never with the ballots."""
    majority = _majority()
    rows = session.execute(
        _ballots(person_id)
        .with_only_columns(
            Vote.session_id,
            PlenarySession.number,
            PlenarySession.starts_at,
            Ballot.choice,
            func.count(),
            func.count().filter(majority.is_not(None)),
            func.count().filter(majority == Ballot.choice),
        )
        .group_by(Vote.session_id, PlenarySession.number, PlenarySession.starts_at, Ballot.choice)
    ).all()
    sessions: dict[int, SessionChoice] = {}
    counts: dict[tuple[int, str], int] = {}
    counted = agreed = 0
    for session_id, number, starts_at, choice, ballots, with_majority, same in rows:
        if session_id is None:
            continue
        sessions.setdefault(session_id, SessionChoice(session_id, number, starts_at))
        counts[(session_id, choice)] = int(ballots)
        if choice in SIDES:
            counted += int(with_majority)
            agreed += int(same)
    listed = sorted(sessions.values(), key=lambda s: s.starts_at, reverse=True)
    return RecordSummary(listed, Agreement(counted, agreed), counts)


def _majority() -> Case[Any]:
    """The choice of most members among for, against and abstain; None on a tie."""
    return case(
        (
            (Vote.votes_for > Vote.votes_against) & (Vote.votes_for > Vote.abstained),
            "for",
        ),
        (
            (Vote.votes_against > Vote.votes_for) & (Vote.votes_against > Vote.abstained),
            "against",
        ),
        (
            (Vote.abstained > Vote.votes_for) & (Vote.abstained > Vote.votes_against),
            "abstain",
        ),
        else_=None,
    )


def _ballots(person_id: int) -> Select[int, int | None, int, datetime, str, str, str]:
    """The deputy's ballots in the council's votes at public sessions."""
    return (
        select(
            Vote.id,
            Vote.session_id,
            PlenarySession.number,
            Vote.held_at,
            Vote.question,
            Vote.result,
            Ballot.choice,
        )
        .select_from(Ballot)
        .join(Vote, Vote.id == Ballot.vote_id)
        .join(PlenarySession, PlenarySession.document_id == Vote.session_id)
        .join(Document, Document.id == Vote.session_id)
        .where(
            Ballot.person_id == person_id,
            Vote.committee_id.is_(None),
            Document.state.in_(PUBLIC_SESSION_STATES),
        )
    )
