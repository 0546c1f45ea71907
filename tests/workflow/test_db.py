"""The engine's SQLite settings: where transactions begin, and what a unit that cannot begin sees."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from workflow.db import begin_reading, make_engine


def test_a_unit_that_cannot_get_the_write_lock_gets_sqlalchemys_error_and_a_reader_still_reads(
    tmp_path: Path,
) -> None:
    path = tmp_path / "locked.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    # another process holds the write lock
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with engine.connect() as connection:
            # wait a moment for the lock, not the five seconds a unit normally waits
            connection.connection.cursor().execute("PRAGMA busy_timeout=50")
            with pytest.raises(OperationalError, match="database is locked"):
                connection.begin()
            assert not connection.in_transaction()
            connection.rollback()
            # the same connection begins again once the lock is free... and a reader never waits for it
            with Session(bind=connection) as session:
                begin_reading(session)
                assert session.connection().exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
    finally:
        other.execute("ROLLBACK")
        other.close()
        engine.dispose()
