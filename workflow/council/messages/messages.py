"""Citizens' messages to deputies: written, read, answered publicly or privately, closed; a message waiting for
its deputy's answer stays in the deputy's inbox with its age."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.organisation.queries import holders
from workflow.engine import Fired, create_document, edit_document, fire
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotAllowed, WrongState
from workflow.i18n import N_
from workflow.people import Actor, Person
from workflow.timeutil import as_utc, utcnow

KIND = "citizen_message"
#: a message in these states waits for its deputy
OPEN_STATES = ("sent", "delivered")


@dataclass(frozen=True, slots=True)
class InboxEntry:
    message: Document
    #: whole days since the citizen wrote
    age_days: int
    #: when the answer is due (ten working days after reading); None before the deputy read it
    due_at: datetime | None


def write_to_deputy(
    session: Session, citizen: Actor, deputy: Person, subject: str, text: str, *, now: datetime | None = None
) -> Document:
    """A citizen's message to one deputy of the council, in the state `sent`."""
    now = utcnow() if now is None else as_utc(now)
    subject, text = subject.strip(), text.strip()
    if not subject:
        raise InvalidInput("messages.message_no_subject", N_("the message has no subject"))
    if not text:
        raise InvalidInput("messages.message_no_text", N_("the message has no text"))
    if not _is_deputy(session, deputy.id, now):
        raise InvalidInput(
            "messages.full_name_not_deputy",
            N_("{full_name} is not a deputy of the council"),
            full_name=deputy.full_name,
        )
    return create_document(
        session, KIND, citizen, title=subject, fields={"deputy_id": deputy.id, "text": text}, now=now
    )


def read_message(session: Session, message: Document, deputy: Actor, *, now: datetime | None = None) -> Fired:
    """The deputy opened the message: it is delivered, and the answer's deadline starts."""
    _check_kind(message)
    return fire(session, message, "read", deputy, now=now)


def answer(
    session: Session, message: Document, deputy: Actor, text: str, *, public: bool, now: datetime | None = None
) -> Fired:
    """The deputy's answer, written into the message and shown publicly or only to the citizen.

    Everything that could refuse the move is checked before the answer is written, so a refusal leaves nothing.
    """
    _check_kind(message)
    text = text.strip()
    if not text:
        raise InvalidInput("messages.answer_empty_write_first", N_("the answer is empty: write it first"))
    if deputy.id is None or message.fields.get("deputy_id") != deputy.id:
        raise NotAllowed(
            "messages.only_deputy_message_addressed",
            N_("only the deputy the message is addressed to can answer it"),
        )
    if message.state == "sent":
        raise WrongState("messages.mark_message_as_read", N_("mark the message as read before answering it"))
    if message.state != "delivered":
        raise WrongState("messages.message_already_been_answered", N_("the message has already been answered"))
    edit_document(session, message, deputy, fields={"answer": text}, now=now)
    return fire(session, message, "answer_publicly" if public else "answer_privately", deputy, now=now)


def close_message(session: Session, message: Document, actor: Actor, *, now: datetime | None = None) -> Fired:
    """Close an answered message (the citizen, the deputy, or the system after a while)."""
    _check_kind(message)
    return fire(session, message, "close", actor, now=now)


def inbox(session: Session, deputy_id: int, now: datetime | None = None) -> list[InboxEntry]:
    """The deputy's messages still waiting for an answer, oldest first, each with its age in days."""
    now = utcnow() if now is None else as_utc(now)
    messages = session.scalars(
        select(Document)
        .where(
            Document.kind == KIND,
            Document.state.in_(OPEN_STATES),
            Document.fields["deputy_id"].as_integer() == deputy_id,
        )
        .order_by(Document.created_at, Document.id)
    )
    return [InboxEntry(message, (now - as_utc(message.created_at)).days, message.due_at) for message in messages]


def _check_kind(message: Document) -> None:
    if message.kind != KIND:
        raise InvalidInput(
            "messages.document_id_not_citizen",
            N_("document {id} is not a citizen's message"),
            id=message.id,
        )


def _is_deputy(session: Session, person_id: int, at: datetime) -> bool:
    """Whether the person holds a deputy's mandate at `at` (a mandate, never a delegated authority)."""
    return person_id in holders(session, ("deputy",), None, at)
