"""`radaflow audit`: the hash-chained audit log — sealing its heads, verifying it against the latest seal."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from tasks import runner
from web.cli.words import _, render
from web.extension import radaflow
from workflow import schema
from workflow.engine import seals
from workflow.engine.audit import verify_log
from workflow.runtime import Runtime


@click.group(cls=AppGroup)
def audit() -> None:
    """The hash-chained audit log and its seals."""


def _database_up_to_date(ext: Runtime) -> None:
    if schema.current_revision(ext.engine) != schema.head_revision(ext.engine):
        raise click.ClickException(_("the database is not up to date: run `radaflow db upgrade` first"))


@audit.command("seal")
def audit_seal() -> None:
    """Seal the head of every document's chain with the seal key: a signed file in the instance's seals/ folder,
    to copy where the database's owners cannot reach. Refused when the log does not hold together."""
    ext = radaflow()
    _database_up_to_date(ext)
    try:
        sealed = runner.seal_audit(ext)
    except seals.SealError as error:
        raise click.ClickException(render(error.detail)) from None
    click.echo(
        _(
            "sealed the heads of {documents} document(s) on {label}: {path}",
            documents=len(sealed.seal.heads),
            label=sealed.seal.label,
            path=sealed.path,
        )
    )
    click.echo(_("  digest      {digest}", digest=sealed.seal.digest))
    click.echo(_("  public key  {key}", key=sealed.seal.public_key))


#: at most this many broken documents are named one by one
BREAKS_SHOWN = 50


@audit.command("verify")
@click.option(
    "--seal",
    "seal_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check against this seal (e.g. a copy kept elsewhere) instead of the latest in seals/",
)
def audit_verify(seal_file: Path | None) -> None:
    """Check the whole audit log, and every sealed document against the latest seal; name what broke and exit 1
    if history was altered."""
    ext = radaflow()
    _database_up_to_date(ext)
    settings = ext.settings
    seal_path = seal_file if seal_file is not None else seals.latest_seal_file(settings.seals_dir)
    seal, seal_problem = None, None
    if seal_path is not None:
        try:
            seal = seals.read_seal(seal_path)
            expected = seals.verifying_key(settings.seal_key, settings.seal_public_key, settings.seal_key_file)
        except seals.SealError as error:
            seal, seal_problem = None, render(error.detail)
        else:
            if expected is None:
                seal_problem = _(
                    "the seal {path} cannot be checked: no seal key is configured to check it against "
                    "(RADAFLOW_SEAL_KEY, RADAFLOW_SEAL_PUBLIC_KEY or {key_file})",
                    path=seal_path,
                    key_file=settings.seal_key_file,
                )
            elif (issue := seals.check_signature(seal, expected)) is not None:
                seal_problem = _("the seal {path} {issue}", path=seal_path, issue=render(issue))
            if seal_problem is not None:
                seal = None
    with ext.sessions() as session:
        seals.consistent_reads(session)
        documents, entries, problem = verify_log(session)
        breaks = [] if seal is None else seals.check_against_seal(session, seal)
    if problem is not None:
        click.echo(_("BROKEN: {problem}", problem=problem), err=True)
        click.echo(
            _(
                "checked {documents} document(s), {entries} entries before the break",
                documents=documents,
                entries=entries,
            ),
            err=True,
        )
    else:
        click.echo(
            _(
                "ok: {entries} audit entries of {documents} document(s) hold together",
                entries=entries,
                documents=documents,
            )
        )
    if seal_problem is not None:
        click.echo(_("Error: {problem}", problem=seal_problem), err=True)
    for broken in breaks[:BREAKS_SHOWN]:
        click.echo(_("Error: {problem}", problem=render(broken.said)), err=True)
    if len(breaks) > BREAKS_SHOWN:
        click.echo(_("Error: ... and {more} more document(s)", more=len(breaks) - BREAKS_SHOWN), err=True)
    if seal is not None and not breaks:
        click.echo(
            _(
                "ok: the {documents} document(s) sealed on {label} still hash to their sealed heads ({path})",
                documents=len(seal.heads),
                label=seal.label,
                path=seal_path,
            )
        )
    elif seal is not None:
        click.echo(
            _(
                "Error: {broken} of the {documents} document(s) sealed on {label} broke since ({path})",
                broken=len(breaks),
                documents=len(seal.heads),
                label=seal.label,
                path=seal_path,
            ),
            err=True,
        )
    elif seal_path is None:
        click.echo(
            _("note: no seal yet in {folder}; `radaflow audit seal` makes one", folder=settings.seals_dir), err=True
        )
    if problem is not None or seal_problem is not None or breaks:
        sys.exit(1)
