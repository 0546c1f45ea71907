"""Plenary sessions: planned with a date and place, the agenda built and approved, members registered,
items considered and voted, outcomes carried to the drafts, the protocol drawn up."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.council.organisation.queries import council_members, the_council
from workflow.council.sittings.models import AgendaItem, Attendance, PlenarySession, Vote
from workflow.council.sittings.records import record_attendance
from workflow.council.sittings.votes import check_quorum, hold_vote
from workflow.definitions.registry import registry_of
from workflow.engine import create_document, fire, lock_document
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotAllowed, WrongState
from workflow.i18n import N_
from workflow.people import SYSTEM, Actor, Person
from workflow.timeutil import as_utc, utcnow

SESSION_KINDS = ("regular", "extraordinary")


def plan_session(
    session: Session,
    secretary: Actor,
    *,
    number: int,
    starts_at: datetime,
    place: str,
    kind: str = "regular",
    now: datetime | None = None,
) -> Document:
    """A new plenary session of the current convocation, in the state `planned`."""
    if kind not in SESSION_KINDS:
        raise InvalidInput("sessions.session_value", N_("a session is {value}"), value=" or ".join(SESSION_KINDS))
    council = the_council(session)
    taken = session.scalar(
        select(PlenarySession.document_id).where(
            PlenarySession.council_id == council.id,
            PlenarySession.convocation == council.convocation,
            PlenarySession.number == number,
        )
    )
    if taken is not None:
        raise InvalidInput(
            "sessions.session_number_convocation_already",
            N_("session № {number} of this convocation already exists"),
            number=number,
        )
    title = f"{number} сесія {council.convocation} скликання"
    document = create_document(session, "session", secretary, title=title, fields={"kind": kind}, now=now)
    session.add(
        PlenarySession(
            document_id=document.id,
            council_id=council.id,
            convocation=council.convocation,
            number=number,
            kind=kind,
            starts_at=as_utc(starts_at),
            place=place,
        )
    )
    session.flush()
    return document


def agenda(session: Session, plenary: Document) -> list[tuple[AgendaItem, Document]]:
    """The session's agenda in order: each item's detail and its document."""
    rows = session.execute(
        select(AgendaItem, Document)
        .join(Document, Document.id == AgendaItem.document_id)
        .where(AgendaItem.session_id == plenary.id)
        .order_by(AgendaItem.position)
    ).all()
    return [(item, document) for item, document in rows]


def add_to_agenda(
    session: Session,
    plenary: Document,
    secretary: Actor,
    draft: Document,
    *,
    reporter: Person | None = None,
    now: datetime | None = None,
) -> Document:
    """Propose the draft as the next item of the session's agenda and put the draft on it.

    The draft's own rules apply (committee conclusions signed, published in time before this session).
    """
    if plenary.state not in ("planned", "convened", "in_progress"):
        raise WrongState("sessions.items_added_session_not", N_("items are added to a session that has not closed"))
    position = (
        session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.session_id == plenary.id)) or 0
    ) + 1
    put = fire(session, draft, "put_on_agenda", secretary, data={"session_id": plenary.id}, now=now)
    item = create_document(
        session,
        "agenda_item",
        secretary,
        parent=plenary,
        title=draft.title,
        fields={"draft_id": draft.id, "position": position},
        now=now,
    )
    session.add(
        AgendaItem(
            document_id=item.id,
            session_id=plenary.id,
            position=position,
            draft_id=draft.id,
            draft_version=put.version,
            reporter_id=None if reporter is None else reporter.id,
        )
    )
    session.flush()
    return item


def register(
    session: Session,
    plenary: Document,
    secretary: Actor,
    person: Person,
    *,
    present: bool = True,
    now: datetime | None = None,
) -> Attendance:
    """Register a council member as present at the session (or record that they left): a new row each time."""
    now = utcnow() if now is None else as_utc(now)
    if not secretary.holds("secretary"):
        raise NotAllowed("sessions.attendance_registered_secretary", N_("attendance is registered by the secretary"))
    if plenary.state not in ("convened", "in_progress"):
        raise WrongState(
            "sessions.attendance_registered_at_convened",
            N_("attendance is registered at a convened session"),
        )
    if person.id not in council_members(session, now):
        raise InvalidInput(
            "sessions.full_name_not_member",
            N_("{full_name} is not a member of the council"),
            full_name=person.full_name,
        )
    # every registration and every leaving is a row of its own, under the session's chain: nothing is rewritten
    attendance = Attendance(
        session_id=plenary.id, person_id=person.id, name=person.full_name, registered_at=now, present=present
    )
    record_attendance(session, attendance, plenary, secretary, now)
    return attendance


def approve_agenda(
    session: Session,
    plenary: Document,
    secretary: Actor,
    ballots: Mapping[int, str],
    *,
    now: datetime | None = None,
) -> Vote:
    """The council votes on the agenda; when it is approved, every proposed item is included."""
    # including the items is the secretary's move: refuse anyone else before the vote is recorded, not after
    if not secretary.holds("secretary"):
        raise NotAllowed(
            "sessions.agenda_s_approval_recorded",
            N_("the agenda's approval is recorded by the secretary, who then includes its items"),
        )
    vote = hold_vote(
        session,
        plenary,
        secretary,
        purpose="approve_agenda",
        subject=plenary,
        ballots=ballots,
        question="Про затвердження порядку денного",
        now=now,
    )
    if vote.result == "adopted":
        for _item, document in agenda(session, plenary):
            if document.state == "proposed":
                fire(session, document, "include", secretary, data={"vote_id": vote.id}, now=now)
    return vote


def add_item_by_vote(
    session: Session,
    plenary: Document,
    secretary: Actor,
    draft: Document,
    ballots: Mapping[int, str],
    *,
    reporter: Person | None = None,
    now: datetime | None = None,
) -> tuple[Document, Vote]:
    """During the sitting, after the agenda was approved: the council votes to add the draft as a new item.

    The item is proposed, the vote is held (quorum first), and the item is included only if the vote adopts it;
    otherwise it is removed and the draft waits for a later session, with the vote on record.
    """
    if plenary.state != "in_progress":
        raise WrongState("sessions.item_added_vote_during", N_("an item is added by vote during the sitting"))
    check_quorum(session, plenary, now=now)
    item = add_to_agenda(session, plenary, secretary, draft, reporter=reporter, now=now)
    vote = hold_vote(
        session,
        plenary,
        secretary,
        purpose="add_item",
        subject=item,
        ballots=ballots,
        question=f"Про включення до порядку денного питання «{draft.title}»",
        now=now,
    )
    if vote.result == "adopted":
        fire(session, item, "include", secretary, data={"vote_id": vote.id}, now=now)
    else:
        remove_item(session, item, secretary, "the council did not add it to the agenda", now=now)
    return item, vote


def vote_on_item(
    session: Session,
    plenary: Document,
    secretary: Actor,
    item: Document,
    ballots: Mapping[int, str],
    *,
    threshold: str = "majority",
    now: datetime | None = None,
) -> Vote:
    """The council votes on the draft an item considers; the item and its draft get the outcome."""
    now = utcnow() if now is None else as_utc(now)
    detail = session.get(AgendaItem, item.id)
    if detail is None or detail.session_id != plenary.id:
        raise InvalidInput(
            "sessions.title_not_agenda_session",
            N_("«{title}» is not on the agenda of this session"),
            title=item.title,
        )
    lock_document(session, plenary)  # the session before the item, as every vote takes them
    # before the item moves: a vote without quorum changes nothing (checked once: the session stays locked)
    quorum = check_quorum(session, plenary, now=now)
    if item.state not in ("included", "considering"):
        raise WrongState(
            "sessions.item_not_under_consideration",
            N_("«{title}» is not under consideration: it was {state}"),
            title=item.title,
            state=registry_of(session).get(item.kind, item.definition_version, session).state(item.state).title,
        )
    if item.state == "included":
        fire(session, item, "consider", secretary, now=now)
    vote = hold_vote(
        session,
        plenary,
        secretary,
        purpose="decision",
        subject=item,
        ballots=ballots,
        threshold=threshold,
        question=f"Про прийняття рішення «{item.title}» в цілому",
        now=now,
        quorum=quorum,
    )
    outcome = "adopt" if vote.result == "adopted" else "reject"
    fire(session, item, outcome, SYSTEM, data={"vote_id": vote.id}, now=now)
    if detail.draft_id is not None:
        draft = session.get(Document, detail.draft_id)
        if draft is not None:
            fire(session, draft, outcome, SYSTEM, data={"vote_id": vote.id}, now=now)
    return vote


def postpone_item(session: Session, item: Document, actor: Actor, reason: str, *, now: datetime | None = None) -> None:
    """Postpone an item; its draft waits for a later session."""
    fire(session, item, "postpone", actor, comment=reason, now=now)
    _postpone_draft_of(session, item, actor, reason, now)


def remove_item(session: Session, item: Document, actor: Actor, reason: str, *, now: datetime | None = None) -> None:
    """Take an item off the agenda; its draft, if still on it, waits for a later session (postponed)."""
    fire(session, item, "remove", actor, comment=reason, now=now)
    _postpone_draft_of(session, item, actor, reason, now)


def cancel_session(
    session: Session, plenary: Document, secretary: Actor, reason: str, *, now: datetime | None = None
) -> None:
    """Cancel a session that has not met; its open items are removed and their drafts wait for another."""
    fire(session, plenary, "cancel", secretary, comment=reason, now=now)
    for _detail, item in agenda(session, plenary):
        if item.state in ("proposed", "included"):
            remove_item(session, item, secretary, reason, now=now)


def _postpone_draft_of(session: Session, item: Document, actor: Actor, reason: str, now: datetime | None) -> None:
    detail = session.get(AgendaItem, item.id)
    draft = session.get(Document, detail.draft_id) if detail is not None and detail.draft_id else None
    if draft is not None and draft.state == "on_agenda":
        fire(session, draft, "postpone", actor, comment=reason, now=now)


def close_session(session: Session, plenary: Document, actor: Actor, *, now: datetime | None = None) -> Document:
    """Close the sitting and start its protocol."""
    fire(session, plenary, "close", actor, now=now)
    return create_document(
        session, "session_protocol", SYSTEM, parent=plenary, title=f"Протокол: {plenary.title}", now=now
    )
