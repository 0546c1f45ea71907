"""Fixtures for the web package: the application inside the test's transaction, the `radaflow` command line run
in-process, databases of a test's own (for the CLI, which commits), and documents made through the engine the way
the cabinet will make them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session, sessionmaker

from tasks.runner import run_pending
from tests.conftest import (
    DEFINITIONS,
    MigratedDatabases,
    build_world,
    create_postgres_database,
    savepoint_sessions,
    shipped_registry,
)
from tests.web.site import Site, password_hash
from web import create_app
from web.cli import main
from workflow.db import make_engine, make_sessionmaker
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import create_document, fire
from workflow.engine.models import AuditEntry, Document
from workflow.people import Person, RoleGrant, load_actor
from workflow.runtime import Runtime

POSTGRES_ADMIN = os.environ.get("TEST_POSTGRES_ADMIN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")
POSTGRES_HOST = os.environ.get("TEST_POSTGRES_HOST", "postgres@127.0.0.1:5432")

#: the settings the CLI reads from the environment; cleared so the machine's own never leak into a test
#: the settings read from the environment besides every RADAFLOW_* one (workflow/config.py)
SETTINGS_VARIABLES = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SMTP_URL", "MAIL_FROM", "FLASK_APP")


def is_setting(name: str) -> bool:
    """Whether an environment variable is one of Radaflow's settings, which a test must not inherit."""
    return name in SETTINGS_VARIABLES or name.startswith("RADAFLOW_")


