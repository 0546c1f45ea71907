"""`radaflow`: the operator's command line (a Flask CLI group), e.g. `radaflow workflow check`."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.serving import WSGIRequestHandler, run_simple

import tasks.docx as docx_files
from demo.demo import CouncilExists, seed_demo
from tasks import runner
from tasks.celery_app import create_celery, kick
from tasks.mail import retry_mail
from web.app import create_app
from web.extension import radaflow
from web.i18n import command_line_locale
from web.ids import MAX_ID, IdParam
from workflow import i18n, schema
from workflow.config import Settings
from workflow.council.catalog import CATALOG
from workflow.council.law import KYIV
from workflow.definitions.graph import to_dot, to_mermaid
from workflow.definitions.loader import DefinitionError, load_directory
from workflow.definitions.registry import DefinitionChanged
from workflow.engine import seals
from workflow.engine.audit import verify_log
from workflow.engine.migrate import migrate_documents
from workflow.engine.models import OutboxRow
from workflow.engine.outbox import retry as retry_effect
from workflow.errors import WorkflowError
from workflow.files import get_file, list_files
from workflow.i18n import N_
from workflow.notifications.models import OutgoingMail
from workflow.people import Actor
from workflow.runtime import Runtime
from workflow.timeutil import utcnow


def _locale() -> str:
    """The command line's language: RADAFLOW_LANG (uk or en), English by default, which scripts and logs read."""
    return command_line_locale()


def _(text: str, **params: Any) -> str:
    """`text` (a catalog msgid with {name} placeholders) in the command line's language, filled."""
    return i18n.gettext(text, _locale()).format(**params)


def _say(error: WorkflowError) -> str:
    """A refusal in the command line's language."""
    return i18n.render(error.detail, _locale())


def _render(said: object) -> str:
    """What the domain says (a Message, a moment, ...) in the command line's language."""
    return i18n.render(said, _locale())


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


# --- serving ------------------------------------------------------------------------------------------------
#: how often the embedded mode's ticker does what beat schedules in production
TICK_SECONDS = 15.0


class _NoBanner(WSGIRequestHandler):
    """Werkzeug's request handler without its `Server: Werkzeug/3.1.9 Python/3.11.2` header: which versions
    serve the site is nobody's business (gunicorn says only `gunicorn`, and cannot be told to say less)."""

    def send_response(self, code: int, message: str | None = None) -> None:
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--debug", is_flag=True, help="Flask's debugger and reloading (never in production)")
@click.option("--with-worker", is_flag=True,
              help="Also start a Celery worker and beat (needs REDIS_URL): the whole system in one command")
def run_command(host: str, port: int, debug: bool, with_worker: bool) -> None:
    """Serve the application for development or a demonstration (in production: gunicorn, see README).

    Without REDIS_URL (the embedded default) a ticker thread carries out effects and e-mail as soon as a commit
    wakes it, and does beat's rounds (deadlines, digests, retries). With REDIS_URL and --with-worker, a worker
    and beat are started beside the web application and stopped with it.
    """
    ext = radaflow()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if with_worker and ext.settings.redis_url is None:
        raise click.ClickException(_(
            "--with-worker needs REDIS_URL (e.g. redis://127.0.0.1:6379/0); without it effects already run "
            "in-process"))
    # With --debug the reloader runs the server in a child process it restarts on each change: the worker and
    # beat belong to the watching parent (started once), the ticker to the serving child.
    serving = not debug or os.environ.get("WERKZEUG_RUN_MAIN") == "true"
    watching = not debug or not serving
    children: list[subprocess.Popen[bytes]] = []
    if with_worker and watching:
        celery = [sys.executable, "-m", "celery", "-A", "celery_worker"]
        children.append(subprocess.Popen([*celery, "worker", "--loglevel=INFO", "--concurrency=2"]))
        children.append(subprocess.Popen([*celery, "beat", "--loglevel=INFO"]))
    elif ext.settings.redis_url is None and serving:
        app.extensions["radaflow.ticker"].start(rounds_every=TICK_SECONDS)
    try:
        # Werkzeug's server, as `flask run` starts it (Flask's app.run() does nothing inside a Flask CLI command)
        app.debug = debug  # Flask hands exceptions to Werkzeug's debugger, and reloads templates, only in debug
        run_simple(host, port, app, use_reloader=debug, use_debugger=debug, threaded=True, request_handler=_NoBanner)
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=30)


