"""A sitting in progress for the console's tests: the test council's session № 12 with a reviewed draft on its
agenda, opened, and the members registered; and how the tests post the console's forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import Snapshot, snapshot
from tests.web.site import Site, password_hash, token
from workflow.council.sittings import sessions
from workflow.engine.models import Document
from workflow.people import Person

DAY = 16


def sitting(site: Site, *, present: int | None = None, approved: bool = False) -> tuple[Document, Document]:
    """Session № 12 in progress with one item (the reviewed draft), `present` members registered (all by
    default), the agenda approved if asked. Every member can sign in. Returns (session, item)."""
    world = site.world
    for person in world.members:
        person.password_hash = password_hash()
    draft = world.reviewed_draft()
    plenary = world.planned_session(number=12, days=DAY)
    item = sessions.add_to_agenda(
        site.session, plenary, world.actor(world.secretary, 5), draft, reporter=world.deputies[0], now=world.at(5)
    )
    world.open(plenary, days=DAY, present=present)
    if approved:
        sessions.approve_agenda(
            site.session,
            plenary,
            world.actor(world.secretary, DAY),
            world.ballots(for_=len(world.members) if present is None else present),
            now=world.at(DAY),
        )
    site.commit()
    return plenary, item


def post(client: FlaskClient, url: str, data: dict[str, object] | None = None, **kwargs: object) -> TestResponse:
    form: dict[str, object] = {"csrf_token": form_token(client), **(data or {})}
    return client.post(url, data=form, **kwargs)


def form_token(client: FlaskClient) -> str:
    return token(client)


def console(plenary: Document) -> str:
    return f"/cabinet/sessions/{plenary.id}/sitting"


def ballots_form(purpose: str, subject: Document, ballots: dict[int, str]) -> dict[str, object]:
    return {"purpose": purpose, "subject": str(subject.id), **{f"ballot-{p}": c for p, c in ballots.items()}}


def everything(site: Site) -> Snapshot:
    """Every row of every table, read in a session of its own."""
    with site.app.extensions["radaflow"].sessions() as session:
        return snapshot(session)


@contextmanager
def nothing_changes(site: Site) -> Iterator[None]:
    before = everything(site)
    yield
    after = everything(site)
    assert after == before, "a refused post left a trace:\n" + "\n".join(before.differences(after))


def flash_of(html: str) -> str:
    found = re.search(r'<div role="status" class="flash">(.*?)</div>', html, re.S)
    return "" if found is None else " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def refusal_of(html: str) -> str:
    found = re.search(r'<div role="alert" class="refusal" id="refusal">(.*?)</div>', html, re.S)
    if found is None:
        found = re.search(r'<p role="alert">(.*?)</p>', html, re.S)
    return "" if found is None else " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def names(people: list[Person]) -> list[str]:
    return [p.full_name for p in people]