# --- databases of the test's own ---------------------------------------------------------------------------
@pytest.fixture
def fresh_postgres_url(migrated_databases: MigratedDatabases) -> Iterator[str]:
    """An empty PostgreSQL database (no tables), dropped after the test."""
    url = create_postgres_database("radaflow_web")
    try:
        yield url
    finally:
        migrated_databases.drop(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    url: str = request.getfixturevalue("fresh_postgres_url")
    return url


@pytest.fixture
def database_file(tmp_path: Path, migrated_databases: MigratedDatabases) -> str:
    """A migrated, empty SQLite database."""
    return migrated_databases.sqlite(tmp_path / "web.sqlite3")


# --- the application inside the test's transaction ----------------------------------------------------------
def app_in_transaction(connection: Connection, instance_dir: Path, **config: object) -> Flask:
    """The application on the suite's migrated database, every session it opens bound to the test's connection:
    the requests' sessions and those that carry out the effects after a request's commit. A request's commit
    releases a savepoint, its rollback rolls back to one, and the end of the test rolls everything back, so the
    database is migrated once per run instead of once per test."""
    url = connection.engine.url.render_as_string(hide_password=False)
    # the shipped definitions compiled once, in a registry of the application's own (unless a test names others)
    shipped = "definitions_dir" not in config and "RADAFLOW_DEFINITIONS" not in os.environ
    app = create_app(
        {"database_url": url, "instance_dir": instance_dir, "TESTING": True, **config},
        registry=shipped_registry() if shipped else None,
    )
    runtime: Runtime = app.extensions["radaflow"]
    assert not shipped or runtime.settings.definitions_dir == DEFINITIONS.resolve()
    runtime.sessions = savepoint_sessions(connection, runtime.registry)
    if "radaflow.ticker" in app.extensions:
        # the sessions share the test's one connection, which a thread of its own must not use beside the
        # test's: what a commit recorded is carried out in the request's thread, right after the commit
        app.extensions["radaflow.ticker"] = InlineTicker(runtime)
    return app


class InlineTicker:
    """The embedded mode's ticker for an application inside the test's transaction: a nudge carries out what was
    committed at once, in the caller's thread (the real ticker's own thread is tested on databases of its own,
    in test_transactions)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def nudge(self) -> None:
        run_pending(self.runtime)

    def settle(self, timeout: float = 30.0) -> bool:
        return True


# --- the command line --------------------------------------------------------------------------------------
@dataclass
class Radaflow:
    """`radaflow ...` as an operator types it, configured only through the environment."""

    monkeypatch: pytest.MonkeyPatch
    instance_dir: Path

    def use_database(self, url: str) -> None:
        self.monkeypatch.setenv("DATABASE_URL", url)

    def use_definitions(self, directory: Path) -> None:
        self.monkeypatch.setenv("RADAFLOW_DEFINITIONS", str(directory))

    def __call__(self, *args: str) -> Result:
        return CliRunner().invoke(main, list(args))


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Radaflow setting from the machine running the tests: only what a test sets counts."""
    for name in [name for name in os.environ if is_setting(name)]:
        monkeypatch.delenv(name)


@pytest.fixture
def radaflow(clean_environment: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Radaflow:
    """The CLI on an embedded SQLite database under the test's own instance directory."""
    # FlaskGroup sets this on every run; setting it here lets monkeypatch take it away again afterwards
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "false")
    instance_dir = tmp_path / "instance"
    monkeypatch.setenv("RADAFLOW_INSTANCE", str(instance_dir))
    return Radaflow(monkeypatch, instance_dir)


# --- the application --------------------------------------------------------------------------------------
class SettlingClient(FlaskClient):
    """A test client that, after each request, waits for the embedded mode's ticker to carry out what the
    request's commit recorded (the request itself never waits): what a test asserts next sees the effects, as a
    person would a moment later."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().open(*args, **kwargs)
        ticker = self.application.extensions.get("radaflow.ticker")
        if ticker is not None:
            assert ticker.settle(timeout=60), "the ticker did not carry out the request's effects within 60 s"
        return response


# --- documents made through the engine ---------------------------------------------------------------------
@dataclass
class Council:
    """Direct access to a database the CLI works on: people, drafts made through the engine, what is stored."""

    engine: Engine
    sessions: sessionmaker[Session]

    def author(self, name: str = "Оксана Мельник") -> int:
        with self.sessions.begin() as session:
            person = Person(full_name=name, email=f"{uuid.uuid4().hex[:12]}@rada.example")
            session.add(person)
            session.flush()
            session.add(RoleGrant(person_id=person.id, role="staff"))
            return person.id

    def draft(self, author_id: int, title: str, *, submitted: bool = False) -> int:
        """A draft decision created (and, if asked, submitted for visas) by its author, committed."""
        with self.sessions.begin() as session:
            author = load_actor(session, author_id)
            document = create_document(
                session, "decision_draft", author, title=title, fields={"body": f"Текст рішення: {title}."}
            )
            if submitted:
                fire(session, document, "submit", author)
            return document.id

    def documents(self) -> list[tuple[int, int, str, int]]:
        """(id, definition version, state, version) of every document."""
        with self.sessions() as session:
            return [
                tuple(row)  # type: ignore[misc]
                for row in session.execute(
                    select(Document.id, Document.definition_version, Document.state, Document.version).order_by(
                        Document.id
                    )
                )
            ]

    def audit_entries(self, document_id: int) -> list[AuditEntry]:
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(AuditEntry).where(AuditEntry.document_id == document_id).order_by(AuditEntry.version)
                )
            )


@pytest.fixture
def council(registry: DefinitionRegistry) -> Iterator[Callable[[str], Council]]:
    """`council(url)`: a `Council` on a database the CLI has already upgraded, on the shipped definitions."""
    engines: list[Engine] = []

    def open_council(url: str) -> Council:
        engine = make_engine(url)
        engines.append(engine)
        return Council(engine, make_sessionmaker(engine, registry))

    yield open_council
    for engine in engines:
        engine.dispose()


# --- the cabinet: the site the pages' tests drive (tests/web/site.py) ---------------------------------------
def new_site(connection: Connection, instance_dir: Path) -> Site:
    """The cabinet inside the connection's transaction, with the test council, whose people sign in with
    `PASSWORD` (the lawyer, the staff member, the secretary and the first two deputies), committed. Close it
    with `close_site`."""
    app = app_in_transaction(connection, instance_dir)
    session = app.extensions["radaflow"].sessions()
    world = build_world(session)
    hashed = password_hash()
    for person in (world.lawyer, world.staff, world.secretary, *world.deputies[:2]):
        person.password_hash = hashed
    session.commit()
    return Site(app, world, session)


def close_site(site: Site) -> None:
    site.session.close()
    site.app.extensions["radaflow"].engine.dispose()


@pytest.fixture
def site(clean_environment: None, connection: Connection, tmp_path: Path) -> Iterator[Site]:
    """The cabinet on the suite's migrated database (SQLite and PostgreSQL), inside the test's transaction."""
    site = new_site(connection, tmp_path / "instance")
    yield site
    close_site(site)
