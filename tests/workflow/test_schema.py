"""The models and the migrations describe the same schema (`alembic check`), on SQLite and on PostgreSQL: a
column, index or constraint added to a model without a migration, or a migration the models no longer match,
fails here with every difference listed."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import DefaultClause, Engine, inspect, text

from workflow import schema
from workflow.db import Base
from workflow.models import import_all


def test_the_migrated_database_is_at_the_newest_migration(engine: Engine) -> None:
    assert schema.current_revision(engine) == schema.head_revision(engine)


def test_the_models_match_the_migrations(engine: Engine) -> None:
    import_all()
    with engine.connect() as connection:
        options = {
            # as the migrations' environment (workflow/migrations/env.py) runs autogenerate ...
            "compare_type": True,
            "render_as_batch": engine.dialect.name == "sqlite",
            # ... and more: a server default the models do not declare is a difference too
            "compare_server_default": True,
            # the tables a migration makes that no model describes (SQLite's FTS5 tables), as env.py leaves out
            "include_name": schema.include_name,
        }
        context = MigrationContext.configure(connection, opts=options)
        differences = compare_metadata(context, Base.metadata)

    assert differences == [], (
        f"the models and the migrations differ on {engine.dialect.name}; add a migration or fix the model:\n"
        + "\n".join(readable(difference) for difference in differences)
    )


def readable(difference: object) -> str:
    """One difference from `compare_metadata` (an operation tuple, or a list of them for one column), with the
    server defaults and SQL expressions in it shown as their SQL text."""
    if isinstance(difference, list):
        return "\n".join(readable(item) for item in difference)
    if isinstance(difference, tuple):
        return "(" + ", ".join(readable(item) for item in difference) + ")"
    if isinstance(difference, DefaultClause):
        text = difference.arg if isinstance(difference.arg, str) else getattr(difference.arg, "text", difference.arg)
        return f"server_default={text!r}"
    return repr(difference)


def test_every_migration_is_undone_down_to_nothing_and_done_again_to_the_same_schema(committed_db) -> None:
    """An operator may step back a release (`alembic downgrade`): each migration's downgrade must undo exactly what
    its upgrade did, views and triggers included."""
    engine = committed_db.engine
    at_head = schema_of(engine)

    schema.downgrade(engine, "base")
    assert set(schema_of(engine)["tables"]) <= {"alembic_version"}
    schema.upgrade(engine)

    assert schema_of(engine) == at_head


def schema_of(engine: Engine) -> dict[str, object]:
    """Every table with its columns and indexes, every view and every trigger, as the database describes them."""
    found = inspect(engine)
    tables = {
        name: (
            [(column["name"], str(column["type"]), column["nullable"]) for column in found.get_columns(name)],
            sorted((index["name"] or "", tuple(index["column_names"])) for index in found.get_indexes(name)),
        )
        for name in found.get_table_names()
    }
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.execute(
                text("SELECT type, name, sql FROM sqlite_master WHERE type IN ('view', 'trigger')")
            )
        else:
            rows = connection.execute(
                text(
                    "SELECT 'view', viewname, definition FROM pg_views WHERE schemaname = current_schema() "
                    "UNION ALL SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal "
                    "UNION ALL SELECT 'function', proname, prosrc FROM pg_proc "
                    "WHERE pronamespace = current_schema()::regnamespace"
                )
            )
        others = sorted(tuple(row) for row in rows)
    return {"tables": tables, "others": others}
