"""The public drafts pages as the tests drive them: citizens with accounts, drafts published now (the pages count
the legal period from today), comments posted through the form, and everything stored, to see nothing changed."""

from __future__ import annotations

import re
import uuid

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import T0, Snapshot, snapshot
from tests.web.site import Site, password_hash
from workflow.council.organisation import setup
from workflow.engine.models import Document
from workflow.people import Person
from workflow.timeutil import utcnow


def citizen(site: Site, name: str = "Галина Остапчук") -> Person:
    person = setup.add_person(site.session, name, email=f"{uuid.uuid4().hex[:10]}@example.org", roles=["citizen"])
    person.password_hash = password_hash()
    site.commit()
    return person


def today() -> float:
    """The scenario's days from T0 to now: a draft published on it is published today."""
    return (utcnow() - T0).total_seconds() / 86400


def published_today(site: Site, title: str = "Про ремонт даху ліцею № 2") -> Document:
    draft = site.world.published_draft(title, days=today() - 0.01)
    site.commit()
    return draft


def form_token(client: FlaskClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found is not None, f"{path} carries a form with a CSRF token"
    return found.group(1)


def post_comment(
    client: FlaskClient, draft: Document, *, text: str = "Підтримую.", position: str = "for", name: str = "Галина"
) -> TestResponse:
    token = form_token(client, f"/drafts/{draft.id}")
    return client.post(
        f"/drafts/{draft.id}/comments",
        data={"csrf_token": token, "name": name, "position": position, "text": text},
    )


def everything(site: Site) -> Snapshot:
    """Every row of every table, read afresh in a session of its own."""
    with site.app.extensions["radaflow"].sessions() as session:
        return snapshot(session)
