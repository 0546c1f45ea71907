"""`radaflow db`: the database schema (the migrations), and the definitions stored with it."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import make_url

from web.cli.words import _
from web.extension import radaflow
from workflow import schema
from workflow.definitions.registry import DefinitionChanged


@click.group(cls=AppGroup)
def db() -> None:
    """The database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply the migrations, then store the current definitions' versions."""
    ext = radaflow()
    schema.upgrade(ext.engine, revision)
    click.echo(
        _(
            "database at revision {revision} ({url})",
            revision=schema.current_revision(ext.engine),
            # the address as the operator gave it (the engine's names Radaflow's own SQLite driver), password hidden
            url=make_url(ext.settings.database_url).render_as_string(),
        )
    )
    with ext.sessions.begin() as session:
        try:
            added = ext.registry.sync(session)
        except DefinitionChanged as error:
            raise click.ClickException(str(error)) from None
    for what in added:
        click.echo(_("stored definition {what}", what=what))