# --- definitions ---------------------------------------------------------------------------------------------
@main.group()
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
                kind=c.kind, version=c.version, states=len(c.definition.states),
                transitions=len(c.definition.transitions))
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
            raise click.ClickException(_say(error)) from None
    for (old, new), count in sorted(moved.items()):
        click.echo(f"{count:6d}  {old} -> {new}")
    click.echo(_(
        "{count} {kind} document(s) moved from version {from_version} to {to_version}",
        count=sum(moved.values()), kind=kind, from_version=from_version, to_version=to_version))


# --- database ------------------------------------------------------------------------------------------------
@main.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply the migrations, then store the current definitions' versions."""
    ext = radaflow()
    schema.upgrade(ext.engine, revision)
    click.echo(_("database at revision {revision} ({url})", revision=schema.current_revision(ext.engine),
                 url=ext.engine.url.render_as_string()))
    with ext.sessions.begin() as session:
        try:
            added = ext.registry.sync(session)
        except DefinitionChanged as error:
            raise click.ClickException(str(error)) from None
    for what in added:
        click.echo(_("stored definition {what}", what=what))


# --- effects, e-mail, deadlines ------------------------------------------------------------------------------
@main.group()
def effects() -> None:
    """The outbox: effects waiting, done and failed; retry a failed one; run what is due now."""


@effects.command("list")
@click.option("--status", type=click.Choice(["pending", "failed", "done", "all"]), default="failed",
              show_default=True)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
def effects_list(status: str, limit: int) -> None:
    """Effects by status, newest first, with their errors: what an administrator looks at when something is
    not being done."""
    _list_queue(OutboxRow, "outbox", ("pending", "failed", "done"), status, limit, lambda row: (
        f"{row.effect:<14} document {row.document_id} (move #{row.audit_version})  attempts {row.attempts}  "
        f"{_params(row.params)}"
    ))


def _list_queue(
    model: type[OutboxRow] | type[OutgoingMail], title: str, statuses: tuple[str, ...], status: str, limit: int,
    describe: Callable[[Any], str],
) -> None:
    """A queue's counts by status, then its rows of `status` (or all), newest first, each with its last error."""
    with radaflow().sessions() as session:
        query = select(model).order_by(model.id.desc()).limit(limit)
        if status != "all":
            query = query.where(model.status == status)
        rows: list[Any] = list(session.scalars(query))
        counts = dict(session.execute(select(model.status, func.count()).group_by(model.status)).all())
    click.echo(f"{title}: " + ", ".join(f"{counts.get(name, 0)} {name}" for name in statuses))
    for row in rows:
        click.echo(f"{row.id:>6}  {row.status:<7}  {describe(row)}")
        if row.last_error:
            click.echo(f"        {row.last_error}")


def _retry(ids: tuple[int, ...], put_back: Callable[[Session, int], object], noun: str) -> None:
    """Put the failed rows `ids` back in line, all or nothing, then set them going."""
    try:
        with radaflow().sessions.begin() as session:
            for row_id in ids:
                put_back(session, row_id)
    except WorkflowError as error:
        raise click.ClickException(_("{message}; nothing was retried", message=_say(error))) from None
    click.echo(_("{count} {noun} back in line", count=len(ids), noun=noun))
    set_effects_going_now()


def _params(params: dict[str, object]) -> str:
    return " ".join(f"{key}={value}" for key, value in sorted(params.items()))


@effects.command("retry")
@click.argument("ids", nargs=-1, type=IdParam(N_("effect")), required=True)
def effects_retry(ids: tuple[int, ...]) -> None:
    """Put failed effects back in line (once their cause is fixed); all or nothing."""
    _retry(ids, retry_effect, "effect(s)")


@effects.command("run")
def effects_run() -> None:
    """Do now what the workers do on their schedule: the deadline sweep, digests, effects and e-mail."""
    ext = radaflow()
    if schema.current_revision(ext.engine) != schema.head_revision(ext.engine):
        raise click.ClickException(_("the database is not up to date: run `radaflow db upgrade` first"))
    ran = runner.tick(ext)
    click.echo(_(
        "effects: {effects_done} done, {effects_failed} failed; e-mail: {mail_sent} sent, {mail_failed} failed",
        effects_done=ran.effects_done, effects_failed=ran.effects_failed, mail_sent=ran.mail_sent,
        mail_failed=ran.mail_failed))


