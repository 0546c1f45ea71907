"""Fixtures shared by the whole suite.

Every test that uses `session` runs twice: on SQLite (the embedded default) and on the machine's PostgreSQL.
Each test runs inside an outer transaction that is rolled back, so tests never see each other's rows. Tests
that need real commits (concurrency, the CLI) use `committed_db`, a database of their own, copied from one
migrated once per worker (`MigratedDatabases`). A scenario that takes seconds to make and that many tests only
read (the portal's council record, the demo, a played sitting) is made once per worker with `shared_database`
and read by each test through `reading`, inside a rolled-back transaction checked to leave every row as it was.
"""

from __future__ import annotations

import functools
import json
import os
import queue
import re
import signal
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import psycopg
import pytest
from sqlalchemy import Connection, Engine, Table, select
from sqlalchemy.orm import Session, sessionmaker

from workflow import schema
from workflow.config import PROJECT_ROOT
from workflow.council.catalog import CATALOG
from workflow.council.drafts import drafts
from workflow.council.organisation import setup
from workflow.council.organisation.models import Committee, Council, Department
from workflow.council.sittings import sessions
from workflow.council.sittings.votes import hold_committee_vote
from workflow.db import REGISTRY_KEY, Base, make_engine, make_sessionmaker
from workflow.definitions.compiled import CompiledDefinition
from workflow.definitions.loader import load_directory
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import edit_document, fire
from workflow.engine.models import Document
from workflow.models import import_all
from workflow.people import Actor, Person, RoleGrant, load_actor

DEFINITIONS = PROJECT_ROOT / "definitions"
_Made = TypeVar("_Made")
POSTGRES_ADMIN = os.environ.get("TEST_POSTGRES_ADMIN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")
POSTGRES_HOST = os.environ.get("TEST_POSTGRES_HOST", "postgres@127.0.0.1:5432")


def pytest_configure(config: pytest.Config) -> None:
    # A shell starts a background job (`make test &`, a CI step) with SIGINT ignored, and every process started
    # from it inherits that: `radaflow run`, which the tests stop with SIGINT as an operator's Ctrl-C stops it,
    # would never stop. Python's own handler again, which a started program resets to the default.
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _postgres_available_or_fail() -> None:
    """In CI (`CI` set) a missing PostgreSQL fails the run; on a developer's machine without it, the
    PostgreSQL half of the suite is skipped with the reason, and the SQLite half still runs."""
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


class MigratedDatabases:
    """Migrated databases of the tests' own, each a copy of an empty database migrated once per worker: a file
    copy on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL (the migrations take most of a second on
    PostgreSQL); and the PostgreSQL ones dropped in a thread of their own, since a DROP DATABASE waits seconds
    on the disk while the next test can run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._sqlite_template: Path | None = None
        self._postgres_template: str | None = None
        self._drops: queue.Queue[str | None] = queue.Queue()
        self._drop_errors: list[BaseException] = []
        self._dropper = threading.Thread(target=self._drop_in_turn, name="database-dropper", daemon=True)
        self._dropper.start()

    def sqlite(self, path: Path) -> str:
        """The URL of a migrated SQLite database at `path`."""
        if self._sqlite_template is None:
            template = self.folder / "migrated.sqlite3"
            engine = make_engine(f"sqlite:///{template}")
            schema.upgrade(engine)
            engine.dispose()
            self._sqlite_template = template
        with closing(sqlite3.connect(self._sqlite_template)) as source, closing(sqlite3.connect(path)) as copy:
            source.backup(copy)
        return f"sqlite:///{path}"

    def postgresql(self, prefix: str) -> str:
        """The URL of a new migrated PostgreSQL database; hand it to `drop` when done."""
        _postgres_available_or_fail()
        if self._postgres_template is None:
            url = create_postgres_database("radaflow_migrated")
            engine = make_engine(url)
            try:
                schema.upgrade(engine)
            finally:
                engine.dispose()  # a template is copied only while nobody is connected to it
            self._postgres_template = url
        template = self._postgres_template.rsplit("/", 1)[1]
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return f"postgresql+psycopg://{POSTGRES_HOST}/{name}"

    def drop(self, url: str) -> None:
        """Drop a PostgreSQL database in the background (`close` waits for every drop)."""
        self._drops.put(url)

    def _drop_in_turn(self) -> None:
        while (url := self._drops.get()) is not None:
            try:
                drop_postgres_database(url)
            except BaseException as error:  # reported by close(), in the test session's thread
                self._drop_errors.append(error)

    def close(self) -> None:
        if self._postgres_template is not None:
            self.drop(self._postgres_template)
        self._drops.put(None)
        self._dropper.join()
        if self._drop_errors:
            raise self._drop_errors[0]


@pytest.fixture(scope="session")
def migrated_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedDatabases]:
    databases = MigratedDatabases(tmp_path_factory.mktemp("migrated"))
    try:
        yield databases
    finally:
        databases.close()


@functools.cache
def shipped_definitions() -> tuple[CompiledDefinition, ...]:
    """The shipped definitions checked and compiled once per worker (tens of milliseconds each time)."""
    return tuple(load_directory(DEFINITIONS, CATALOG))


def shipped_registry() -> DefinitionRegistry:
    """A registry of the shipped definitions of its own, as `DefinitionRegistry.from_directory(DEFINITIONS)`
    makes one (knowing of no database that stores them yet), from the definitions compiled once."""
    return DefinitionRegistry(CATALOG, shipped_definitions())


@pytest.fixture(scope="session")
def registry() -> DefinitionRegistry:
    return shipped_registry()


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


@contextmanager
def connection_to(engine: Engine) -> Iterator[Connection]:
    """A connection to the suite's database, inside an outer transaction rolled back at the end."""
    with engine.connect() as connection:
        outer = connection.begin()
        try:
            yield connection
        finally:
            outer.rollback()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """The test's connection to the session's database, inside an outer transaction rolled back after the test."""
    with connection_to(engine) as connection:
        yield connection


