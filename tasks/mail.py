"""Sending the queued e-mails (`OutgoingMail`) over SMTP, each exactly once.

`deliver_due` takes one due mail at a time, never inside an open transaction while the server is talked to: it
claims the mail (`FOR UPDATE SKIP LOCKED` on PostgreSQL, SQLite serialises writers already), counts the attempt
and leases it, commits, sends it, and records the outcome in a second transaction. A crash between the send and
that commit loses only that one mark (the mail goes again after its lease), and the receiving server can tell
the resend by its Message-ID, derived from the mail's key. A refusal, a timeout or a lost connection is
retried with backoff and marked failed after `MAX_ATTEMPTS`; `retry_mail` puts a failed mail back by hand.

Without `SMTP_URL` (development) nothing leaves the machine: each message is written as an `.eml` file under
`<instance>/mail/`, named by its key, and marked sent. With `SMTP_URL=off` no e-mail is queued at all, and any
queued before waits unsent.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from workflow.config import Settings, SmtpTarget, parse_smtp_url
from workflow.engine.outbox import MAX_ATTEMPTS, backoff, put_back
from workflow.engine.writes import row_locks
from workflow.notifications.models import OutgoingMail
from workflow.people import Person
from workflow.timeutil import as_utc, utcnow

#: how long one SMTP conversation step may take before the attempt counts as failed
SMTP_TIMEOUT = 30.0

#: how long a claimed mail is left alone by other senders: longer than a slow conversation takes
MAIL_LEASE = timedelta(minutes=5)


def message_id(key: str, settings: Settings) -> str:
    """`<radaflow.notification.12@rada.example>`: the Message-ID of the mail with this key, on the domain of
    MAIL_FROM, the same every time the mail is sent."""
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "localhost"
    local = re.sub(r"[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+", ".", key).strip(".")
    return f"<radaflow.{local}@{domain}>"


def build_message(
    mail: OutgoingMail, settings: Settings, *, to_name: str = "", now: datetime | None = None
) -> EmailMessage:
    """The e-mail as it leaves: UTF-8 plain text with From, To (with the person's name), Subject, Date and the
    mail's own Message-ID."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = Address(display_name=to_name, addr_spec=mail.to_address)
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(utcnow() if now is None else as_utc(now))
    message["Message-ID"] = mail.message_id
    # an automatic message (RFC 3834): out-of-office replies should not answer it
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body, charset="utf-8")
    return message


def deliver_due(
    sessions: sessionmaker[Session], settings: Settings, *, now: datetime | None = None, limit: int = 100
) -> tuple[int, int]:
    """Send up to `limit` due mails, one at a time; returns (sent, failed) this time.

    No transaction stays open while the SMTP server is talked to: each mail is claimed (its attempt counted and
    leased for `MAIL_LEASE`, committed), sent, and its outcome recorded in a transaction of its own, as the outbox
    runs effects. With no SMTP_URL the mails are written as .eml files under `<instance>/mail/` instead.
    """
    if settings.email_off:
        return 0, 0
    now = utcnow() if now is None else as_utc(now)
    target = None if settings.smtp_url is None else parse_smtp_url(settings.smtp_url)
    sent = failed = 0
    connection: smtplib.SMTP | None = None
    try:
        for _ in range(limit):
            with sessions.begin() as session:
                claimed = _claim(session, settings, now)
            if claimed is None:
                break
            if isinstance(claimed, int):
                failed += claimed
                continue
            error: Exception | None = None
            if target is None:
                _write_eml(settings.instance_dir / "mail", claimed.key, claimed.message)
            else:
                try:
                    connection = connection or _connect(target)
                    connection.send_message(
                        claimed.message, from_addr=_envelope_from(settings), to_addrs=[claimed.to_address]
                    )
                except (smtplib.SMTPException, OSError) as refused:
                    _close(connection)
                    connection = None
                    error = refused
            with sessions.begin() as session:
                _record(session, claimed, error, settings, now)
            if error is None:
                sent += 1
            else:
                failed += 1
    finally:
        _close(connection)
    return sent, failed


