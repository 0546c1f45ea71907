"""E-mail delivery against a real SMTP server on loopback (aiosmtpd): what it receives, refusals retried with
backoff, two senders at once, mails given up on and put back by hand, and the .eml files of development."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tasks.mail import MAIL_LEASE, deliver_due, retry_delay, retry_mail
from tasks.notify import notify_handler
from tests.conftest import DEFINITIONS, T0, CommittedDB, build_world, run_in_threads
from tests.processes import Mailbox, free_port
from workflow.config import ConfigError, Settings, parse_smtp_url
from workflow.council.drafts import drafts
from workflow.engine.outbox import MAX_ATTEMPTS, carry_out
from workflow.errors import NotFound, WrongState
from workflow.notifications.models import Notification, OutgoingMail
from workflow.timeutil import as_utc

SECOND = timedelta(seconds=1)


# --- a council with mail waiting ------------------------------------------------------------------------------
@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        env="test",
        database_url="sqlite://",
        redis_url=None,
        secret_key="test",
        definitions_dir=DEFINITIONS,
        instance_dir=tmp_path / "instance",
        base_url="https://rada.slavutych.example",
        mail_from="Славутицька міська рада <rada@slavutych.example>",
        retry_seconds=10,
    )


@dataclass(frozen=True)
class Queued:
    lawyer: tuple[int, str, str]  # person id, name, address
    accountant: tuple[int, str, str]
    draft_ids: list[int]


def queue_visa_requests(sessions: sessionmaker[Session], settings: Settings, drafts_count: int = 1) -> Queued:
    """A council whose staff submitted `drafts_count` drafts; the visa requests are notified and their e-mails
    (two per draft: the legal and the finance reviewer) wait in the queue, committed."""
    with sessions.begin() as session:
        world = build_world(session)
        world.accountant.locale = "en"
        author = world.actor(world.staff)
        ids = []
        for n in range(drafts_count):
            draft = drafts.write_draft(session, author, f"Про ремонт даху ліцею № {n + 2}", "Текст.", now=T0)
            drafts.submit_draft(session, draft, author, now=T0)
            ids.append(draft.id)
        carry_out(session, {"notify": notify_handler(settings)}, now=T0)
        return Queued(
            lawyer=(world.lawyer.id, world.lawyer.full_name, str(world.lawyer.email)),
            accountant=(world.accountant.id, world.accountant.full_name, str(world.accountant.email)),
            draft_ids=ids,
        )


def queue_of(sessions: sessionmaker[Session]) -> list[OutgoingMail]:
    with sessions() as session:
        return list(session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))


# --- delivery ---------------------------------------------------------------------------------------------------
def test_each_mail_reaches_the_smtp_server_once_with_its_headers_and_text(
    committed_db: CommittedDB, settings: Settings, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    settings = replace(settings, smtp_url=f"smtp://127.0.0.1:{port}")
    sessions = committed_db.sessions()
    queued = queue_visa_requests(sessions, settings)
    now = T0 + timedelta(minutes=1)

    assert deliver_due(sessions, settings, now=now) == (2, 0)
    assert deliver_due(sessions, settings, now=now + timedelta(minutes=1)) == (0, 0)

    with sessions() as session:
        notifications = {n.person_id: n for n in session.scalars(select(Notification))}
    mails = {m.person_id: m for m in queue_of(sessions)}
    assert len(box.received) == 2
    by_id = {str(m["Message-ID"]): m for m in box.received}
    for person_id, name, address in (queued.lawyer, queued.accountant):
        mail = mails[person_id]
        assert mail.status == "sent"
        assert mail.attempts == 1
        assert mail.sent_at is not None
        received = by_id[mail.message_id]
        assert received["To"].addresses[0].display_name == name
        assert received["To"].addresses[0].addr_spec == address
        assert received["From"].addresses[0].display_name == "Славутицька міська рада"
        assert received["From"].addresses[0].addr_spec == "rada@slavutych.example"
        assert received["Subject"] == notifications[person_id].subject
        assert received["Date"].datetime == now
        assert received["Auto-Submitted"] == "auto-generated"
        assert received.get_content_type() == "text/plain"
        assert received.get_content_charset() == "utf-8"
        assert received.get_content() == notifications[person_id].body
        assert f"https://rada.slavutych.example/documents/{queued.draft_ids[0]}" in received.get_content()
    lawyer_mail = by_id[mails[queued.lawyer[0]].message_id]
    assert lawyer_mail["Subject"] == "Проєкт рішення чекає на вашу візу: «Про ремонт даху ліцею № 2»"
    # the subject travelled encoded (RFC 2047), as every mail server accepts it
    assert "=?utf-8?" in lawyer_mail.as_string(policy=policy.compat32).split("\n\n", 1)[0].lower()
    assert sorted(rcpts[0] for _, rcpts in box.envelopes) == sorted([queued.lawyer[2], queued.accountant[2]])
    assert {sender for sender, _ in box.envelopes} == {"rada@slavutych.example"}


def test_a_server_that_refuses_for_a_while_gets_each_mail_once_after_retries_with_backoff(
    committed_db: CommittedDB, settings: Settings, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    box.refuse = 3
    settings = replace(settings, smtp_url=f"smtp://127.0.0.1:{port}")
    sessions = committed_db.sessions()
    queue_visa_requests(sessions, settings)
    first, second = (m.id for m in queue_of(sessions))
    t = T0 + timedelta(minutes=1)

    assert deliver_due(sessions, settings, now=t) == (0, 2)
    after = {m.id: m for m in queue_of(sessions)}
    for mail_id in (first, second):
        assert after[mail_id].status == "pending"
        assert after[mail_id].attempts == 1
        assert as_utc(after[mail_id].available_at) == t + 10 * SECOND
        assert "451" in (after[mail_id].last_error or "")

    assert deliver_due(sessions, settings, now=t + 9 * SECOND) == (0, 0)  # nothing is due before its time
    assert deliver_due(sessions, settings, now=t + 10 * SECOND) == (1, 1)  # the third refusal, then the server takes it
    after = {m.id: m for m in queue_of(sessions)}
    assert (after[first].status, after[first].attempts) == ("pending", 2)
    assert as_utc(after[first].available_at) == t + 30 * SECOND  # 10 s, then 20 s
    assert (after[second].status, after[second].attempts, after[second].last_error) == ("sent", 2, None)

    assert deliver_due(sessions, settings, now=t + 29 * SECOND) == (0, 0)
    assert deliver_due(sessions, settings, now=t + 30 * SECOND) == (1, 0)
    assert deliver_due(sessions, settings, now=t + timedelta(hours=2)) == (0, 0)

    assert box.refused == 3
    assert sorted(box.message_ids()) == sorted(m.message_id for m in queue_of(sessions))
    assert [m.status for m in queue_of(sessions)] == ["sent", "sent"]


def test_two_senders_at_once_send_each_mail_once(
    committed_db: CommittedDB, settings: Settings, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    box.delay = 0.01  # a server that takes its time, so the senders overlap
    settings = replace(settings, smtp_url=f"smtp://127.0.0.1:{port}")
    sessions = committed_db.sessions()
    queue_visa_requests(sessions, settings, drafts_count=10)
    now = T0 + timedelta(minutes=1)

    outcomes = run_in_threads([lambda: deliver_due(sessions, settings, now=now) for _ in range(2)])

    counts = [outcome for outcome in outcomes if isinstance(outcome, tuple)]
    assert len(counts) == 2, outcomes
    assert sum(sent for sent, _ in counts) == 20
    assert sum(failed for _, failed in counts) == 0
    ids = box.message_ids()
    assert len(ids) == 20
    assert len(set(ids)) == 20
    assert all(m.status == "sent" and m.attempts == 1 for m in queue_of(sessions))


def test_a_mail_failing_every_attempt_is_given_up_on_and_can_be_put_back_by_hand(
    committed_db: CommittedDB, settings: Settings, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    down = replace(settings, smtp_url=f"smtp://127.0.0.1:{free_port()}")  # nobody listens there
    sessions = committed_db.sessions()
    queue_visa_requests(sessions, settings)
    t = T0 + timedelta(minutes=1)
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert deliver_due(sessions, down, now=t) == (0, 2)
        mail = queue_of(sessions)[0]
        assert mail.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            waits.append(as_utc(mail.available_at) - t)
            t = t + waits[-1]
    assert waits == [timedelta(seconds=10 * 2**n) for n in range(MAX_ATTEMPTS - 1)]
    failed = queue_of(sessions)
    assert [m.status for m in failed] == ["failed", "failed"]
    assert all("ConnectionRefusedError" in (m.last_error or "") for m in failed)
    assert deliver_due(sessions, down, now=t + timedelta(days=1)) == (0, 0)  # given up on: not tried again

    # refused by hand: a mail that does not exist, and one that has not failed, change nothing
    with sessions.begin() as session, pytest.raises(NotFound, match="no e-mail 999999"):
        retry_mail(session, 999999)
    with sessions.begin() as session:
        retry_mail(session, failed[0].id, now=t)
    with sessions.begin() as session, pytest.raises(WrongState, match="is pending, not failed"):
        retry_mail(session, failed[0].id, now=t + timedelta(days=5))
    again = {m.id: m for m in queue_of(sessions)}
    assert (again[failed[0].id].status, again[failed[0].id].attempts) == ("pending", 0)
    assert as_utc(again[failed[0].id].available_at) == t
    assert again[failed[1].id].status == "failed"

    # the server is back: the mail put back goes out, the other stays given up on
    working = replace(settings, smtp_url=f"smtp://127.0.0.1:{port}")
    assert deliver_due(sessions, working, now=t + SECOND) == (1, 0)
    assert box.message_ids() == [failed[0].message_id]
    assert [m.status for m in queue_of(sessions)] == ["sent", "failed"]


def test_a_recipient_the_server_does_not_know_is_given_up_on_at_once(
    committed_db: CommittedDB, settings: Settings, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    settings = replace(settings, smtp_url=f"smtp://127.0.0.1:{port}")
    sessions = committed_db.sessions()
    queued = queue_visa_requests(sessions, settings)
    box.unknown.add(queued.accountant[2])

    assert deliver_due(sessions, settings, now=T0 + SECOND) == (1, 1)

    mails = {m.person_id: m for m in queue_of(sessions)}
    assert (mails[queued.accountant[0]].status, mails[queued.accountant[0]].attempts) == ("failed", 1)
    assert "550" in (mails[queued.accountant[0]].last_error or "")
    assert mails[queued.lawyer[0]].status == "sent"
    assert len(box.received) == 1


# --- development: .eml files -----------------------------------------------------------------------------------
def test_without_smtp_each_mail_is_written_as_an_eml_file_once(committed_db: CommittedDB, settings: Settings) -> None:
    sessions = committed_db.sessions()
    queued = queue_visa_requests(sessions, settings)
    assert settings.smtp_url is None

    assert deliver_due(sessions, settings, now=T0 + SECOND) == (2, 0)

    folder = settings.instance_dir / "mail"
    mails = queue_of(sessions)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"notification-{m.key.split(':')[1]}.eml" for m in mails)
    assert [m.status for m in mails] == ["sent", "sent"]
    written = message_from_bytes(
        (folder / f"notification-{mails[0].key.split(':')[1]}.eml").read_bytes(), policy=policy.default
    )
    assert isinstance(written, EmailMessage)
    assert written["Message-ID"] == mails[0].message_id
    assert written["Subject"] == mails[0].subject
    assert written["To"].addresses[0].addr_spec in {queued.lawyer[2], queued.accountant[2]}
    assert written.get_content() == mails[0].body

    # a crash lost the mark of one mail: once its lease is over, it is written again over its own file, not beside it
    with sessions.begin() as session:
        lost = session.get(OutgoingMail, mails[0].id)
        assert lost is not None
        lost.status = "pending"
    assert deliver_due(sessions, settings, now=T0 + 2 * SECOND + MAIL_LEASE) == (1, 0)
    assert len(list(folder.iterdir())) == 2


def test_with_e_mail_off_people_are_told_in_their_cabinets_only(committed_db: CommittedDB, settings: Settings) -> None:
    sessions = committed_db.sessions()

    queue_visa_requests(sessions, replace(settings, email_off=True))

    with sessions() as session:
        told = session.scalars(select(Notification.template)).all()
    assert told == ["visa_requested", "visa_requested"]
    assert queue_of(sessions) == []


def test_with_e_mail_off_nothing_queued_before_is_sent(committed_db: CommittedDB, settings: Settings) -> None:
    sessions = committed_db.sessions()
    queue_visa_requests(sessions, settings)  # queued while e-mail was on

    assert deliver_due(sessions, replace(settings, email_off=True), now=T0 + SECOND) == (0, 0)

    assert [m.status for m in queue_of(sessions)] == ["pending", "pending"]
    assert not (settings.instance_dir / "mail").exists()


# --- configuration -----------------------------------------------------------------------------------------------
def test_smtp_urls_of_the_three_kinds_are_read_and_anything_else_is_refused() -> None:
    plain = parse_smtp_url("smtp://mail.rada.example")
    assert (plain.scheme, plain.host, plain.port, plain.username, plain.password) == (
        "smtp",
        "mail.rada.example",
        25,
        None,
        None,
    )
    starttls = parse_smtp_url("smtp+starttls://radaflow%40rada.example:p%40ss%3Aword@mail.rada.example")
    assert (starttls.port, starttls.username, starttls.password) == (587, "radaflow@rada.example", "p@ss:word")
    assert parse_smtp_url("smtps://u:p@mail.rada.example:2465").port == 2465
    assert parse_smtp_url("smtps://mail.rada.example").port == 465
    for wrong, why in (
        ("http://mail.rada.example", "unknown scheme 'http'"),
        ("mail.rada.example:25", "unknown scheme"),
        ("smtp://", "names no host"),
        ("smtp://mail.rada.example:twenty-five", "the port is not a number"),
        ("smtp://mail.rada.example/inbox", "a path or query means nothing here"),
    ):
        with pytest.raises(ConfigError, match=why):
            parse_smtp_url(wrong)


def test_the_wait_between_attempts_doubles_from_the_setting_up_to_an_hour(settings: Settings) -> None:
    assert [retry_delay(settings, n).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]
    assert retry_delay(settings, 12) == timedelta(hours=1)
    assert retry_delay(replace(settings, retry_seconds=0.5), 1) == timedelta(seconds=0.5)