def savepoint_sessions(connection: Connection, registry: DefinitionRegistry) -> sessionmaker[Session]:
    """Sessions on the test's connection, each transaction of theirs a savepoint in the outer one: a commit
    releases the savepoint, a rollback rolls back to it, and the test's end rolls everything back."""
    return sessionmaker(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
        info={REGISTRY_KEY: registry},
    )


@pytest.fixture
def session(connection: Connection, registry: DefinitionRegistry) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    session = savepoint_sessions(connection, registry)()
    try:
        yield session
    finally:
        session.close()


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
def committed_db(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_databases: MigratedDatabases
) -> Iterator[CommittedDB]:
    """A migrated database of the test's own (no definitions stored yet), and a registry of its own."""
    if request.param == "sqlite":
        url = migrated_databases.sqlite(tmp_path / "committed.sqlite3")
    else:
        url = migrated_databases.postgresql("radaflow_commit")
    engine = make_engine(url)
    registry = shipped_registry()
    try:
        yield CommittedDB(url, engine, registry)
    finally:
        engine.dispose()
        if request.param == "postgresql":
            migrated_databases.drop(url)


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


@pytest.fixture
def author(people: People) -> Actor:
    """A member of staff who writes drafts."""
    return people.person("Оксана Мельник", "staff")


@pytest.fixture
def secretary(people: People) -> Actor:
    return people.person("Тарас Коваль", "secretary")


def run_in_threads(jobs: list[Callable[[], object]], *, timeout: float = 30) -> list[object]:
    """Each job in a thread of its own (jobs meet at their own barrier); returns, in order, what each job
    returned or the exception it raised. A thread still running after `timeout` fails the test."""
    outcomes: list[object] = [None] * len(jobs)

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            outcomes[index] = job()
        except Exception as error:  # each thread's outcome is the test's to judge
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i, job), name=f"racer-{i}") for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"threads still running after {timeout} s (a deadlock?): {stuck}"
    return outcomes


import_all()  # every table of the schema in Base.metadata, so that a snapshot misses none


@dataclass(frozen=True)
class Snapshot:
    """Everything a refused action must leave as it was: every row of every table, ordered by primary key."""

    tables: dict[str, tuple[tuple[object, ...], ...]]
    columns: dict[str, tuple[str, ...]]

    def rows(self, table: str, *columns: str) -> list[tuple[object, ...]]:
        """The rows of `table`, only `columns` of each (all when none is named)."""
        names = self.columns[table]
        picked = [names.index(column) for column in columns] if columns else list(range(len(names)))
        return [tuple(row[i] for i in picked) for row in self.tables[table]]

    def differences(self, after: Snapshot) -> list[str]:
        """What changed from this snapshot to `after`, a line per row added, removed or changed."""
        lines: list[str] = []
        for name, rows in self.tables.items():
            then, now = set(rows), set(after.tables[name])
            lines += [f"{name}: removed {row}" for row in rows if row not in now]
            lines += [f"{name}: added or changed to {row}" for row in after.tables[name] if row not in then]
        return lines


