"""Fixtures shared by the whole suite.

Every test that uses `session` runs twice: on SQLite (the embedded default) and on the machine's PostgreSQL.
Each test runs inside an outer transaction that is rolled back, so tests never see each other's rows. Tests
that need real commits (concurrency, the CLI) use `committed_db`, a database of their own.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from workflow import schema
from workflow.config import PROJECT_ROOT
from workflow.council.rules import CATALOG
from workflow.db import REGISTRY_KEY, make_engine, make_sessionmaker
from workflow.definitions.models import DefinitionVersion
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.people import Actor, Person, RoleGrant, load_actor

DEFINITIONS = PROJECT_ROOT / "definitions"
POSTGRES_ADMIN = os.environ.get("TEST_POSTGRES_ADMIN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")
POSTGRES_HOST = os.environ.get("TEST_POSTGRES_HOST", "postgres@127.0.0.1:5432")


def _postgres_available_or_fail() -> None:
    try:
        psycopg.connect(POSTGRES_ADMIN, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        message = f"PostgreSQL is not reachable ({POSTGRES_ADMIN}): {error}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def create_postgres_database(prefix: str = "radaflow_test") -> str:
    """A fresh, empty PostgreSQL database; returns its SQLAlchemy URL."""
    _postgres_available_or_fail()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://{POSTGRES_HOST}/{name}"


def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def registry() -> DefinitionRegistry:
    return DefinitionRegistry.from_directory(DEFINITIONS, CATALOG)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, registry: DefinitionRegistry
) -> Iterator[Engine]:
    """A migrated database of each kind, with the shipped definitions stored, shared by the session's tests."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'radaflow.sqlite3'}"
    else:
        url = create_postgres_database()
    engine = make_engine(url)
    schema.upgrade(engine)
    with Session(engine) as session, session.begin():
        registry.sync(session)
    yield engine
    engine.dispose()
    if request.param == "postgresql":
        drop_postgres_database(url)


@pytest.fixture
def session(engine: Engine, registry: DefinitionRegistry) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
        info={REGISTRY_KEY: registry},
    )
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@dataclass
class CommittedDB:
    """A database of the test's own, for tests that commit (several sessions, processes, the CLI)."""

    url: str
    engine: Engine
    registry: DefinitionRegistry
    _sessions: list[Session] = field(default_factory=list)

    def sessions(self):  # type: ignore[no-untyped-def]
        return make_sessionmaker(self.engine, self.registry)


@pytest.fixture(params=["sqlite", "postgresql"])
def committed_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CommittedDB]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'committed.sqlite3'}"
    else:
        url = create_postgres_database("radaflow_commit")
    engine = make_engine(url)
    schema.upgrade(engine)
    registry = DefinitionRegistry.from_directory(DEFINITIONS, CATALOG)
    try:
        yield CommittedDB(url, engine, registry)
    finally:
        engine.dispose()
        if request.param == "postgresql":
            drop_postgres_database(url)


# --- building a council for a test --------------------------------------------------------------------------
@dataclass
class People:
    """Makes people with roles and returns them as the actors the engine checks."""

    session: Session

    def person(self, name: str, *roles: str, **scopes: int | list[int]) -> Actor:
        """`people.person("Оксана", "staff")`, `people.person("Ігор", reviewer=2)` (reviewer of department 2)."""
        person = Person(full_name=name, email=f"{uuid.uuid4().hex[:12]}@rada.example")
        self.session.add(person)
        self.session.flush()
        for role in roles:
            self.session.add(RoleGrant(person_id=person.id, role=role))
        for role, ids in scopes.items():
            for scope_id in [ids] if isinstance(ids, int) else ids:
                self.session.add(RoleGrant(person_id=person.id, role=role, scope_id=scope_id))
        self.session.flush()
        return load_actor(self.session, person.id)


@pytest.fixture
def people(session: Session) -> People:
    return People(session)


@dataclass(frozen=True)
class Snapshot:
    """Everything a refused action must leave as it was."""

    documents: tuple[tuple[object, ...], ...]
    audit_entries: int
    outbox_rows: int
    definition_versions: int


def snapshot(session: Session) -> Snapshot:
    session.expire_all()
    return Snapshot(
        documents=tuple(
            tuple(row)
            for row in session.execute(
                select(Document.id, Document.state, Document.version, Document.title, Document.audit_hash)
                .order_by(Document.id)
            )
        ),
        audit_entries=session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        outbox_rows=session.scalar(select(func.count()).select_from(OutboxRow)) or 0,
        definition_versions=session.scalar(select(func.count()).select_from(DefinitionVersion)) or 0,
    )


@pytest.fixture
def unchanged(session: Session):  # type: ignore[no-untyped-def]
    """`with unchanged(): ...` asserts the block left documents, audit and outbox exactly as they were."""

    @contextmanager
    def check() -> Iterator[None]:
        before = snapshot(session)
        try:
            yield
        finally:
            assert snapshot(session) == before, "a refused action left a trace in the database"

    return check
