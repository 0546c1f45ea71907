"""The questions a sitting votes on, and one way to record any of them whichever way its ballots came in.

A question is a purpose and its subject: approving the agenda (the session), deciding an item (the agenda item),
adding a draft to the agenda during the sitting (the draft), overriding the mayor's veto of a decision (the
vetoed draft). `put_to_vote` records the vote through the sittings' operations — the quorum, the registration,
the conflicts of interest and a second vote on the question are checked there — and then how it was taken.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.sittings import sessions
from workflow.council.sittings.console_models import VoteSource
from workflow.council.sittings.console_records import record_source
from workflow.council.sittings.models import AgendaItem, Vote
from workflow.council.sittings.votes import hold_vote, latest_vote
from workflow.engine import fire
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotAllowed, WrongState
from workflow.i18n import N_
from workflow.people import Actor
from workflow.timeutil import as_utc, utcnow

#: what the console puts to the vote
PURPOSES = ("approve_agenda", "decision", "add_item", "veto_override")
METHODS = ("ticked", "imported", "cabinets")


@dataclass(frozen=True, slots=True)
class Question:
    purpose: str
    subject: Document
    #: what is put to the vote, in words, as the protocol will say it
    text: str
    #: "majority" or "two_thirds" of the total composition
    threshold: str


@dataclass(frozen=True, slots=True)
class Source:
    """How the ballots came in (and, for a file, which one)."""

    method: str
    file_name: str | None = None
    file_format: str | None = None
    file_sha256: str | None = None
    file_question: int | None = None
    open_vote_id: int | None = None


def question(session: Session, plenary: Document, purpose: str, subject_id: int) -> Question:
    """The question `purpose` about `subject_id` at this sitting, or a refusal saying why there is none."""
    if purpose not in PURPOSES:
        raise InvalidInput("questions.unknown_purpose", N_("there is no such question to vote on"))
    subject = session.get(Document, subject_id)
    if purpose == "approve_agenda":
        if subject is None or subject.id != plenary.id:
            raise InvalidInput("questions.agenda_of_this_session", N_("the agenda voted on is this session's"))
        return Question(purpose, plenary, "Про затвердження порядку денного", "majority")
    if purpose == "decision":
        detail = None if subject is None else session.get(AgendaItem, subject.id)
        if subject is None or detail is None or detail.session_id != plenary.id:
            raise InvalidInput("questions.not_an_item", N_("the item is not on the agenda of this session"))
        draft = None if detail.draft_id is None else session.get(Document, detail.draft_id)
        asked = None if draft is None else draft.fields.get("majority")
        threshold = asked if asked in ("majority", "two_thirds") else "majority"
        return Question(purpose, subject, f"Про прийняття рішення «{subject.title}» в цілому", str(threshold))
    if subject is None or subject.kind != "decision_draft":
        raise InvalidInput("questions.not_a_draft", N_("there is no such draft decision"))
    if purpose == "add_item":
        return Question(purpose, subject, f"Про включення до порядку денного питання «{subject.title}»", "majority")
    if subject.state != "vetoed":
        raise WrongState(
            "questions.not_vetoed",
            N_("«{title}» was not returned with the mayor's veto"),
            title=subject.title,
        )
    return Question(purpose, subject, f"Про подолання вето міського голови на рішення «{subject.title}»", "two_thirds")


def put_to_vote(
    session: Session,
    plenary: Document,
    actor: Actor,
    asked: Question,
    ballots: Mapping[int, str],
    source: Source,
    *,
    now: datetime | None = None,
) -> Vote:
    """Record the council's vote on the question, its consequences (the agenda's items included, the item and
    its draft adopted or rejected, the item added, the veto overridden) and how its ballots came in."""
    now = utcnow() if now is None else as_utc(now)
    if not actor.holds("secretary"):
        raise NotAllowed("questions.secretary_records", N_("the votes of the sitting are recorded by the secretary"))
    if source.method not in METHODS:
        raise InvalidInput("questions.unknown_method", N_("unknown way of taking a vote"))
    if asked.purpose == "approve_agenda":
        vote = sessions.approve_agenda(session, plenary, actor, ballots, now=now)
    elif asked.purpose == "decision":
        vote = sessions.vote_on_item(
            session, plenary, actor, asked.subject, ballots, threshold=asked.threshold, now=now
        )
    elif asked.purpose == "add_item":
        _item, vote = sessions.add_item_by_vote(session, plenary, actor, asked.subject, ballots, now=now)
    else:
        vote = hold_vote(
            session,
            plenary,
            actor,
            purpose="veto_override",
            question=asked.text,
            ballots=ballots,
            subject=asked.subject,
            threshold="two_thirds",
            now=now,
        )
        if vote.result == "adopted":
            fire(session, asked.subject, "override_veto", actor, data={"vote_id": vote.id}, now=now)
    record_source(
        session,
        VoteSource(
            vote_id=vote.id,
            method=source.method,
            file_name=source.file_name,
            file_format=source.file_format,
            file_sha256=source.file_sha256,
            file_question=source.file_question,
            open_vote_id=source.open_vote_id,
        ),
        plenary,
        actor,
        now,
    )
    return vote


def source_of(session: Session, vote_id: int) -> VoteSource | None:
    return session.get(VoteSource, vote_id)


def agenda_approved(session: Session, plenary: Document) -> Vote | None:
    """The latest vote on the agenda (adopted or not)."""
    return latest_vote(session, plenary.id, "approve_agenda")


def votes_at(session: Session, plenary: Document) -> list[Vote]:
    """The sitting's votes, in the order held."""
    return list(session.scalars(select(Vote).where(Vote.session_id == plenary.id).order_by(Vote.id)))