def _rows_of(session: Session, table: Table) -> tuple[tuple[object, ...], ...]:
    order = list(table.primary_key.columns) or list(table.columns)
    return tuple(tuple(_hashable(value) for value in row) for row in session.execute(select(table).order_by(*order)))


def _hashable(value: object) -> object:
    """JSON columns come back as dicts and lists: as canonical text they compare and hash like the rest."""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return value


def snapshot(session: Session) -> Snapshot:
    """Every table of the schema as it stands in the session's transaction (what it has not flushed yet too)."""
    session.flush()
    session.expire_all()
    tables = Base.metadata.sorted_tables
    return Snapshot(
        {table.name: _rows_of(session, table) for table in tables},
        {table.name: tuple(table.columns.keys()) for table in tables},
    )


@pytest.fixture
def unchanged(session: Session):  # type: ignore[no-untyped-def]
    """`with unchanged(): ...` asserts the block left every row of every table exactly as it was."""

    @contextmanager
    def check() -> Iterator[None]:
        before = snapshot(session)
        try:
            yield
        finally:
            after = snapshot(session)
            assert after == before, "a refused action left a trace in the database:\n" + "\n".join(
                before.differences(after)
            )

    return check


# --- a scenario made once per worker, read by many tests --------------------------------------------------------
@dataclass(frozen=True)
class SharedDatabase:
    """A database of its own, of the kind the suite's `engine` is, holding a scenario made once per worker and
    committed. A test reads it through `reading`, inside an outer transaction rolled back after the test, as
    every test on the suite's database works; `rows` is every row as the scenario left them."""

    engine: Engine
    rows: Snapshot


@contextmanager
def shared_database(
    engine: Engine,
    registry: DefinitionRegistry,
    databases: MigratedDatabases,
    folder: Path,
    make: Callable[[Connection], _Made],
) -> Iterator[tuple[SharedDatabase, _Made]]:
    """A migrated database with the shipped definitions stored, and `make(connection)` run on it inside a
    transaction that is then committed; yields the database and what `make` returned (ids, not rows: each
    test reads the rows again in its own session)."""
    kind = engine.dialect.name
    url = databases.sqlite(folder / "shared.sqlite3") if kind == "sqlite" else databases.postgresql("radaflow_shared")
    shared = make_engine(url)
    try:
        with Session(shared) as session, session.begin():
            registry.sync(session)
        with shared.connect() as connection:
            outer = connection.begin()
            made = make(connection)
            outer.commit()
        with Session(shared) as session:
            rows = snapshot(session)
        yield SharedDatabase(shared, rows), made
    finally:
        shared.dispose()
        if kind == "postgresql":
            databases.drop(url)


@contextmanager
def reading(shared: SharedDatabase) -> Iterator[Connection]:
    """A connection to the shared database inside an outer transaction rolled back at the end (a test may add
    to the scenario as it likes); then every row must be as the scenario left it."""
    with shared.engine.connect() as connection:
        outer = connection.begin()
        try:
            yield connection
        finally:
            outer.rollback()
    with Session(shared.engine) as session:
        after = snapshot(session)
    assert after == shared.rows, "a test left a trace in a shared scenario's database:\n" + "\n".join(
        shared.rows.differences(after)
    )


