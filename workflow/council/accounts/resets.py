"""Links to set a password: an administrator sends one (to a new person, it opens their account; to anyone,
it replaces a forgotten password), or a person asks for one from the sign-in page. Each link holds a random secret
of which only the hash is kept; it is valid for `RESET_HOURS` and works once: setting a password with it (or a
later change of the address, a deactivation) closes it, and every session of the person ends.

The link's text (signed, carrying the reset's id and the secret) and the e-mail are the edges' business."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from workflow.council.accounts.accounts import check_admin, void_resets
from workflow.council.accounts.history import record
from workflow.council.accounts.models import PasswordReset
from workflow.council.citizens.registration import normal_address
from workflow.errors import InvalidInput
from workflow.i18n import N_, message
from workflow.people import Actor, Person, check_new_password, end_sessions, hash_password, load_actor
from workflow.timeutil import as_utc

#: how long a link to set a password works
RESET_HOURS = 24

LINK_NOT_VALID = "accounts.link_not_valid"
LINK_EXPIRED = "accounts.link_expired"
LINK_USED = "accounts.link_used"
_NOT_VALID = message(LINK_NOT_VALID, N_("this link to set a password is not valid"))
_EXPIRED = message(LINK_EXPIRED, N_("this link has expired: ask for a new one"))
_USED = message(LINK_USED, N_("this link was used already: ask for a new one"))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _issue(session: Session, person: Person, requested_by: Actor | None, now: datetime) -> tuple[PasswordReset, str]:
    secret = secrets.token_urlsafe(32)
    reset = PasswordReset(
        person_id=person.id,
        secret_hash=_digest(secret),
        requested_by_id=None if requested_by is None else requested_by.id,
        created_at=now,
        expires_at=now + timedelta(hours=RESET_HOURS),
    )
    session.add(reset)
    session.flush()
    return reset, secret


def send_reset(session: Session, actor: Actor, person: Person, *, now: datetime) -> tuple[PasswordReset, str]:
    """An administrator's link for the person: the reset and the secret its link carries (to be e-mailed)."""
    check_admin(actor)
    if person.email is None:
        raise InvalidInput(
            "accounts.no_address_for_link",
            N_("{full_name} has no e-mail address to send the link to"),
            full_name=person.full_name,
        )
    if person.deactivated_at is not None:
        raise InvalidInput(
            "people.account_deactivated", N_("{full_name}'s account is deactivated"), full_name=person.full_name
        )
    issued = _issue(session, person, actor, now)
    record(session, person, actor, "reset_sent", now, to=person.email, expires_at=issued[0].expires_at.isoformat())
    return issued


def ask_for_reset(session: Session, email: str, *, now: datetime) -> tuple[Person, PasswordReset, str] | None:
    """A person's own request from the sign-in page: a link for the account the address opens, or None when no
    open account has it (the page answers the same either way)."""
    address = normal_address(email)
    person = session.scalar(select(Person).where(func.lower(Person.email) == address))
    # an account the council opened or a citizen's (a password once set), not deactivated
    if person is None or person.deactivated_at is not None or person.password_hash is None:
        return None
    reset, secret = _issue(session, person, None, now)
    record(session, person, load_actor(session, person.id, now), "reset_asked", now)
    return person, reset, secret


def open_reset(session: Session, reset_id: int, secret: str, *, now: datetime) -> PasswordReset:
    """The reset a link names, if it still works; refused (`LINK_*`) when it is not ours, expired or used."""
    reset = session.get(PasswordReset, reset_id)
    if reset is None or not hmac.compare_digest(reset.secret_hash, _digest(secret)):
        raise InvalidInput(_NOT_VALID)
    if reset.used_at is not None:
        raise InvalidInput(_USED)
    if as_utc(reset.expires_at) <= as_utc(now):
        raise InvalidInput(_EXPIRED)
    person = session.get(Person, reset.person_id)
    if person is None or person.deactivated_at is not None:
        raise InvalidInput(_NOT_VALID)
    return reset


def set_password_by_link(session: Session, reset_id: int, secret: str, password: str, *, now: datetime) -> Person:
    """Set the person's password by the link: once (two tabs sending it at once: one wins, the other is told the
    link was used), within its time, by the password rules. Every session of the person ends, and every other
    link of theirs closes; the address is proven theirs."""
    reset = open_reset(session, reset_id, secret, now=now)
    check_new_password(password)  # before the link is spent: a short password leaves it working
    claimed = session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise InvalidInput(_USED)
    session.refresh(reset)
    person = session.get(Person, reset.person_id)
    assert person is not None
    person.password_hash = hash_password(password)
    if person.email_confirmed_at is None:
        person.email_confirmed_at = now
    session.flush()
    end_sessions(session, person)
    void_resets(session, person, now)
    record(session, person, load_actor(session, person.id, now), "password_set", now, reset_id=reset.id)
    return person
