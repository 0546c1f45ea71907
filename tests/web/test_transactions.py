"""The request's unit of work in the embedded mode: a page never waits for an e-mail or for a writer talking to
a slow SMTP server, and a commit that fails is answered like any refusal, with nothing stored."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Blueprint, Flask, request
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tasks import runner
from tasks.notify import notify_handler
from tests.conftest import World, build_world
from tests.processes import Mailbox, free_port
from tests.web.site import PASSWORD, act, sign_in
from web import create_app
from web.auth.views import csrf, hash_password
from web.database import db
from web.extension import radaflow
from workflow import schema
from workflow.council.drafts import drafts
from workflow.db import make_engine
from workflow.engine.models import Document
from workflow.engine.outbox import carry_out
from workflow.notifications.models import OutgoingMail
from workflow.people import Person, load_actor

#: how long a test lets a request take before it counts as waiting for the SMTP server
PROMPT = 20.0


@dataclass
class SlowMailbox(Mailbox):
    """An SMTP server that, once a message's data arrives, holds the conversation until `go` is set."""

    arrived: threading.Event = field(default_factory=threading.Event)
    go: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.arrived.set()
        while not self.go.is_set():
            await asyncio.sleep(0.01)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp() -> Iterator[tuple[SlowMailbox, int]]:
    box = SlowMailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        box.go.set()
        controller.stop()


@dataclass
class Council:
    app: Flask
    world: World
    sessions: sessionmaker[Session]


@pytest.fixture
def council(clean_environment: None, tmp_path: Path, slow_smtp: tuple[SlowMailbox, int]) -> Iterator[Council]:
    """The embedded mode on SQLite, sending e-mail to the slow SMTP server; a council whose reviewer and staff
    member can sign in."""
    url = f"sqlite:///{tmp_path / 'web.sqlite3'}"
    engine = make_engine(url)
    schema.upgrade(engine)
    engine.dispose()
    app = create_app(
        {
            "database_url": url,
            "instance_dir": tmp_path / "instance",
            "TESTING": True,
            "smtp_url": f"smtp://127.0.0.1:{slow_smtp[1]}",
        }
    )
    csrf.exempt(testing)
    app.register_blueprint(testing)
    sessions = app.extensions["radaflow"].sessions
    with sessions.begin() as session:
        world = build_world(session)
        for person in (world.lawyer, world.staff):
            person.password_hash = hash_password(PASSWORD)
    yield Council(app, world, sessions)
    slow_smtp[0].go.set()
    assert app.extensions["radaflow.ticker"].settle(timeout=60)  # nothing left running when the database goes
    app.extensions["radaflow"].engine.dispose()


