"""Fixtures of the portal's tests: the site with a real SMTP server on loopback receiving its e-mail, and tight
rate limits where a test floods a form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection

from tests.conftest import build_world, snapshot
from tests.processes import Mailbox, mailbox  # noqa: F401 (a fixture)
from tests.web.conftest import app_in_transaction
from tests.web.site import Site, password_hash


def mailed_site(connection: Connection, tmp_path: Path, port: int, **config: object) -> Site:
    app = app_in_transaction(connection, tmp_path / "instance", smtp_url=f"smtp://127.0.0.1:{port}", **config)
    session = app.extensions["radaflow"].sessions()
    world = build_world(session)
    hashed = password_hash()
    for person in (world.secretary, *world.deputies[:2]):
        person.password_hash = hashed
    session.commit()
    return Site(app, world, session)


@pytest.fixture
def portal(
    clean_environment: None, connection: Connection, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Site]:
    """The site, its e-mail going to the test's SMTP server (`portal_mail`)."""
    port = request.getfixturevalue("mailbox")[1]
    site = mailed_site(connection, tmp_path, port)
    yield site
    site.session.close()
    site.app.extensions["radaflow"].engine.dispose()


@pytest.fixture
def portal_mail(request: pytest.FixtureRequest) -> Mailbox:
    box: Mailbox = request.getfixturevalue("mailbox")[0]
    return box


def form_token(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'type="hidden" name="csrf_token" value="([^"]+)"', page
    )
    assert found is not None, f"{path} carries a form with a CSRF token"
    return found.group(1)


@contextmanager
def nothing_changed(site: Site) -> Iterator[None]:
    """The block leaves every row of every table as it was (read through the site's own session)."""
    before = snapshot(site.session)
    yield
    site.session.rollback()
    after = snapshot(site.session)
    assert after == before, "a refused request left a trace:\n" + "\n".join(before.differences(after))
