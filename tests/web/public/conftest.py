"""Fixtures of the portal's tests: the site with a real SMTP server on loopback receiving its e-mail, tight
rate limits where a test floods a form, and the council's record (council_record.py) that the portal's pages
show, made once per worker on each kind of database."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine

from tests.conftest import MigratedDatabases, SharedDatabase, World, build_world, reading, shared_database, snapshot
from tests.processes import Mailbox, mailbox  # noqa: F401 (a fixture)
from tests.web.conftest import app_in_transaction, close_site, is_setting, new_site
from tests.web.public.council_record import Record, council_record
from tests.web.site import Site, password_hash
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine.models import Document


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


# --- the council's record, made once per worker and database ---------------------------------------------------
@dataclass(frozen=True)
class RecordedDatabase:
    """The shared database holding the test council and its record (council_record.py)."""

    shared: SharedDatabase
    #: the instance folder the record was made with, copied for each test
    instance_dir: Path
    world: dict[str, int | list[int]]
    record: dict[str, int]


@pytest.fixture(scope="session")
def recorded_database(
    engine: Engine,
    registry: DefinitionRegistry,
    migrated_databases: MigratedDatabases,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RecordedDatabase]:
    """The record made on the kind of database `engine` is (SQLite or PostgreSQL), once per worker: making it is
    seconds of work (two sessions held, drafts reviewed, a protocol and an extract rendered), reading it in a
    test is milliseconds."""
    folder = tmp_path_factory.mktemp("record")
    instance_dir = folder / "instance"

    def make(connection: Connection) -> tuple[dict[str, int | list[int]], dict[str, int]]:
        with pytest.MonkeyPatch.context() as monkeypatch:
            for name in [name for name in os.environ if is_setting(name)]:  # as `clean_environment` does
                monkeypatch.delenv(name)
            site = new_site(connection, instance_dir)
            record = council_record(site)
            ids = {field.name: getattr(record, field.name).id for field in fields(Record)}
            world = site.world.ids()
            close_site(site)
            return world, ids

    with shared_database(engine, registry, migrated_databases, folder, make) as (shared, (world, ids)):
        yield RecordedDatabase(shared, instance_dir, world, ids)


@pytest.fixture
def recorded_site(
    recorded_database: RecordedDatabase, clean_environment: None, tmp_path: Path
) -> Iterator[tuple[Site, Record]]:
    """The site on the recorded database inside the test's own transaction, rolled back after the test (which
    may add to the record as it likes), with the council and the record read in the site's session; at the end
    the recorded database must hold every row exactly as the record left them."""
    database = recorded_database
    instance_dir = tmp_path / "instance"
    if database.instance_dir.exists():
        shutil.copytree(database.instance_dir, instance_dir)
    with reading(database.shared) as connection:
        app = app_in_transaction(connection, instance_dir)
        session = app.extensions["radaflow"].sessions()
        site = Site(app, World.load(session, database.world), session)
        documents = {name: session.get(Document, id_) for name, id_ in database.record.items()}
        yield site, Record(**documents)  # type: ignore[arg-type]
        close_site(site)


@pytest.fixture
def record(recorded_site: tuple[Site, Record]) -> Record:
    """The council's record (council_record.py); the test's `site` is then the one on the recorded database."""
    return recorded_site[1]


@pytest.fixture
def site(request: pytest.FixtureRequest, engine: Engine, clean_environment: None, tmp_path: Path) -> Iterator[Site]:
    """A test that reads the council's record (asks for `record`) gets the site on the recorded database; any
    other the site of tests/web/conftest.py: the test council alone, on the suite's database."""
    if "record" in request.fixturenames:
        yield request.getfixturevalue("recorded_site")[0]
        return
    site = new_site(request.getfixturevalue("connection"), tmp_path / "instance")
    yield site
    close_site(site)
