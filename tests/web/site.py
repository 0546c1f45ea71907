"""The cabinet as the web tests drive it: the site (the application on the suite's migrated database, inside the
test's transaction, with the test council whose people have passwords), signing in with the form's CSRF token,
and documents made through the domain the way the cabinet's people make them."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from tasks.runner import run_pending
from tests.conftest import World
from workflow.council.drafts import drafts
from workflow.council.messages import messages
from workflow.council.organisation import setup
from workflow.engine.models import AuditEntry, Document
from workflow.notifications.models import Notification
from workflow.people import Person

PASSWORD = "довгий-пароль-для-тесту"


#: argon2id at its smallest costs (8 KiB, one pass, one lane), for the test council's password only
QUICK_ARGON2 = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@functools.cache
def password_hash() -> str:
    """PASSWORD hashed once per run, at argon2's smallest costs: a hash carries its own costs, and the
    application checks each one by them, so every sign-in of a test person takes microseconds instead of a
    tenth of a second of four threads. Every password the application hashes itself (a new password, a
    registration, the check for an address nobody has) keeps the application's costs."""
    return QUICK_ARGON2.hash(PASSWORD)


@dataclass
class Site:
    app: Flask
    world: World
    session: Session

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def commit(self) -> None:
        self.session.commit()
        run_pending(self.app.extensions["radaflow"])  # what the embedded mode does after a request's commit


def token(client: FlaskClient) -> str:
    page = client.get("/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found is not None, "the sign-in form carries a CSRF token"
    return found.group(1)


def sign_in(client: FlaskClient, person: Person, password: str = PASSWORD, next_: str | None = None) -> TestResponse:
    url = "/login" if next_ is None else f"/login?next={next_}"
    return client.post(url, data={"email": person.email, "password": password, "csrf_token": token(client)})


def signed_in_as(client: FlaskClient) -> str | None:
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'<span class="who">([^<]+)</span>', page)
    return None if found is None else found.group(1)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def message_to_deputy(site: Site, *, read: bool = False, password: str | None = None) -> tuple[Person, Document]:
    """A citizen's message to the first deputy, written on day 0 (and read by the deputy on day 1)."""
    world = site.world
    citizen = setup.add_person(
        site.session, "Галина Остапчук", email="halyna@example.org", roles=["citizen"], password=password
    )
    message = messages.write_to_deputy(
        site.session, world.actor(citizen), world.deputies[0], "Освітлення", "Не світять ліхтарі.", now=world.at(0)
    )
    if read:
        messages.read_message(site.session, message, world.actor(world.deputies[0], 1), now=world.at(1))
    return citizen, message


def submitted(site: Site) -> Document:
    world = site.world
    draft = drafts.write_draft(
        site.session,
        world.actor(world.staff),
        "Про ремонт даху ліцею № 2",
        "Виділити 1,2 млн грн на ремонт.",
        now=world.at(0),
    )
    drafts.submit_draft(site.session, draft, world.actor(world.staff), now=world.at(0))
    site.commit()
    return draft


def unread(site: Site, person: Person) -> int:
    """Read in a session of its own, closed at once: on SQLite an open transaction holds the write lock."""
    with site.app.extensions["radaflow"].sessions() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.person_id == person.id, Notification.read_at.is_(None))
            )
            or 0
        )


def in_english(client: FlaskClient) -> FlaskClient:
    """The reader switches the pages to English (the language cookie the header's switch sets)."""
    client.set_cookie("radaflow_lang", "en")
    return client


def page_of(client: FlaskClient, document: Document) -> str:
    return client.get(f"/documents/{document.id}").get_data(as_text=True)


def act(client: FlaskClient, document: Document, trigger: str, version: int | None = None, **form: str) -> TestResponse:
    data = {"csrf_token": token(client), "version": str(document.version if version is None else version), **form}
    return client.post(f"/documents/{document.id}/actions/{trigger}", data=data)


def stored(site: Site, document: Document) -> tuple[str, int, int]:
    """The document's state, version and number of audit entries, read afresh."""
    with site.app.extensions["radaflow"].sessions() as session:
        found = session.get(Document, document.id)
        assert found is not None
        entries = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.document_id == document.id)
        )
        return found.state, found.version, entries or 0


def legal_visa(site: Site) -> Document:
    draft = submitted(site)
    visa = next(v for v in drafts.children(site.session, draft, "visa") if v.fields["department_kind"] == "legal")
    site.commit()
    return visa