# --- a council to play scenarios in -----------------------------------------------------------------------------
#: the scenario clock: a draft published on Monday 2 March 2026 may be considered from Monday 16 March on
#: (10 working days; the `holidays` package lists no Ukrainian public holidays during martial law)
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class World:
    """A small real council: 8 deputies and the mayor (total composition 9), a secretary, staff, the legal and
    finance departments with a reviewer each, and two committees (budget: chair, secretary, 2 members;
    education: chair, 2 members). `at(days)` is T0 plus that many days."""

    session: Session
    council: Council
    mayor: Person
    secretary: Person
    staff: Person
    deputies: list[Person]
    lawyer: Person
    accountant: Person
    legal: Department
    finance: Department
    budget: Committee
    education: Committee

    @staticmethod
    def at(days: float) -> datetime:
        return T0 + timedelta(days=days)

    def actor(self, person: Person, days: float = 0) -> Actor:
        return load_actor(self.session, person.id, self.at(days))

    def ids(self) -> dict[str, int | list[int]]:
        """The ids of the council's rows, from which `World.load` finds them again in another session."""
        return {
            name: [person.id for person in value] if isinstance(value, list) else value.id
            for name, value in vars(self).items()
            if name != "session"
        }

    @classmethod
    def load(cls, session: Session, ids: dict[str, int | list[int]]) -> World:
        """The council `ids` names (see `ids`), read in `session`."""

        def get(model: type[Base], id_: int) -> Base:
            found = session.get(model, id_)
            assert found is not None, f"{model.__name__} {id_} is in the database"
            return found

        rows: dict[str, object] = {}
        for name, value in ids.items():
            model = _WORLD_MODELS[name]
            rows[name] = [get(model, id_) for id_ in value] if isinstance(value, list) else get(model, value)
        return cls(session=session, **rows)  # type: ignore[arg-type]

    @property
    def members(self) -> list[Person]:
        """Everyone with a vote: the deputies and the mayor."""
        return [*self.deputies, self.mayor]

    def ballots(self, **choices: int) -> dict[int, str]:
        """`ballots(for_=6, against=2, abstain=1)`: choices handed out over the members in order."""
        out: dict[int, str] = {}
        people = iter(self.members)
        for choice, count in choices.items():
            for _ in range(count):
                out[next(people).id] = choice.rstrip("_")
        return out

    # the common paths, step by step through the engine -----------------------------------------------------
    def published_draft(self, title: str = "Про ремонт даху ліцею № 2", days: float = 0) -> Document:
        """A draft by the staff member, with both visas given, published for discussion on day `days`."""
        author = self.actor(self.staff, days)
        draft = drafts.write_draft(self.session, author, title, "Виділити 1,2 млн грн на ремонт.", now=self.at(days))
        for visa in drafts.submit_draft(self.session, draft, author, now=self.at(days)):
            reviewer = self.lawyer if visa.fields["department_kind"] == "legal" else self.accountant
            fire(self.session, visa, "give", self.actor(reviewer, days), now=self.at(days))
        fire(self.session, draft, "publish_for_discussion", self.actor(self.secretary, days), now=self.at(days))
        return draft

    def reviewed_draft(self, title: str = "Про ремонт даху ліцею № 2", days: float = 0) -> Document:
        """A published draft whose lead committee (budget) voted and signed its conclusion on day `days`+1."""
        draft = self.published_draft(title, days)
        later = days + 1
        (conclusion,) = drafts.send_to_committees(
            self.session, draft, self.actor(self.secretary, later), self.budget, now=self.at(later)
        )
        chair = self.actor(self.deputies[0], later)
        edit_document(
            self.session,
            conclusion,
            chair,
            fields={"recommendation": "support", "body": "Підтримати."},
            now=self.at(later),
        )
        budget_members = [self.deputies[i] for i in range(4)]
        hold_committee_vote(
            self.session,
            conclusion,
            chair,
            question="Підтримати проєкт",
            ballots={p.id: "for" for p in budget_members},
            now=self.at(later),
        )
        fire(self.session, conclusion, "discuss", chair, now=self.at(later))
        fire(self.session, conclusion, "sign", chair, now=self.at(later))
        return draft

    def planned_session(self, number: int = 12, days: float = 16) -> Document:
        """Session № `number` on day `days` (16: Wednesday 18 March), planned on day `days` - 11. Put drafts on
        its agenda with `sessions.add_to_agenda`, then `open` it."""
        return sessions.plan_session(
            self.session,
            self.actor(self.secretary, days - 11),
            number=number,
            starts_at=self.at(days),
            place="Сесійна зала, пл. Свободи, 1",
            now=self.at(days - 11),
        )

    def open(self, plenary: Document, days: float = 16, present: int | None = None) -> None:
        """Convene the session 10 days before day `days`, open it that day and register `present` members
        (all by default), in the order of `members`."""
        secretary = self.actor(self.secretary, days)
        fire(self.session, plenary, "convene", self.actor(self.secretary, days - 10), now=self.at(days - 10))
        fire(self.session, plenary, "open", secretary, now=self.at(days))
        for person in self.members[: len(self.members) if present is None else present]:
            sessions.register(self.session, plenary, secretary, person, now=self.at(days))


