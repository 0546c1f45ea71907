"""Sessions for the secretary's and the mayor's pages' tests: played through the domain on the test council, at
days counted from the scenario's T0 (`World.at`) or from today (the pages act at the real moment), and a check
that a refused form left every row of every table as it was."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import docx
from flask.testing import FlaskClient

from tests.conftest import T0, snapshot
from tests.web.site import Site, password_hash, token
from workflow.council.sittings import agenda as building
from workflow.council.sittings import sessions
from workflow.engine.models import Document
from workflow.timeutil import utcnow


def today() -> float:
    """Today as the scenario's day number (days since T0): pages act now, not on the scenario's clock."""
    return (utcnow() - T0) / timedelta(days=1)


def with_passwords(site: Site) -> None:
    site.world.mayor.password_hash = password_hash()
    site.commit()


@contextmanager
def nothing_changes(site: Site) -> Iterator[None]:
    """Every row of every table as it was before the block (read in sessions of their own)."""
    sessions_ = site.app.extensions["radaflow"].sessions
    with sessions_() as session:
        before = snapshot(session)
    yield
    with sessions_() as session:
        after = snapshot(session)
    assert after == before, "a refused form left a trace:\n" + "\n".join(before.differences(after))


def post(client: FlaskClient, url: str, document: Document | None = None, **form: str) -> object:
    data = {"csrf_token": token(client), **form}
    if document is not None and "version" not in form:
        data["version"] = str(document.version)
    return client.post(url, data=data)


def version_of(site: Site, document: Document) -> int:
    with site.app.extensions["radaflow"].sessions() as session:
        found = session.get(Document, document.id)
        assert found is not None
        return found.version


@dataclass
class Held:
    """A session held on day `day`: two drafts on its agenda and the standing «Різне», all voted, postponed or
    removed, so the sitting may close."""

    plenary: Document
    roof: Document
    stop: Document
    roof_item: Document
    stop_item: Document
    other_item: Document


def held_session(site: Site, day: float, *, decide_all: bool = True) -> Held:
    world, session = site.world, site.session
    roof = world.reviewed_draft("Про ремонт даху ліцею № 2", days=day - 16)
    stop = world.reviewed_draft("Про облаштування зупинки", days=day - 16)
    plenary = world.planned_session(number=12, days=day)
    secretary = world.actor(world.secretary, day - 11)
    roof_item = building.propose_draft(session, plenary, secretary, roof, now=world.at(day - 11))
    stop_item = building.propose_draft(session, plenary, secretary, stop, now=world.at(day - 11))
    other = building.add_standing_item(session, plenary, secretary, "Різне", now=world.at(day - 11))
    world.open(plenary, days=day)
    secretary = world.actor(world.secretary, day)
    sessions.approve_agenda(session, plenary, secretary, world.ballots(for_=9), now=world.at(day))
    sessions.vote_on_item(session, plenary, secretary, roof_item, world.ballots(for_=7, against=2), now=world.at(day))
    if decide_all:
        sessions.vote_on_item(
            session, plenary, secretary, stop_item, world.ballots(for_=2, against=7), now=world.at(day)
        )
        sessions.postpone_item(session, other, secretary, "Не встигли", now=world.at(day))
    site.commit()
    return Held(plenary, roof, stop, roof_item, stop_item, other)


def read_docx(content: bytes) -> tuple[str, list[list[list[str]]]]:
    paper = docx.Document(io.BytesIO(content))
    text = "\n".join(p.text for p in paper.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in paper.tables]
    return text, tables


def file_links(page: str, document: Document) -> list[str]:
    return re.findall(rf'href="(/documents/{document.id}/files/\d+)"', page)
