"""Votes cast from the members' own cabinets: the secretary opens the question, each registered member casts one
ballot, the secretary closes it and the vote is recorded from the ballots cast (a registered member who cast
none did not vote), or withdraws it. One question is open at a time at a sitting; every step is taken under the
session's lock, so a ballot never slips in after the close."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.organisation.queries import council_members
from workflow.council.sittings.conflicts import conflicted
from workflow.council.sittings.console_models import CastBallot, OpenVote
from workflow.council.sittings.models import Vote
from workflow.council.sittings.questions import Question, Source, put_to_vote
from workflow.council.sittings.votes import registered_members
from workflow.engine import lock_document
from workflow.engine.models import Document
from workflow.errors import Conflict, GuardFailed, InvalidInput, NotAllowed, WrongState
from workflow.i18n import N_
from workflow.people import Actor
from workflow.timeutil import as_utc, utcnow

#: what a member may cast from the cabinet
CAST_CHOICES = ("for", "against", "abstain")


def open_vote_of(session: Session, plenary_id: int) -> OpenVote | None:
    """The question open for the cabinets at the sitting, if any."""
    return session.scalar(
        select(OpenVote).where(OpenVote.session_id == plenary_id, OpenVote.closed_at.is_(None)).limit(1)
    )


def open_for_cabinets(
    session: Session, plenary: Document, secretary: Actor, asked: Question, *, now: datetime | None = None
) -> OpenVote:
    now = utcnow() if now is None else as_utc(now)
    if not secretary.holds("secretary"):
        raise NotAllowed("cabinet_votes.secretary_opens", N_("a vote is opened and closed by the secretary"))
    lock_document(session, plenary)
    if plenary.state != "in_progress":
        raise WrongState("votes.votes_held_only_while", N_("votes are held only while the sitting is in progress"))
    if open_vote_of(session, plenary.id) is not None:
        raise Conflict(
            "cabinet_votes.another_open",
            N_("another question is open for voting: close it or withdraw it first"),
        )
    row = OpenVote(
        session_id=plenary.id,
        purpose=asked.purpose,
        subject_id=asked.subject.id,
        question=asked.text,
        opened_by_id=secretary.id,
        opened_at=now,
    )
    session.add(row)
    session.flush()
    return row


def cast(
    session: Session, plenary: Document, member: Actor, open_vote_id: int, choice: str, *, now: datetime | None = None
) -> CastBallot:
    """The member's one ballot in the open vote."""
    now = utcnow() if now is None else as_utc(now)
    if choice not in CAST_CHOICES:
        raise InvalidInput("cabinet_votes.unknown_choice", N_("vote for, against or abstain"))
    lock_document(session, plenary)  # under the lock the secretary closes it with
    row = session.get(OpenVote, open_vote_id)
    if row is None or row.session_id != plenary.id or row.closed_at is not None:
        raise WrongState("cabinet_votes.closed", N_("the vote is closed: no more ballots are taken"))
    if member.id is None or member.id not in council_members(session, now):
        raise NotAllowed("cabinet_votes.members_only", N_("only members of the council vote"))
    if member.id not in registered_members(session, plenary.id):
        raise GuardFailed(
            "cabinet_votes.not_registered",
            N_("you are not registered at the sitting: ask the secretary to register you, then vote"),
        )
    if member.id in conflicted(session, row.subject_id):
        raise GuardFailed(
            "cabinet_votes.conflicted",
            N_("you declared a conflict of interest on this question and do not vote on it"),
        )
    already = session.scalar(
        select(CastBallot.choice).where(CastBallot.open_vote_id == row.id, CastBallot.person_id == member.id)
    )
    if already is not None:
        raise Conflict("cabinet_votes.already_cast", N_("you have already voted on this question"))
    ballot = CastBallot(open_vote_id=row.id, person_id=member.id, choice=choice, cast_at=now)
    session.add(ballot)
    session.flush()
    return ballot


def cast_ballots(session: Session, open_vote_id: int) -> dict[int, str]:
    return dict(
        session.execute(
            select(CastBallot.person_id, CastBallot.choice).where(CastBallot.open_vote_id == open_vote_id)
        ).all()
    )


def close(
    session: Session,
    plenary: Document,
    secretary: Actor,
    open_vote_id: int,
    asked: Question,
    *,
    now: datetime | None = None,
) -> Vote:
    """Close the open vote and record it from the ballots cast."""
    now = utcnow() if now is None else as_utc(now)
    if not secretary.holds("secretary"):
        raise NotAllowed("cabinet_votes.secretary_opens", N_("a vote is opened and closed by the secretary"))
    lock_document(session, plenary)
    row = _the_open(session, plenary, open_vote_id)
    vote = put_to_vote(
        session,
        plenary,
        secretary,
        asked,
        cast_ballots(session, row.id),
        Source("cabinets", open_vote_id=row.id),
        now=now,
    )
    row.closed_at, row.vote_id = now, vote.id
    session.flush()
    return vote


def withdraw(
    session: Session, plenary: Document, secretary: Actor, open_vote_id: int, *, now: datetime | None = None
) -> None:
    """Withdraw the open vote without recording it (its ballots are kept, the vote is not)."""
    now = utcnow() if now is None else as_utc(now)
    if not secretary.holds("secretary"):
        raise NotAllowed("cabinet_votes.secretary_opens", N_("a vote is opened and closed by the secretary"))
    lock_document(session, plenary)
    row = _the_open(session, plenary, open_vote_id)
    row.closed_at = now
    session.flush()


def _the_open(session: Session, plenary: Document, open_vote_id: int) -> OpenVote:
    row = session.get(OpenVote, open_vote_id)
    if row is None or row.session_id != plenary.id or row.closed_at is not None:
        raise WrongState("cabinet_votes.closed", N_("the vote is closed: no more ballots are taken"))
    return row