def set_effects_going_now() -> None:
    """Carry out what is due in-process (embedded mode) or kick a worker (with Redis)."""
    settings = radaflow().settings
    if settings.redis_url is None:
        runner.run_pending(radaflow())
    else:
        kick(create_celery(settings))


@main.group()
def mail() -> None:
    """The e-mail queue."""


@mail.command("list")
@click.option("--status", type=click.Choice(["pending", "failed", "sent", "all"]), default="failed",
              show_default=True)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
def mail_list(status: str, limit: int) -> None:
    """E-mails by status, newest first, with the last error."""
    _list_queue(OutgoingMail, "e-mail", ("pending", "failed", "sent"), status, limit,
                lambda row: f"to {row.to_address}  attempts {row.attempts}  {row.subject}")


@mail.command("retry")
@click.argument("ids", nargs=-1, type=IdParam(N_("e-mail")), required=True)
def mail_retry(ids: tuple[int, ...]) -> None:
    """Put failed e-mails back in line; all or nothing."""
    _retry(ids, retry_mail, "e-mail(s)")


# --- demo data -----------------------------------------------------------------------------------------------
@main.group()
def seed() -> None:
    """Load data to try Radaflow with."""


@seed.command("demo")
@click.option("--if-empty", is_flag=True, help="Load nothing, and succeed, when the database already has a council")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="The demo's today (default: today in Kyiv)")
def seed_demo_command(if_empty: bool, today: datetime | None) -> None:
    """Load a demo council: people with accounts, committees, past and upcoming sessions, drafts in every stage."""
    ext = radaflow()
    if ext.settings.is_production:
        raise click.ClickException(_("the demo's passwords are public: it is not loaded with RADAFLOW_ENV=production"))
    if schema.current_revision(ext.engine) != schema.head_revision(ext.engine):
        raise click.ClickException(_("the database is not up to date: run `radaflow db upgrade` first"))
    day = today.date() if today is not None else datetime.now(KYIV).date()
    try:
        with ext.sessions.begin() as session:
            summary = seed_demo(session, today=day)
    except CouncilExists as error:
        if not if_empty:
            raise click.ClickException(_say(error)) from None
        click.echo(_("demo not loaded: {message}", message=_say(error)))
        return
    except WorkflowError as error:
        raise click.ClickException(_say(error)) from None
    sittings = ", ".join(f"№ {number} on {when:%d.%m.%Y} ({state})" for number, when, state in summary.sessions)
    click.echo(_("loaded the demo council: {council}", council=summary.council))
    click.echo(_(
        "  {members} members, {committees} committees, {departments} departments",
        members=summary.members, committees=summary.committees, departments=summary.departments))
    click.echo(_("  sessions: {sittings}", sittings=sittings))
    click.echo(_(
        "  {drafts} draft decisions, {decisions} numbered decisions, {votes} votes, {messages} citizen messages",
        drafts=summary.drafts, decisions=summary.decisions, votes=summary.votes, messages=summary.messages))
    click.echo(_("  {accounts} accounts, one of each role:", accounts=len(summary.accounts)))
    width = max(len(account.role) for account in summary.featured)
    for account in summary.featured:
        click.echo(f"    {account.role:<{width}}  {account.email:<28}  {account.password}")


# --- files of documents ----------------------------------------------------------------------------------------
@main.group()
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
            raise click.ClickException(_say(error)) from None
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
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the file")
def files_get(document_id: int, name: str, version: int | None, output: Path) -> None:
    """Write one version of a document's file to OUTPUT, after checking its SHA-256."""
    ext = radaflow()
    with ext.sessions() as session:
        try:
            docx_files.get_document(session, document_id)
        except WorkflowError as error:
            raise click.ClickException(_say(error)) from None
        stored = get_file(session, document_id, name, version)
        if stored is None:
            which = name if version is None else f"{name} version {version}"
            raise click.ClickException(_(
                "document {document_id} has no file {which}",
                document_id=document_id, which=which))
        content, sha256, version = stored.content, stored.sha256, stored.version
    if hashlib.sha256(content).hexdigest() != sha256:
        raise click.ClickException(_(
            "{name} version {version} of document {document_id} does not match its SHA-256",
            name=name, version=version, document_id=document_id))
    output.write_bytes(content)
    click.echo(_(
        "wrote {output}: {name} version {version}, {size} bytes, sha256 {sha256}",
        output=output, name=name, version=version, size=len(content), sha256=sha256))


