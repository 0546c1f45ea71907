"""The database: the declarative base, engines for SQLite and PostgreSQL, and sessions.

Domain code takes a `Session`, flushes and never commits; the boundary (a web request, a task, a CLI command)
commits once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, URL, Engine, MetaData, create_engine, func, make_url
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine.characteristics import ConnectionCharacteristic
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: JSON on every database, JSONB (indexable, compact) on PostgreSQL
JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the settings Radaflow relies on for each database."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **kwargs)
    kwargs.setdefault("pool_pre_ping", True)
    # PostgreSQL's JIT compiles a query the planner thinks costly before running it: for the pages' queries, whose
    # correlated subqueries (a list of work's guards) look costly and are not, compiling takes seconds where
    # running takes milliseconds
    connect_args = kwargs.setdefault("connect_args", {})
    connect_args.setdefault("options", "-c jit=off")
    return create_engine(url, **kwargs)


#: the connection execution option of a unit that only reads (see `begin_reading`)
READS = "radaflow_reads"


class _SQLiteConnection(sqlite3.Connection):
    """The driver's connection, remembering whether the unit on it said it only reads."""

    reads = False


class _OnlyReads(ConnectionCharacteristic):
    """The `READS` execution option as a connection characteristic (the way SQLAlchemy's own PostgreSQL dialects
    carry `postgresql_readonly`): set on the driver's connection, and reset by SQLAlchemy when the connection goes
    back to the pool, so that the next unit on it takes the write lock again."""

    #: said of a session's transaction before it touches the database, and harmless inside one (tests nest units)
    transactional = False

    def reset_characteristic(self, dialect: Dialect, dbapi_conn: Any) -> None:
        dbapi_conn.reads = False

    def set_characteristic(self, dialect: Dialect, dbapi_conn: Any, value: Any) -> None:
        dbapi_conn.reads = bool(value)

    def get_characteristic(self, dialect: Dialect, dbapi_conn: Any) -> Any:
        return dbapi_conn.reads


class SQLiteDialect(SQLiteDialect_pysqlite):
    """pysqlite, with transactions begun by Radaflow's rule, and the connection set up as Radaflow needs it.

    The driver's own transaction handling is off (SQLAlchemy's recipe for pysqlite), so that transactions begin
    where SQLAlchemy begins them and SAVEPOINTs behave as on PostgreSQL. SQLite has one writer at a time, and a
    transaction that read cannot turn into a write once another writer committed after its snapshot
    (SQLITE_BUSY at once, whatever the timeout). So a unit takes the write lock when it begins (BEGIN IMMEDIATE,
    queueing behind other writers for up to busy_timeout) and what it reads stays current until it commits; only
    a unit that says it only reads (`begin_reading`: a page, a check) begins deferred and reads beside the writers
    (WAL), never waiting for them. Safe by default: a unit that forgets to say it only reads waits its turn; it
    never loses a race.

    A dialect rather than event listeners: the BEGIN is the dialect's own `do_begin`, whose driver errors SQLAlchemy
    wraps as it wraps any statement's (the write lock not had within busy_timeout is an `OperationalError`), and
    with no connection events listened to, no statement pays for dispatching them.
    """

    supports_statement_cache = True

    connection_characteristics = SQLiteDialect_pysqlite.connection_characteristics.union({READS: _OnlyReads()})

    def create_connect_args(self, url: URL) -> Any:
        args, options = super().create_connect_args(url)
        options["factory"] = _SQLiteConnection
        return args, options

    def on_connect(self) -> Callable[[Any], None]:
        pysqlite_setup = super().on_connect()

        def setup(dbapi_connection: Any) -> None:
            pysqlite_setup(dbapi_connection)
            dbapi_connection.isolation_level = None
            # WAL lets readers go on while one writer commits; NORMAL sync is durable across application crashes,
            # and a writer waits up to 5 s for the lock instead of failing at once.
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
                dbapi_connection.execute(f"PRAGMA {pragma}")
            # SQLite's own lower() folds only ASCII: this one folds every letter, as PostgreSQL's lower() does
            dbapi_connection.create_function(UNICODE_LOWER, 1, _unicode_lower, deterministic=True)

        return setup

    def do_begin(self, dbapi_connection: Any) -> None:
        dbapi_connection.execute("BEGIN" if dbapi_connection.reads else "BEGIN IMMEDIATE")

    def do_commit(self, dbapi_connection: Any) -> None:
        # Begun by a statement, ended by one: the driver's statement cache keeps "COMMIT" prepared, where its
        # `commit()` prepares it anew each time. As `commit()`, nothing to do when SQLite has already ended the
        # transaction; SQLAlchemy wraps the errors of either alike.
        if dbapi_connection.in_transaction:
            dbapi_connection.execute("COMMIT")


#: the SQL function that lowers every letter (Cyrillic too) on SQLite, where lower() lowers only ASCII
UNICODE_LOWER = "radaflow_lower"


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def unicode_lower(session: Session, value: Any) -> Any:
    """`lower(value)` in SQL that lowers every letter on both databases (a search that ignores case)."""
    bind = session.get_bind()
    return getattr(func, UNICODE_LOWER)(value) if bind.dialect.name == "sqlite" else func.lower(value)


#: the driver name Radaflow's SQLite dialect is registered under (SQLAlchemy's public dialect registry)
SQLITE_DRIVER = "radaflow"


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    registry.register(f"sqlite.{SQLITE_DRIVER}", __name__, SQLiteDialect.__name__)
    address = make_url(url)
    if address.get_driver_name() == "pysqlite":  # sqlite:// and sqlite+pysqlite:// are the driver it builds on
        address = address.set(drivername=f"sqlite+{SQLITE_DRIVER}")
    database = address.database or ""
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(address, **kwargs)


def begin_reading(session: Session, *, one_snapshot: bool = False) -> Session:
    """Say that the session's transaction only reads, before it touches the database: on SQLite it then begins
    deferred and never waits for a writer, instead of with the write lock. With `one_snapshot`, every statement
    of the transaction sees the database as it was at its first (PostgreSQL: REPEATABLE READ; SQLite's deferred
    transaction has one snapshot anyway): for a check that must not see a move committed half-way through it.

    Pages that are read, and checks over the whole database, call it first thing. Returns the session.
    """
    options: dict[str, Any] = {READS: True}
    if one_snapshot and session.get_bind().dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    session.connection(execution_options=options)
    return session


#: where a session keeps the definition registry the engine fires through
REGISTRY_KEY = "radaflow.registry"


def make_sessionmaker(engine: Engine, registry: object | None = None) -> sessionmaker[Session]:
    """Sessions bound to the engine, carrying the definition registry the engine needs."""
    info = {} if registry is None else {REGISTRY_KEY: registry}
    return sessionmaker(engine, expire_on_commit=False, info=info)
