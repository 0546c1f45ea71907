"""`radaflow db upgrade`: migrating the database and storing the definitions, as an operator runs it."""

from __future__ import annotations

from sqlalchemy import inspect

from tests.web.cli.shipped import HEAD, SHIPPED_KINDS, SHIPPED_VERSIONS, broken_copy, sqlite_url
from workflow.db import make_engine


# --- radaflow db upgrade -----------------------------------------------------------------------------------
def test_db_upgrade_migrates_an_empty_database_and_stores_the_definitions(radaflow, database_url):
    radaflow.use_database(database_url)

    result = radaflow("db", "upgrade")

    assert result.exit_code == 0, result.output
    assert f"database at revision {HEAD}" in result.output
    assert SHIPPED_VERSIONS["decision_draft"] == 2
    for kind, version in SHIPPED_VERSIONS.items():
        assert f"stored definition {kind} version {version}" in result.output
    assert result.output.count("stored definition") == len(SHIPPED_KINDS)
    engine = make_engine(database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"documents", "audit_entries", "outbox", "definition_versions", "persons"} <= tables
    assert {"councils", "committees", "plenary_sessions", "agenda_items", "votes", "ballots", "decisions"} <= tables


def test_db_upgrade_twice_changes_nothing_and_says_nothing_new_is_stored(radaflow, database_url):
    radaflow.use_database(database_url)
    assert radaflow("db", "upgrade").exit_code == 0

    again = radaflow("db", "upgrade")

    assert again.exit_code == 0, again.output
    assert f"database at revision {HEAD}" in again.output
    assert "stored definition" not in again.output


def test_db_upgrade_without_any_setting_uses_sqlite_in_the_instance_directory(radaflow):
    result = radaflow("db", "upgrade")

    assert result.exit_code == 0, result.output
    database = radaflow.instance_dir / "radaflow.sqlite3"
    assert database.is_file()
    assert f"({sqlite_url(database)})" in result.output


def test_db_upgrade_refuses_a_definition_changed_without_a_new_version_number(radaflow, tmp_path):
    assert radaflow("db", "upgrade").exit_code == 0
    edited = broken_copy(tmp_path)
    draft = edited / "decision_draft.yaml"
    draft.write_text(
        draft.read_text(encoding="utf-8").replace('en: "Drafting"', 'en: "Being drafted"'), encoding="utf-8"
    )
    radaflow.use_definitions(edited)

    result = radaflow("db", "upgrade")

    assert result.exit_code == 1
    assert "decision_draft version 2: the YAML differs from the text stored" in result.output
    assert "give the changed definition a new version number" in result.output
    assert "Traceback" not in result.output
