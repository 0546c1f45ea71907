"""The database: the declarative base, engines for SQLite and PostgreSQL, and sessions.

Domain code takes a `Session`, flushes and never commits; the boundary (a web request, a task, a CLI command)
commits once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Connection, Engine, MetaData, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DBAPIError
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
    return create_engine(url, **kwargs)


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    database = url.split("///", 1)[1] if "///" in url else ""
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (so SAVEPOINTs and
        # the version check on writes behave as on PostgreSQL).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL lets readers go on while one writer commits; NORMAL sync is durable across application
        # crashes, and a writer waits up to 5 s for the lock instead of failing at once.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # SQLAlchemy's recipe for pysqlite (the driver's own transaction handling is off, see above). SQLite has
        # one writer at a time, and a transaction that read cannot turn into a write once another writer
        # committed after its snapshot (SQLITE_BUSY at once, whatever the timeout). So a unit takes the write
        # lock when it begins, queueing behind other writers for up to busy_timeout, and what it reads stays
        # current until it commits; only a unit that says it only reads (`begin_reading`: a page, a check)
        # begins deferred and reads beside the writers (WAL), never waiting for them. Safe by default: a unit
        # that forgets to say it only reads waits its turn; it never loses a race.
        reads = connection.get_execution_options().get(READS, False)
        statement = "BEGIN" if reads else "BEGIN IMMEDIATE"
        # On the connection's DB-API cursor (the public proxy), not `exec_driver_sql`: the BEGIN of every unit
        # then costs a driver call instead of a whole SQLAlchemy execution. SQLAlchemy does not wrap what a
        # "begin" listener raises, so the driver's error (the write lock not had within busy_timeout) is turned
        # into SQLAlchemy's own here, as an execution would: handlers see an `OperationalError` as from any query.
        cursor = connection.connection.cursor()
        try:
            cursor.execute(statement)
        except connection.dialect.loaded_dbapi.Error as error:
            raise DBAPIError.instance(statement, None, error, connection.dialect.loaded_dbapi.Error) from error
        finally:
            cursor.close()

    return engine


#: the connection execution option of a unit that only reads (see `begin_reading`)
READS = "radaflow_reads"


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
