"""Persons and their accounts, as the administrator keeps them: a person is added with or without an e-mail
address (an account is opened by the link that lets them set a password), renamed or given another address,
deactivated (every session of theirs ends at once) and reactivated. Only an administrator does any of it; each
change is in the person's history.

Operations take the session, the administrator and `now`, flush, and never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from workflow.council.accounts.history import record
from workflow.council.accounts.models import PasswordReset
from workflow.council.citizens.registration import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, normal_address, valid_address
from workflow.db import unicode_lower
from workflow.errors import InvalidInput, NotAllowed
from workflow.i18n import LOCALES, N_
from workflow.people import ADMIN_ROLE, Actor, Person, deactivate_person

#: persons listed on one page
PAGE_SIZE = 50
#: the longest search text taken
MAX_QUERY_LENGTH = 200


def check_admin(actor: Actor) -> None:
    if not actor.holds(ADMIN_ROLE):
        raise NotAllowed("accounts.admin_only", N_("only an administrator manages persons, accounts and roles"))


def account_state(person: Person) -> str:
    """'deactivated', 'active', 'invited' (an address, no password yet) or 'none' (cannot sign in)."""
    if person.deactivated_at is not None:
        return "deactivated"
    if person.password_hash is not None:
        return "active"
    return "invited" if person.email else "none"


def _name(full_name: str) -> str:
    name = " ".join(full_name.split())
    if not name:
        raise InvalidInput("accounts.no_name", N_("write the person's full name"))
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput("accounts.name_too_long", N_("a name is at most {max} characters"), max=MAX_NAME_LENGTH)
    return name


def _address(session: Session, email: str | None, *, owner: Person | None = None) -> str | None:
    """The address as kept (lower case), refused when it is not one or belongs to someone else; None for none."""
    if email is None or not email.strip():
        return None
    address = normal_address(email)
    if len(address) > MAX_EMAIL_LENGTH or not valid_address(address):
        raise InvalidInput("accounts.bad_address", N_("«{email}» is not an e-mail address"), email=email.strip())
    taken = session.scalar(select(Person).where(func.lower(Person.email) == address))
    if taken is not None and taken is not owner:
        raise InvalidInput(
            "accounts.address_taken",
            N_("{email} is the address of {full_name} already"),
            email=address,
            full_name=taken.full_name,
        )
    return address


def _locale(locale: str) -> str:
    if locale not in LOCALES:
        raise InvalidInput("accounts.bad_locale", N_("the language is one of: {value}"), value=", ".join(LOCALES))
    return locale


def create_person(
    session: Session, actor: Actor, full_name: str, email: str | None, *, locale: str = "uk", now: datetime
) -> Person:
    """A new person, without a password: with an address, the link sent to it opens their account."""
    check_admin(actor)
    person = Person(
        full_name=_name(full_name),
        email=_address(session, email),
        locale=_locale(locale),
        password_hash=None,
        created_at=now,
        email_confirmed_at=now,  # the council vouches for the address it gives
    )
    session.add(person)
    session.flush()
    record(session, person, actor, "created", now, full_name=person.full_name, email=person.email)
    return person


def edit_person(
    session: Session, actor: Actor, person: Person, full_name: str, email: str | None, *, locale: str, now: datetime
) -> bool:
    """Rename a person, give them another address (or none) or another language; False when nothing changed.
    Links to set a password sent to the old address stop working."""
    check_admin(actor)
    name, address, language = _name(full_name), _address(session, email, owner=person), _locale(locale)
    before = {"full_name": person.full_name, "email": person.email, "locale": person.locale}
    after = {"full_name": name, "email": address, "locale": language}
    changed = {key: [before[key], value] for key, value in after.items() if before[key] != value}
    if not changed:
        return False
    if "email" in changed:
        if address is None and person.password_hash is not None and person.deactivated_at is None:
            raise InvalidInput(
                "accounts.account_needs_address",
                N_("{full_name} signs in with the address: deactivate the account before taking it away"),
                full_name=person.full_name,
            )
        void_resets(session, person, now)
        person.email_confirmed_at = now if address is not None else None
    person.full_name, person.email, person.locale = name, address, language
    session.flush()
    record(session, person, actor, "edited", now, **changed)
    return True


def deactivate(session: Session, actor: Actor, person: Person, *, reason: str = "", now: datetime) -> None:
    """Close the account: every session ends at once, no link opens it, nobody signs in with it."""
    check_admin(actor)
    deactivate_person(session, actor, person, now=now)
    void_resets(session, person, now)
    record(session, person, actor, "deactivated", now, reason=reason.strip() or None)


def reactivate(session: Session, actor: Actor, person: Person, *, now: datetime) -> None:
    """Open a deactivated account again: the person signs in with the password they had (sessions from before the
    deactivation stay ended)."""
    check_admin(actor)
    if person.deactivated_at is None:
        raise InvalidInput(
            "accounts.not_deactivated", N_("{full_name}'s account is not deactivated"), full_name=person.full_name
        )
    person.deactivated_at = None
    session.flush()
    record(session, person, actor, "reactivated", now)


def void_resets(session: Session, person: Person, now: datetime) -> None:
    """Every link to set this person's password that is still open stops working."""
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.person_id == person.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )


# --- finding persons ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Found:
    persons: list[Person]
    total: int
    page: int
    pages: int


def find_persons(session: Session, text: str = "", *, page: int = 1) -> Found:
    """Persons whose name or address holds `text` (any case), by name, a page of PAGE_SIZE at a time."""
    query = select(Person)
    words = text.strip()[:MAX_QUERY_LENGTH].lower()
    if words:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                unicode_lower(session, Person.full_name).like(pattern, escape="\\"),
                func.lower(func.coalesce(Person.email, "")).like(pattern, escape="\\"),
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    persons = session.scalars(
        query.order_by(Person.full_name, Person.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    return Found(list(persons), total, page, pages)