@files.command("render")
@click.argument("document_id", type=IdParam(N_("document")))
@click.argument("template")
def files_render(document_id: int, template: str) -> None:
    """Render TEMPLATE for a document again (after a template was edited, say): a new version, the old kept."""
    ext = radaflow()
    try:
        with ext.sessions.begin() as session:
            document = docx_files.get_document(session, document_id)
            stored = docx_files.rerender(session, document, template, Actor.system(), utcnow(),
                                         templates_dir=docx_files.operator_templates(ext.settings))
            done = (f"rendered {stored.name} version {stored.version} of document {document_id} "
                    f"({stored.size} bytes, sha256 {stored.sha256})")
    except WorkflowError as error:
        raise click.ClickException(_say(error)) from None
    click.echo(done)


# --- audit ---------------------------------------------------------------------------------------------------
@main.group()
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
        raise click.ClickException(_render(error.detail)) from None
    click.echo(_(
        "sealed the heads of {documents} document(s) on {label}: {path}",
        documents=len(sealed.seal.heads), label=sealed.seal.label, path=sealed.path))
    click.echo(_("  digest      {digest}", digest=sealed.seal.digest))
    click.echo(_("  public key  {key}", key=sealed.seal.public_key))


#: at most this many broken documents are named one by one
BREAKS_SHOWN = 50


@audit.command("verify")
@click.option("--seal", "seal_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Check against this seal (e.g. a copy kept elsewhere) instead of the latest in seals/")
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
            seal, seal_problem = None, _render(error.detail)
        else:
            if expected is None:
                seal_problem = _(
                    "the seal {path} cannot be checked: no seal key is configured to check it against "
                    "(RADAFLOW_SEAL_KEY, RADAFLOW_SEAL_PUBLIC_KEY or {key_file})",
                    path=seal_path, key_file=settings.seal_key_file)
            elif (issue := seals.check_signature(seal, expected)) is not None:
                seal_problem = _("the seal {path} {issue}", path=seal_path, issue=_render(issue))
            if seal_problem is not None:
                seal = None
    with ext.sessions() as session:
        seals.consistent_reads(session)
        documents, entries, problem = verify_log(session)
        breaks = [] if seal is None else seals.check_against_seal(session, seal)
    if problem is not None:
        click.echo(_("BROKEN: {problem}", problem=problem), err=True)
        click.echo(_(
            "checked {documents} document(s), {entries} entries before the break",
            documents=documents, entries=entries), err=True)
    else:
        click.echo(_(
            "ok: {entries} audit entries of {documents} document(s) hold together",
            entries=entries, documents=documents))
    if seal_problem is not None:
        click.echo(_("Error: {problem}", problem=seal_problem), err=True)
    for broken in breaks[:BREAKS_SHOWN]:
        click.echo(_("Error: {problem}", problem=_render(broken.said)), err=True)
    if len(breaks) > BREAKS_SHOWN:
        click.echo(_("Error: ... and {more} more document(s)", more=len(breaks) - BREAKS_SHOWN), err=True)
    if seal is not None and not breaks:
        click.echo(_(
            "ok: the {documents} document(s) sealed on {label} still hash to their sealed heads ({path})",
            documents=len(seal.heads), label=seal.label, path=seal_path))
    elif seal is not None:
        click.echo(_(
            "Error: {broken} of the {documents} document(s) sealed on {label} broke since ({path})",
            broken=len(breaks), documents=len(seal.heads), label=seal.label, path=seal_path), err=True)
    elif seal_path is None:
        click.echo(_(
            "note: no seal yet in {folder}; `radaflow audit seal` makes one", folder=settings.seals_dir), err=True)
    if problem is not None or seal_problem is not None or breaks:
        sys.exit(1)