def in_thread(call: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """Run `call` in a thread of its own (a request that might hang must not hang the test); its result."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    return thread, result


def mails(council: Council) -> list[tuple[str, int]]:
    with council.sessions() as session:
        return [(m.status, m.attempts) for m in session.scalars(select(OutgoingMail).order_by(OutgoingMail.id))]


# --- a page never waits for the SMTP server ----------------------------------------------------------------------
def test_a_page_is_read_while_a_slow_smtp_server_holds_an_e_mail_which_is_sent_once(
    council: Council, slow_smtp: tuple[SlowMailbox, int]
) -> None:
    box, _ = slow_smtp
    world = council.world
    reader = council.app.test_client()
    assert sign_in(reader, world.lawyer).status_code == 302
    # the sign-in's commit woke the ticker: let its round end before the mails exist, or it may take one of them
    assert council.app.extensions["radaflow.ticker"].settle(timeout=60)
    with council.sessions.begin() as session:
        staff = load_actor(session, world.staff.id, world.at(0))
        draft = drafts.write_draft(session, staff, "Про ремонт даху ліцею № 2", "Текст.", now=world.at(0))
        drafts.submit_draft(session, draft, staff, now=world.at(0))
        carry_out(session, {"notify": notify_handler(council.app.extensions["radaflow"].settings)}, now=world.at(0))
    # the worker's round sends the two visa requests; the server holds the first one's conversation
    sender, _ = in_thread(lambda: runner.send_mail(council.app.extensions["radaflow"]))
    assert box.arrived.wait(PROMPT), "the mail reached the SMTP server"

    page, answered = in_thread(lambda: reader.get("/notifications"))
    page.join(PROMPT)

    assert answered, "the page answered while the SMTP server still held the mail"
    assert not box.go.is_set()
    assert sender.is_alive()
    assert answered[0].status_code == 200
    assert "Про ремонт даху ліцею № 2" in answered[0].get_data(as_text=True)
    box.go.set()
    sender.join(PROMPT)
    assert not sender.is_alive()
    assert box.count() == 2
    assert len(set(box.message_ids())) == 2
    assert mails(council) == [("sent", 1), ("sent", 1)]


def test_an_action_answers_before_its_e_mails_are_sent_and_they_go_once_after(
    council: Council, slow_smtp: tuple[SlowMailbox, int]
) -> None:
    box, _ = slow_smtp
    world = council.world
    with council.sessions.begin() as session:
        draft = drafts.write_draft(
            session, load_actor(session, world.staff.id, world.at(0)), "Про сквер", "Текст.", now=world.at(0)
        )
    client = council.app.test_client()
    assert sign_in(client, world.staff).status_code == 302

    action, answered = in_thread(lambda: act(client, draft, "submit"))
    action.join(PROMPT)

    assert answered, "the action answered without waiting for the SMTP server"
    assert answered[0].status_code == 302
    with council.sessions() as session:
        stored = session.get(Document, draft.id)
        assert stored is not None
        assert stored.state == "visas"
    # the ticker, woken by the commit, carries out the notification and talks to the server meanwhile
    assert box.arrived.wait(PROMPT), "the ticker sent the visa requests"
    assert box.count() == 0
    box.go.set()
    assert council.app.extensions["radaflow.ticker"].settle(timeout=60)
    assert box.count() == 2
    assert len(set(box.message_ids())) == 2
    assert mails(council) == [("sent", 1), ("sent", 1)]


# --- a commit that fails ---------------------------------------------------------------------------------------
testing = Blueprint("transactions_testing", __name__)


@testing.post("/testing/people")
def add_person() -> str:
    db().add(Person(full_name=request.form["name"], email=f"{uuid.uuid4().hex[:12]}@rada.example"))
    return "added"


#: how often the read-then-write view below began; the first time, another writer commits behind its back
begun: list[int] = []


@testing.get("/testing/read-then-write")
def read_then_write() -> str:
    """A page that reads, then writes what it showed (as a document page marks its notifications read)."""
    seen = len(db().scalars(select(Person.id)).all())
    begun.append(seen)
    if len(begun) == 1:
        with radaflow().sessions.begin() as other:
            other.add(Person(full_name="Записана іншим", email=f"{uuid.uuid4().hex[:12]}@rada.example"))
    db().add(Person(full_name=f"Бачила {seen}", email=f"{uuid.uuid4().hex[:12]}@rada.example"))
    db().flush()
    return f"{seen} seen"


def test_a_read_that_writes_after_another_writer_committed_is_run_again_as_a_writer(council: Council) -> None:
    begun.clear()
    with council.sessions() as session:
        people = len(session.scalars(select(Person.id)).all())

    response = council.app.test_client().get("/testing/read-then-write")

    assert response.status_code == 200
    assert response.get_data(as_text=True) == f"{people + 1} seen"
    assert begun == [people, people + 1]
    with council.sessions() as session:
        names = list(session.scalars(select(Person.full_name).order_by(Person.id)))
    assert names[people:] == ["Записана іншим", f"Бачила {people + 1}"]


COMMIT_FAILURES = {
    "locked": (OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked")), 503, "busy"),
    "unique": (
        IntegrityError("COMMIT", {}, sqlite3.IntegrityError("UNIQUE constraint failed: persons.email")),
        409,
        "conflict",
    ),
}


@pytest.mark.parametrize("failure", sorted(COMMIT_FAILURES))
def test_a_commit_that_fails_is_answered_like_a_refusal_and_stores_nothing(council: Council, failure: str) -> None:
    error, status, code = COMMIT_FAILURES[failure]
    sessions = council.app.extensions["radaflow"].sessions

    def fail(_session: Session) -> None:
        raise error

    with council.sessions() as session:
        before = list(session.scalars(select(Person.full_name).order_by(Person.id)))
    event.listen(sessions, "before_commit", fail)
    try:
        client = council.app.test_client()
        as_json = client.post("/testing/people", data={"name": "Ніна"}, headers={"Accept": "application/json"})
        as_html = client.post("/testing/people", data={"name": "Ніна"})
        in_english = client.post("/testing/people?lang=en", data={"name": "Ніна"})
    finally:
        event.remove(sessions, "before_commit", fail)

    assert as_json.status_code == status
    assert as_json.get_json()["error"] == code
    assert as_html.status_code == status
    assert "спробуйте ще раз" in as_html.get_data(as_text=True)
    assert in_english.status_code == status
    assert "try again" in in_english.get_data(as_text=True)
    with council.sessions() as session:
        assert list(session.scalars(select(Person.full_name).order_by(Person.id))) == before
