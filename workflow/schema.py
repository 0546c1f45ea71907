"""Bringing a database's schema up to date with the Alembic migrations shipped in `workflow/migrations`."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

#: tables a migration makes that no model describes: SQLite's FTS5 table of decisions' search terms and its shadow
#: tables (decision_terms_data, _idx, _content, _docsize, _config), which SQLite itself manages
UNMODELLED_TABLES = ("decision_terms",)


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """For Alembic's comparison of the models with the database: leave out the tables no model describes."""
    if type_ == "table" and name is not None:
        return not any(name == table or name.startswith(f"{table}_") for table in UNMODELLED_TABLES)
    return True


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", "workflow:migrations")
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
