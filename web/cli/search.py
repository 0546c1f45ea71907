"""`radaflow search`: the public registry's search index of decisions."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from web.cli.words import _
from web.extension import radaflow
from workflow.council.decisions.index import rebuild


@click.group(cls=AppGroup)
def search() -> None:
    """The public registry's search index of decisions (kept current as decisions change)."""


@search.command("rebuild")
def search_rebuild() -> None:
    """Make the index anew from the decisions: after an upgrade that brought it, or to check it is whole."""
    with radaflow().sessions.begin() as session:
        count = rebuild(session)
    click.echo(_("The search index lists {count} decision(s).", count=count))
