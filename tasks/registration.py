"""The e-mail that asks a newly registered citizen to confirm the address: queued (`OutgoingMail`) in the
registration's own transaction, so it leaves after the commit as every e-mail does, and only if the account was
made. The link it carries is signed and expires; the web makes it and checks it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tasks.mail import message_id
from tasks.messages import render
from workflow.config import Settings
from workflow.notifications.models import OutgoingMail
from workflow.people import Person
from workflow.timeutil import as_utc

TEMPLATE = "confirm_email"


def queue_confirmation(
    session: Session, settings: Settings, person: Person, link: str, *, valid_hours: int, now: datetime
) -> OutgoingMail | None:
    """Queue the confirmation e-mail to the person's address, in their language; None with e-mail off."""
    if settings.email_off or not person.email:
        return None
    now = as_utc(now)
    message = render(
        TEMPLATE,
        person.locale,
        {"person": {"name": person.full_name}, "link": link, "hours": valid_hours, "base_url": settings.base_url},
    )
    key = f"confirm-email:{person.id}:{now.isoformat()}"
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
