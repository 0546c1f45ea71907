"""`radaflow seed`: data to try Radaflow with (the demo council)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from demo.demo import CouncilExists, seed_demo
from web.cli.words import _, say
from web.extension import radaflow
from workflow import schema
from workflow.council.law import KYIV
from workflow.errors import WorkflowError


@click.group(cls=AppGroup)
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
            raise click.ClickException(say(error)) from None
        click.echo(_("demo not loaded: {message}", message=say(error)))
        return
    except WorkflowError as error:
        raise click.ClickException(say(error)) from None
    sittings = ", ".join(f"№ {number} on {when:%d.%m.%Y} ({state})" for number, when, state in summary.sessions)
    click.echo(_("loaded the demo council: {council}", council=summary.council))
    click.echo(
        _(
            "  {members} members, {committees} committees, {departments} departments",
            members=summary.members,
            committees=summary.committees,
            departments=summary.departments,
        )
    )
    click.echo(_("  sessions: {sittings}", sittings=sittings))
    click.echo(
        _(
            "  {drafts} draft decisions, {decisions} numbered decisions, {votes} votes, {messages} citizen messages",
            drafts=summary.drafts,
            decisions=summary.decisions,
            votes=summary.votes,
            messages=summary.messages,
        )
    )
    click.echo(_("  {accounts} accounts, one of each role:", accounts=len(summary.accounts)))
    width = max(len(account.role) for account in summary.featured)
    for account in summary.featured:
        click.echo(f"    {account.role:<{width}}  {account.email:<28}  {account.password}")
