"""The models and the migrations describe the same schema (`alembic check`), on SQLite and on PostgreSQL: a
column, index or constraint added to a model without a migration, or a migration the models no longer match,
fails here with every difference listed."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import DefaultClause, Engine

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