#: the model of each of World's rows, for `World.load`
_WORLD_MODELS: dict[str, type[Base]] = {
    "council": Council,
    "mayor": Person,
    "secretary": Person,
    "staff": Person,
    "deputies": Person,
    "lawyer": Person,
    "accountant": Person,
    "legal": Department,
    "finance": Department,
    "budget": Committee,
    "education": Committee,
}


DEPUTY_NAMES = (
    "Василь Гончаренко",
    "Ганна Кравець",
    "Олег Руденко",
    "Марія Савчук",
    "Ігор Петренко",
    "Наталія Зінченко",
    "Андрій Мороз",
    "Юлія Поліщук",
)


def build_world(session: Session, *, deputies: int = 8, number_pattern: str | None = None) -> World:
    """The council of `World` with `deputies` deputies (7 at least: the committees take seven) and the mayor,
    so a total composition of `deputies` + 1; on any session, e.g. one that commits."""
    assert deputies >= 7, "the budget and education committees take seven deputies"

    def person(name: str, *roles: str) -> Person:
        return setup.add_person(session, name, email=f"{uuid.uuid4().hex[:10]}@rada.example", roles=roles)

    extra = {} if number_pattern is None else {"number_pattern": number_pattern}
    council = setup.create_council(
        session, name="Славутицька міська рада", convocation=8, total_composition=deputies + 1, **extra
    )
    mayor = person("Микола Бондар", "mayor")
    names = [*DEPUTY_NAMES, *(f"Депутат № {i}" for i in range(len(DEPUTY_NAMES) + 1, deputies + 1))]
    members = [person(name, "deputy") for name in names[:deputies]]
    lawyer, accountant = person("Ірина Ткаченко"), person("Андрій Лисенко")
    return World(
        session=session,
        council=council,
        mayor=mayor,
        secretary=person("Тарас Коваль", "secretary"),
        staff=person("Оксана Мельник", "staff"),
        deputies=members,
        lawyer=lawyer,
        accountant=accountant,
        legal=setup.add_department(session, council, "Юридичний відділ", "legal", reviewers=[lawyer]),
        finance=setup.add_department(session, council, "Фінансове управління", "finance", reviewers=[accountant]),
        budget=setup.add_committee(
            session, council, "З питань бюджету", chair=members[0], secretary=members[1], members=members[2:4]
        ),
        education=setup.add_committee(session, council, "З питань освіти", chair=members[4], members=members[5:7]),
    )


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


# --- a new version of decision_draft, as an operator would release it ----------------------------------------
#: a state and a way in and out of it that only version 3 of decision_draft has
EXPERTISE_STATE = """\
  expertise:
    title: {uk: "На експертизі", en: "Under expert review"}
"""
EXPERTISE_TRANSITIONS = """
  - trigger: request_expertise
    title: {uk: "Направити на експертизу", en: "Request an expert review"}
    from: approvals
    to: expertise
    roles: [secretary]

  - trigger: finish_expertise
    title: {uk: "Завершити експертизу", en: "Finish the expert review"}
    from: expertise
    to: approvals
    roles: [secretary]
"""


def release_version_3(directory: Path) -> None:
    """decision_draft version 3: the state `visas` is renamed `approvals`, and an expert review is added."""
    path = directory / "decision_draft.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nversion: 2\n" in text, "the scenarios start from decision_draft version 2, the shipped one"
    text = text.replace("\nversion: 2\n", "\nversion: 3\n", 1)
    text = re.sub(r"\bvisas\b", "approvals", text)  # `all_visas_given` keeps its name: `_` joins words
    text = text.replace("  public_discussion:\n", EXPERTISE_STATE + "  public_discussion:\n", 1)
    path.write_text(text + EXPERTISE_TRANSITIONS, encoding="utf-8")


#: an operator's own kind whose deadline is a moment a field holds, which its author may move
CONSULTATION = """\
kind: consultation
version: 1
title: {uk: "Консультація з громадськістю", en: "Public consultation"}
create: [staff]
initial: open
states:
  open:
    title: {uk: "Триває", en: "Open"}
    edit: [author]
    fields: [closes_at]
    deadline: {until: closes_at, remind_before: 1, remind: [author], on_expiry: close}
  closed:
    title: {uk: "Завершено", en: "Closed"}
    final: true
transitions:
  - trigger: close
    title: {uk: "Завершити", en: "Close"}
    from: open
    to: closed
    roles: [author, system]
"""


def add_consultation(directory: Path) -> None:
    """Add the operator's `consultation` kind to a copy of the definitions."""
    (directory / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