def retry_mail(session: Session, mail_id: int, *, now: datetime | None = None) -> OutgoingMail:
    """Put a failed mail back in the queue (an administrator, once the cause is fixed): due at once, with a
    fresh count of attempts. The caller commits."""
    mail = session.get(OutgoingMail, mail_id)
    put_back(session, mail, "e-mail", mail_id, "the queue", now=now)
    assert mail is not None
    return mail


def retry_delay(settings: Settings, attempts: int) -> timedelta:
    """`retry_seconds` after the first failure, twice as long after each next one, at most an hour."""
    return backoff(attempts, settings.retry_seconds)


@dataclass(frozen=True)
class _Claimed:
    """A mail claimed for one attempt: what is sent, read before its claim was committed."""

    id: int
    attempt: int
    key: str
    to_address: str
    message: EmailMessage


def _claim(session: Session, settings: Settings, now: datetime) -> _Claimed | int | None:
    """Count an attempt on the first due mail nobody holds and lease it; None when nothing is due, 1 when the
    mail found was given up on instead (its sender stopped while sending it every time)."""
    query = (
        select(OutgoingMail)
        .where(OutgoingMail.status == "pending", OutgoingMail.available_at <= now)
        .order_by(OutgoingMail.available_at, OutgoingMail.id)
        .limit(1)
    )
    if row_locks(session):
        query = query.with_for_update(skip_locked=True)
    mail = session.scalar(query)
    if mail is None:
        return None
    if mail.attempts >= MAX_ATTEMPTS:
        mail.status = "failed"
        mail.last_error = (mail.last_error or "") + " (its sender stopped while sending it every time)"
        return 1
    mail.attempts += 1
    # other senders leave it alone meanwhile; a sender that dies leaves it to another one after the lease
    mail.available_at = now + MAIL_LEASE
    message = build_message(mail, settings, to_name=_name(session, mail), now=now)
    return _Claimed(mail.id, mail.attempts, mail.key, mail.to_address, message)


def _record(session: Session, claimed: _Claimed, error: Exception | None, settings: Settings, now: datetime) -> None:
    """The outcome of one attempt: sent, or the error and a later attempt (or failed for good)."""
    query = select(OutgoingMail).where(OutgoingMail.id == claimed.id)
    if row_locks(session):
        query = query.with_for_update()
    mail = session.scalar(query)
    if mail is None or mail.status != "pending":
        return
    if error is None:
        mail.status = "sent"
        mail.sent_at = now
        mail.last_error = None
    elif mail.attempts == claimed.attempt:  # (otherwise another sender took it after the lease: its attempt)
        _record_failure(mail, error, settings, now)


def _name(session: Session, mail: OutgoingMail) -> str:
    person = None if mail.person_id is None else session.get(Person, mail.person_id)
    return "" if person is None else person.full_name


def _record_failure(mail: OutgoingMail, error: Exception, settings: Settings, now: datetime) -> None:
    mail.last_error = f"{type(error).__name__}: {error}"[:2000]
    if mail.attempts >= MAX_ATTEMPTS or _address_refused(error):
        mail.status = "failed"
    else:
        mail.available_at = now + retry_delay(settings, mail.attempts)


def _address_refused(error: Exception) -> bool:
    """The server refused the recipient for good (5xx): another attempt would be refused the same way."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return False


def _envelope_from(settings: Settings) -> str:
    return parseaddr(settings.mail_from)[1] or settings.mail_from


def _connect(target: SmtpTarget) -> smtplib.SMTP:
    connection: smtplib.SMTP
    if target.scheme == "smtps":
        connection = smtplib.SMTP_SSL(
            target.host, target.port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
        )
    else:
        connection = smtplib.SMTP(target.host, target.port, timeout=SMTP_TIMEOUT)
    try:
        if target.scheme == "smtp+starttls":
            connection.starttls(context=ssl.create_default_context())
        if target.username is not None:
            connection.login(target.username, target.password or "")
    except BaseException:
        _close(connection)
        raise
    return connection


def _close(connection: smtplib.SMTP | None) -> None:
    if connection is None:
        return
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()


def _write_eml(directory: Path, key: str, message: EmailMessage) -> Path:
    """The message as `<directory>/<key>.eml`, replaced whole (never half-written, never twice)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (re.sub(r"[^A-Za-z0-9._-]+", "-", key) + ".eml")
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(message.as_bytes())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
