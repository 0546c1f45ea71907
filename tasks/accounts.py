"""The e-mail that carries a link to set a password (an administrator's, or one a person asked for from the
sign-in page): queued (`OutgoingMail`) in the transaction that made the link, so it leaves after the commit as
every e-mail does, and only if the link was made. The link itself is signed and expires; the web makes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tasks.mail import message_id
from tasks.messages import local_moment, render
from workflow.config import Settings
from workflow.notifications.models import OutgoingMail
from workflow.people import Person
from workflow.timeutil import as_utc

TEMPLATE = "password_link"


def queue_password_link(
    session: Session,
    settings: Settings,
    person: Person,
    link: str,
    *,
    reset_id: int,
    expires_at: datetime,
    first: bool,
    now: datetime,
) -> OutgoingMail | None:
    """Queue the e-mail with the link to the person's address, in their language; None with e-mail off.
    `first`: the person has no password yet (the link opens their account)."""
    if settings.email_off or not person.email:
        return None
    now = as_utc(now)
    message = render(
        TEMPLATE,
        person.locale,
        {
            "person": {"name": person.full_name},
            "link": link,
            "first": first,
            "until": local_moment(expires_at, person.locale),
            "base_url": settings.base_url,
        },
    )
    key = f"password-link:{reset_id}"
    mail = OutgoingMail(
        key=key,
        person_id=person.id,
        to_address=person.email,
        subject=message.subject,
        body=message.body,
        message_id=message_id(key, settings),
        available_at=now,
        created_at=now,
    )
    session.add(mail)
    session.flush()
    return mail
