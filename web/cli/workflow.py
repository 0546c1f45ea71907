"""`radaflow workflow`: check, draw and migrate the state machines in definitions/."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from web.cli.words import _, say
from web.extension import radaflow
from web.ids import MAX_ID
from workflow.config import Settings
from workflow.council.catalog import CATALOG
from workflow.definitions.graph import to_dot, to_mermaid
from workflow.definitions.loader import DefinitionError, load_directory
from workflow.engine.migrate import migrate_documents
from workflow.errors import WorkflowError
from workflow.people import Actor


@click.group(cls=AppGroup)
def workflow() -> None:
    """Check, draw and migrate the state machines in definitions/."""


def _definitions_dir(directory: str | None) -> Path:
    return Path(directory) if directory else Settings.from_env().definitions_dir


@workflow.command("check", with_appcontext=False)
@click.option("--dir", "directory", type=click.Path(file_okay=False), help="Default: definitions/")
def workflow_check(directory: str | None) -> None:
    """Validate every definition; exit non-zero, naming file and line, if any is wrong."""
    path = _definitions_dir(directory)
    try:
        compiled = load_directory(path, CATALOG)
    except DefinitionError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(_("{problems} problem(s) in {path}", problems=len(error.problems), path=path), err=True)
        sys.exit(1)
    if not compiled:
        click.echo(_("no definitions (*.yaml) in {path}", path=path), err=True)
        sys.exit(1)
    for c in compiled:
        click.echo(
            _(
                "ok  {kind} v{version}: {states} states, {transitions} transitions",
                kind=c.kind,
                version=c.version,
                states=len(c.definition.states),
                transitions=len(c.definition.transitions),
            )
        )


@workflow.command("graph", with_appcontext=False)
@click.argument("kind")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid", show_default=True)
@click.option("--mark", help="A state to highlight (e.g. a document's current state)")
@click.option("--lang", type=click.Choice(["uk", "en"]), default="uk", show_default=True)
@click.option("--dir", "directory", type=click.Path(file_okay=False), help="Default: definitions/")
def workflow_graph(kind: str, fmt: str, mark: str | None, lang: str, directory: str | None) -> None:
    """Print a definition's state machine as Mermaid or Graphviz DOT."""
    try:
        compiled = {c.kind: c for c in load_directory(_definitions_dir(directory), CATALOG)}
    except DefinitionError as error:
        raise click.ClickException(str(error)) from None
    if kind not in compiled:
        raise click.BadParameter(f"no definition {kind!r}; known: {', '.join(sorted(compiled))}", param_hint="KIND")
    render = to_dot if fmt == "dot" else to_mermaid
    try:
        click.echo(render(compiled[kind], mark=mark, lang=lang), nl=False)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--mark") from None


@workflow.command("migrate")
@click.argument("kind")
@click.option("--from", "from_version", type=click.IntRange(1, MAX_ID), required=True)
@click.option("--to", "to_version", type=click.IntRange(1, MAX_ID), required=True)
@click.option("--map", "mappings", multiple=True, metavar="OLD=NEW", help="Rename a state; repeatable")
def workflow_migrate(kind: str, from_version: int, to_version: int, mappings: tuple[str, ...]) -> None:
    """Move every KIND document from one definition version to another, audited."""
    mapping = {}
    for item in mappings:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise click.BadParameter(f"{item!r}: write it as old_state=new_state", param_hint="--map")
        mapping[old.strip()] = new.strip()
    ext = radaflow()
    with ext.sessions.begin() as session:
        try:
            moved = migrate_documents(session, kind, from_version, to_version, mapping, Actor.system())
        except WorkflowError as error:
            raise click.ClickException(say(error)) from None
    for (old, new), count in sorted(moved.items()):
        click.echo(f"{count:6d}  {old} -> {new}")
    click.echo(
        _(
            "{count} {kind} document(s) moved from version {from_version} to {to_version}",
            count=sum(moved.values()),
            kind=kind,
            from_version=from_version,
            to_version=to_version,
        )
    )
