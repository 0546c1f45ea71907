"""`radaflow effects` and `radaflow mail`: the outbox and the e-mail queue — what waits, what failed, retrying,
and doing now what the workers do on their schedule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tasks import runner
from tasks.celery_app import create_celery, kick
from tasks.mail import retry_mail
from web.cli.params import IdParam
from web.cli.words import _, say
from web.extension import radaflow
from workflow import schema
from workflow.engine.models import OutboxRow
from workflow.engine.outbox import retry as retry_effect
from workflow.errors import WorkflowError
from workflow.i18n import N_
from workflow.notifications.models import OutgoingMail


@click.group(cls=AppGroup)
def effects() -> None:
    """The outbox: effects waiting, done and failed; retry a failed one; run what is due now."""


@effects.command("list")
@click.option("--status", type=click.Choice(["pending", "failed", "done", "all"]), default="failed", show_default=True)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
def effects_list(status: str, limit: int) -> None:
    """Effects by status, newest first, with their errors: what an administrator looks at when something is
    not being done."""
    _list_queue(
        OutboxRow,
        "outbox",
        ("pending", "failed", "done"),
        status,
        limit,
        lambda row: (
            f"{row.effect:<14} document {row.document_id} (move #{row.audit_version})  attempts {row.attempts}  "
            f"{_params(row.params)}"
        ),
    )


def _list_queue(
    model: type[OutboxRow] | type[OutgoingMail],
    title: str,
    statuses: tuple[str, ...],
    status: str,
    limit: int,
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
        raise click.ClickException(_("{message}; nothing was retried", message=say(error))) from None
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
    click.echo(
        _(
            "effects: {effects_done} done, {effects_failed} failed; e-mail: {mail_sent} sent, {mail_failed} failed",
            effects_done=ran.effects_done,
            effects_failed=ran.effects_failed,
            mail_sent=ran.mail_sent,
            mail_failed=ran.mail_failed,
        )
    )


def set_effects_going_now() -> None:
    """Carry out what is due in-process (embedded mode) or kick a worker (with Redis)."""
    settings = radaflow().settings
    if settings.redis_url is None:
        runner.run_pending(radaflow())
    else:
        kick(create_celery(settings))


@click.group(cls=AppGroup)
def mail() -> None:
    """The e-mail queue."""


@mail.command("list")
@click.option("--status", type=click.Choice(["pending", "failed", "sent", "all"]), default="failed", show_default=True)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
def mail_list(status: str, limit: int) -> None:
    """E-mails by status, newest first, with the last error."""
    _list_queue(
        OutgoingMail,
        "e-mail",
        ("pending", "failed", "sent"),
        status,
        limit,
        lambda row: f"to {row.to_address}  attempts {row.attempts}  {row.subject}",
    )


@mail.command("retry")
@click.argument("ids", nargs=-1, type=IdParam(N_("e-mail")), required=True)
def mail_retry(ids: tuple[int, ...]) -> None:
    """Put failed e-mails back in line; all or nothing."""
    _retry(ids, retry_mail, "e-mail(s)")
