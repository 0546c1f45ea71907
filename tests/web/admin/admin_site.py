"""The administrator's pages as the tests drive them: the test council with an administrator who has a password,
signed in; failed effects and e-mails made the way the workers leave them after their last attempt; and the
check that a refused request left every row of every table as it was (`nothing_changes`)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.web.cabinet.sessions_site import nothing_changes, post
from tests.web.site import Site, password_hash, sign_in, submitted
from workflow.council.organisation import setup
from workflow.engine.models import OutboxRow
from workflow.engine.outbox import MAX_ATTEMPTS
from workflow.notifications.models import OutgoingMail
from workflow.people import Person

__all__ = ["admin_client", "failed_effect", "failed_mail", "nothing_changes", "post", "signed_in_client"]

#: an error as an SMTP library may word it, with what must never reach a page
SECRET_ERROR = (
    "SMTPAuthenticationError: (535, b'auth failed') connecting to smtps://radaflow:Pa55-w0rd@mail.rada.example:465"
    " with token=eyJhbGciOiJIUzI1NiJ9abcdefabcdefabcdefabcdefabcdef\nTraceback (most recent call last): ..."
)


def administrator(site: Site) -> Person:
    found = site.session.scalar(select(Person).where(Person.email == "admin@rada.example"))
    if found is None:
        found = setup.add_person(site.session, "Дмитро Мартинюк", email="admin@rada.example", roles=["admin"])
        found.password_hash = password_hash()
        site.commit()
    return found


def signed_in_client(site: Site, person: Person) -> FlaskClient:
    if person.password_hash is None:
        person.password_hash = password_hash()
        site.commit()
    client = site.client()
    sign_in(client, person)
    return client


def admin_client(site: Site) -> FlaskClient:
    return signed_in_client(site, administrator(site))


def failed_effect(site: Site) -> OutboxRow:
    """An effect of a submitted draft that failed at every attempt."""
    draft = submitted(site)
    row = site.session.scalar(select(OutboxRow).where(OutboxRow.document_id == draft.id).order_by(OutboxRow.id))
    assert row is not None
    row.status, row.attempts, row.last_error = "failed", MAX_ATTEMPTS, SECRET_ERROR
    site.session.commit()
    return row


def failed_mail(site: Site, subject: str = "Нове завдання") -> OutgoingMail:
    mail = OutgoingMail(
        key=f"test:{subject}",
        to_address="deputy@rada.example",
        subject=subject,
        body="Посилання для входу: https://rada.example/reset/secret-token",
        message_id=f"<{abs(hash(subject))}@rada.example>",
        status="failed",
        attempts=MAX_ATTEMPTS,
        last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
    )
    site.session.add(mail)
    site.session.commit()
    return mail
