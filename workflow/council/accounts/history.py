"""A person's account history: every change an administrator (or the person) made to the account or the roles,
appended in the change's own transaction, and read back newest first for the person's page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.accounts.models import AccountEvent
from workflow.i18n import N_
from workflow.people import Actor, Person

#: what can happen to an account, and how it is said to a reader
EVENTS = {
    "created": N_("the person was added"),
    "edited": N_("the name, address or language was changed"),
    "deactivated": N_("the account was deactivated; every session ended"),
    "reactivated": N_("the account was reactivated"),
    "reset_sent": N_("a link to set a password was sent"),
    "reset_asked": N_("the person asked for a link to set a password"),
    "password_set": N_("a new password was set by the link; every other session ended"),
    "role_granted": N_("a role was granted"),
    "role_ended": N_("a role was ended"),
}


def record(session: Session, person: Person, actor: Actor | None, what: str, at: datetime, **data: Any) -> AccountEvent:
    """Append one event to the person's history (in the caller's transaction)."""
    assert what in EVENTS, what
    event = AccountEvent(person_id=person.id, actor_id=None if actor is None else actor.id, at=at, what=what, data=data)
    session.add(event)
    session.flush()
    return event


def history_of(session: Session, person: Person, limit: int = 200) -> list[AccountEvent]:
    """The person's history, newest first."""
    return list(
        session.scalars(
            select(AccountEvent)
            .where(AccountEvent.person_id == person.id)
            .order_by(AccountEvent.id.desc())
            .limit(limit)
        )
    )
