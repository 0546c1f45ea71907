"""`radaflow`: the operator's command line (a Flask CLI group), e.g. `radaflow workflow check`; one module per
command group."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from web.app import create_app
from web.cli import audit, db, effects, files, search, seed, serve, workflow


def _create_app() -> Flask:
    app = create_app()
    # A command's database connections are closed when the command ends, not left for the garbage collector
    # (which PostgreSQL would see as a client vanishing mid-connection).
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(app.extensions["radaflow"].engine.dispose)
    return app


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Radaflow: the council's cabinets, public portal and workflow engine."""


main.add_command(serve.run_command)
for group in (
    workflow.workflow,
    db.db,
    effects.effects,
    effects.mail,
    seed.seed,
    files.files,
    audit.audit,
    search.search,
):
    main.add_command(group)
