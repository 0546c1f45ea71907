"""`radaflow files`: the Word files rendered for documents — listing, fetching (checked) and rendering again."""

from __future__ import annotations

import hashlib
from pathlib import Path

import click
from flask.cli import AppGroup

import tasks.docx as docx_files
from web.cli.params import IdParam
from web.cli.words import _, say
from web.extension import radaflow
from web.ids import MAX_ID
from workflow.errors import WorkflowError
from workflow.files import get_file, list_files
from workflow.i18n import N_
from workflow.people import Actor
from workflow.timeutil import utcnow


@click.group(cls=AppGroup)
def files() -> None:
    """The Word files rendered for documents (decisions, agendas, protocols, ...); every version is kept."""


@files.command("list")
@click.argument("document_id", type=IdParam(N_("document")))
def files_list(document_id: int) -> None:
    """List a document's files: name, version, size, SHA-256 and when each was made."""
    ext = radaflow()
    with ext.sessions() as session:
        try:
            docx_files.get_document(session, document_id)
        except WorkflowError as error:
            raise click.ClickException(say(error)) from None
        lines = [
            f"{stored.name:<22} v{stored.version:<3} {stored.size:>9} B  {stored.sha256}  "
            f"{stored.created_at:%Y-%m-%d %H:%M}"
            for stored in list_files(session, document_id)
        ]
    for line in lines:
        click.echo(line)
    click.echo(_("{count} file(s) of document {document_id}", count=len(lines), document_id=document_id))


@files.command("get")
@click.argument("document_id", type=IdParam(N_("document")))
@click.argument("name")
@click.option("--version", type=click.IntRange(1, MAX_ID), help="Default: the latest")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Where to write the file"
)
def files_get(document_id: int, name: str, version: int | None, output: Path) -> None:
    """Write one version of a document's file to OUTPUT, after checking its SHA-256."""
    ext = radaflow()
    with ext.sessions() as session:
        try:
            docx_files.get_document(session, document_id)
        except WorkflowError as error:
            raise click.ClickException(say(error)) from None
        stored = get_file(session, document_id, name, version)
        if stored is None:
            which = name if version is None else f"{name} version {version}"
            raise click.ClickException(
                _("document {document_id} has no file {which}", document_id=document_id, which=which)
            )
        content, sha256, version = stored.content, stored.sha256, stored.version
    if hashlib.sha256(content).hexdigest() != sha256:
        raise click.ClickException(
            _(
                "{name} version {version} of document {document_id} does not match its SHA-256",
                name=name,
                version=version,
                document_id=document_id,
            )
        )
    output.write_bytes(content)
    click.echo(
        _(
            "wrote {output}: {name} version {version}, {size} bytes, sha256 {sha256}",
            output=output,
            name=name,
            version=version,
            size=len(content),
            sha256=sha256,
        )
    )


@files.command("render")
@click.argument("document_id", type=IdParam(N_("document")))
@click.argument("template")
def files_render(document_id: int, template: str) -> None:
    """Render TEMPLATE for a document again (after a template was edited, say): a new version, the old kept."""
    ext = radaflow()
    try:
        with ext.sessions.begin() as session:
            document = docx_files.get_document(session, document_id)
            stored = docx_files.rerender(
                session,
                document,
                template,
                Actor.system(),
                utcnow(),
                templates_dir=docx_files.operator_templates(ext.settings),
            )
            done = (
                f"rendered {stored.name} version {stored.version} of document {document_id} "
                f"({stored.size} bytes, sha256 {stored.sha256})"
            )
    except WorkflowError as error:
        raise click.ClickException(say(error)) from None
    click.echo(done)
