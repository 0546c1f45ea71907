"""A citizen registers with a name, an e-mail address and a password, and confirms the address from the link
sent to it; only then may they write to a deputy. The confirmation link itself (signed, expiring) and the
e-mail that carries it are the edge's business: here, a person is made unconfirmed and later confirmed.

A registration with an address that already has an account changes nothing and says so to nobody: the one who
registers is told the same either way, so the form cannot be used to learn who has an account."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.council.messages.messages import write_to_deputy
from workflow.council.organisation.setup import grant
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotAllowed
from workflow.i18n import N_, locale_of
from workflow.people import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, Actor, Person, get_person, hash_password
from workflow.timeutil import as_utc, utcnow

CITIZEN_ROLE = "citizen"
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254
MAX_SUBJECT_LENGTH = 200
MAX_TEXT_LENGTH = 5000
#: one "@", something on each side, a dot in the domain, no spaces: the link sent there proves the rest
_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class Registration:
    #: the new, unconfirmed person; None when the address already had an account (then nothing changed)
    person: Person | None
    #: the account the address already had, when it is still unconfirmed: its owner gets the link again (an
    #: expired one is replaced so), and nothing of the account changes
    unconfirmed: Person | None = None

    @property
    def to_confirm(self) -> Person | None:
        """Whom a confirmation link goes to: the new person, or the unconfirmed owner of the address."""
        return self.person or self.unconfirmed


def normal_address(email: str) -> str:
    return email.strip().lower()


def valid_address(address: str) -> bool:
    """Whether a (normal) address looks like one: the link sent there proves the rest."""
    return bool(_ADDRESS.match(address))


def register_citizen(
    session: Session, full_name: str, email: str, password: str, *, locale: str = "uk", now: datetime | None = None
) -> Registration:
    """A citizen's account, its address not yet confirmed; refused with the reason for a bad name, address or
    password. An address someone has already gives `Registration(None)` after as much work as a new one."""
    now = utcnow() if now is None else as_utc(now)
    full_name, address = " ".join(full_name.split()), normal_address(email)
    if not full_name:
        raise InvalidInput("citizens.no_name", N_("write your name"))
    if len(full_name) > MAX_NAME_LENGTH:
        raise InvalidInput("citizens.name_too_long", N_("a name is at most {max} characters"), max=MAX_NAME_LENGTH)
    if len(address) > MAX_EMAIL_LENGTH or not _ADDRESS.match(address):
        raise InvalidInput("citizens.bad_address", N_("this is not an e-mail address"))
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            "people.password_length",
            N_("a password has from {min} to {max} characters (this one has {length})"),
            min=MIN_PASSWORD_LENGTH,
            max=MAX_PASSWORD_LENGTH,
            length=len(password),
        )
    hashed = hash_password(password)  # also for a taken address: the answer takes as long either way
    taken = session.scalar(select(Person).where(func.lower(Person.email) == address))
    if taken is not None:
        return Registration(None, taken if taken.email_confirmed_at is None and taken.deactivated_at is None else None)
    person = Person(
        full_name=full_name,
        email=address,
        locale=locale_of(locale),
        password_hash=hashed,
        created_at=now,
    )
    session.add(person)
    session.flush()
    # (after the insert: a None given to the constructor would take the column's default, "confirmed now")
    person.email_confirmed_at = None
    session.flush()
    grant(session, person, CITIZEN_ROLE)
    return Registration(person)


def confirm_email(session: Session, person_id: int, email: str, *, now: datetime | None = None) -> Person:
    """The person followed the link sent to `email`: the address is theirs. A link for an address the person no
    longer has is refused; confirming twice changes nothing."""
    now = utcnow() if now is None else as_utc(now)
    person = session.get(Person, person_id)
    if person is None or person.email is None or normal_address(person.email) != normal_address(email):
        raise InvalidInput("citizens.link_not_valid", N_("this confirmation link is not valid"))
    if person.email_confirmed_at is None:
        person.email_confirmed_at = now
        session.flush()
    return person


def is_confirmed(person: Person) -> bool:
    return person.email_confirmed_at is not None


def write_as_citizen(
    session: Session,
    citizen: Actor,
    deputy_id: int,
    subject: str,
    text: str,
    *,
    now: datetime | None = None,
) -> Document:
    """A signed-in citizen's message to a deputy: only from a confirmed address, within the lengths."""
    if citizen.id is None or not citizen.holds(CITIZEN_ROLE):
        raise NotAllowed("citizens.only_citizens_write", N_("only a citizen's account writes to deputies"))
    if not is_confirmed(get_person(session, citizen.id)):
        raise NotAllowed(
            "citizens.confirm_first", N_("confirm your e-mail address first: follow the link in the e-mail")
        )
    if len(subject) > MAX_SUBJECT_LENGTH:
        raise InvalidInput(
            "citizens.subject_too_long", N_("a subject is at most {max} characters"), max=MAX_SUBJECT_LENGTH
        )
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput("citizens.text_too_long", N_("a message is at most {max} characters"), max=MAX_TEXT_LENGTH)
    return write_to_deputy(session, citizen, get_person(session, deputy_id), subject, text, now=now)


def messages_of(session: Session, citizen_id: int) -> list[Document]:
    """The citizen's own messages, newest first."""
    return list(
        session.scalars(
            select(Document)
            .where(Document.kind == "citizen_message", Document.author_id == citizen_id)
            .order_by(Document.created_at.desc(), Document.id.desc())
        )
    )
