"""The sittings' rules as guards: a draft and the session it goes to, sessions, the agenda, votes, the law's
deadlines.

Each returns None when the move may go ahead, or a sentence that tells the person exactly why not, with the
dates and numbers that decided it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select

from workflow.calendar import working_days_between
from workflow.council.law import LAW
from workflow.council.sittings.models import AgendaItem, PlenarySession, Vote
from workflow.council.sittings.votes import latest_vote, vote_reason
from workflow.definitions.catalog import Catalog, GuardContext
from workflow.engine.models import AuditEntry, Document
from workflow.i18n import N_, Plural, local_date, message
from workflow.timeutil import as_utc

#: a vote's result as a refusal names it
RESULTS = {"adopted": message("votes.adopted", N_("adopted")), "rejected": message("votes.rejected", N_("rejected"))}
#: agenda items in these states have their outcome
ITEM_OUTCOMES = ("adopted", "rejected", "postponed", "removed")


def day(moment: datetime | date) -> date:
    """The day a refusal names (a moment taken in Kyiv): the reader's language writes it ('3 March 2026')."""
    return moment if isinstance(moment, date) and not isinstance(moment, datetime) else local_date(moment)


def counted(number: int, singular: str, plural: str) -> Plural:
    """'1 day', '5 days': a number with its noun, by the reader's language's plural rules."""
    return Plural(number, singular, plural)


def _plenary(ctx: GuardContext, session_id: object) -> PlenarySession | None:
    return ctx.session.get(PlenarySession, session_id) if isinstance(session_id, int) else None


# --- the draft and the session it goes to ---------------------------------------------------------------------
def _published_in_time(ctx: GuardContext) -> str | None:
    plenary = _plenary(ctx, ctx.data.get("session_id"))
    if plenary is None:
        return message("guards.say_which_session_draft", N_("say which session the draft goes to (session_id)"))
    # the latest publication by the log's order (a clock set wrong once does not make it the latest)
    published_at = ctx.session.scalar(
        select(AuditEntry.at)
        .where(AuditEntry.document_id == ctx.document.id, AuditEntry.trigger == "publish_for_discussion")
        .order_by(AuditEntry.version.desc())
        .limit(1)
    )
    if published_at is None:
        return message("guards.draft_was_never_published", N_("the draft was never published for discussion"))
    days = working_days_between(local_date(published_at), local_date(plenary.starts_at))
    if days < LAW.publication_working_days:
        return message(
            "guards.published_published_at_session",
            N_(
                "published on {published_at}, the session is on {starts_at}: {days}, the rule asks for "
                "{publication_working_days}"
            ),
            published_at=day(published_at),
            starts_at=day(plenary.starts_at),
            days=counted(days, "{n} working day", "{n} working days"),
            publication_working_days=LAW.publication_working_days,
        )
    return None


def _draft_adopted(ctx: GuardContext) -> str | None:
    return _draftvote_is(ctx, "adopted")


def _draft_rejected(ctx: GuardContext) -> str | None:
    return _draftvote_is(ctx, "rejected")


def _draftvote_is(ctx: GuardContext, result: str) -> str | None:
    """The vote on the draft's current agenda item: the one made by its latest move onto an agenda, by the draft's
    log (votes of an earlier session, before a veto and a revision, do not count)."""
    current_item = ctx.session.scalar(
        select(AgendaItem.document_id)
        .where(AgendaItem.draft_id == ctx.document.id)
        .order_by(func.coalesce(AgendaItem.draft_version, 0).desc(), AgendaItem.document_id.desc())
        .limit(1)
    )
    vote = None if current_item is None else latest_vote(ctx.session, current_item, "decision")
    return vote_is(
        vote,
        result,
        message("guards.draft_not_voted", N_("the council has not voted on this draft at its current session yet")),
    )


def _draft_vote_where(result: str) -> Callable[[], ColumnElement[bool]]:
    """`_draftvote_is` in SQL: the latest vote on the draft's current agenda item has `result`."""

    def condition() -> ColumnElement[bool]:
        current_item = (
            select(AgendaItem.document_id)
            .where(AgendaItem.draft_id == Document.id)
            .order_by(func.coalesce(AgendaItem.draft_version, 0).desc(), AgendaItem.document_id.desc())
            .limit(1)
            .correlate_except(AgendaItem)
            .scalar_subquery()
        )
        latest = (
            select(Vote.result)
            .where(Vote.subject_id == current_item, Vote.purpose == "decision")
            .order_by(Vote.id.desc())
            .limit(1)
            .correlate_except(Vote, AgendaItem)
            .scalar_subquery()
        )
        return latest == result

    return condition


def vote_is(vote: Vote | None, result: str, missing: str) -> str | None:
    """None if the vote has `result`, else why not: `missing` when there was no vote."""
    if vote is None:
        return missing
    if vote.result != result:
        return message(
            "guards.vote_result",
            N_("the vote was {result}: {reason}"),
            result=RESULTS.get(vote.result, vote.result),
            reason=vote_reason(vote),
        )
    return None


def _within_veto_period(ctx: GuardContext) -> str | None:
    due = ctx.document.due_at
    if due is not None and as_utc(ctx.now) > as_utc(due):
        return message("guards.period_veto_ended_due", N_("the period for a veto ended on {due}"), due=day(due))
    return None


def _veto_overridden(ctx: GuardContext) -> str | None:
    vote = latest_vote(ctx.session, ctx.document.id, "veto_override")
    if vote is not None and vote.threshold != "two_thirds":
        return message(
            "guards.veto_overridden_only_two",
            N_("a veto is overridden only by two thirds of the total composition"),
        )
    return vote_is(
        vote,
        "adopted",
        message("guards.veto_not_voted", N_("the council has not voted to override the veto")),
    )


# --- sessions ---------------------------------------------------------------------------------------------------
def _items(ctx: GuardContext, session_id: int) -> dict[str, int]:
    rows = ctx.session.execute(
        select(Document.state, func.count())
        .join(AgendaItem, AgendaItem.document_id == Document.id)
        .where(AgendaItem.session_id == session_id)
        .group_by(Document.state)
    ).all()
    counts: dict[str, int] = dict(rows)
    return counts


def _agenda_not_empty(ctx: GuardContext) -> str | None:
    items = _items(ctx, ctx.document.id)
    if sum(count for state, count in items.items() if state != "removed") == 0:
        return message("guards.agenda_empty", N_("the agenda is empty"))
    return None


def _convened_in_time(ctx: GuardContext) -> str | None:
    plenary = _plenary(ctx, ctx.document.id)
    if plenary is None:
        return message("guards.session_no_date_place", N_("the session has no date and place yet"))
    needed = LAW.convene_days_extraordinary if plenary.kind == "extraordinary" else LAW.convene_days_regular
    days = (local_date(plenary.starts_at) - local_date(ctx.now)).days
    if days < needed:
        template = (
            N_(
                "the session is on {starts_at}, convened on {now}: {days} before, an extraordinary session is "
                "convened at least {needed} before"
            )
            if plenary.kind == "extraordinary"
            else N_(
                "the session is on {starts_at}, convened on {now}: {days} before, a regular session is convened "
                "at least {needed} before"
            )
        )
        return message(
            f"guards.convened_late_{plenary.kind}",
            template,
            starts_at=day(plenary.starts_at),
            now=day(ctx.now),
            days=counted(days, "{n} day", "{n} days"),
            needed=counted(needed, "{n} day", "{n} days"),
        )
    return None


def _session_day_reached(ctx: GuardContext) -> str | None:
    plenary = _plenary(ctx, ctx.document.id)
    if plenary is not None and local_date(ctx.now) < local_date(plenary.starts_at):
        return message(
            "guards.session_starts_at",
            N_("the session is on {starts_at}"),
            starts_at=day(plenary.starts_at),
        )
    return None


def _every_item_has_outcome(ctx: GuardContext) -> str | None:
    items = _items(ctx, ctx.document.id)
    open_items = sum(count for state, count in items.items() if state not in ITEM_OUTCOMES)
    if open_items:
        return message("guards.items_without_outcome", N_("{n} agenda items have no outcome yet"), n=open_items)
    return None


# --- agenda items -------------------------------------------------------------------------------------------------
def _item(ctx: GuardContext) -> AgendaItem | None:
    return ctx.session.get(AgendaItem, ctx.document.id)


def _inclusion_voted(ctx: GuardContext) -> str | None:
    item = _item(ctx)
    if item is None:
        return message("guards.item_not_any_session", N_("the item is not on any session's agenda"))
    added = latest_vote(ctx.session, ctx.document.id, "add_item")
    if added is not None:
        return vote_is(added, "adopted", "")
    agenda = latest_vote(ctx.session, item.session_id, "approve_agenda")
    if agenda is None:
        return message("guards.council_not_approved_agenda", N_("the council has not approved the agenda yet"))
    if _proposed_after(agenda, ctx.document):
        return message(
            "guards.item_was_proposed_after",
            N_("the item was proposed after the agenda was approved: the council must vote to add it"),
        )
    return vote_is(agenda, "adopted", "")


def _proposed_after(agenda: Vote, item: Document) -> bool:
    """Whether the item was proposed after the vote approving the agenda, by the session's log: the version the
    vote's record produced against the session's version when the item was made."""
    if agenda.audit_version is not None and item.parent_version is not None:
        return item.parent_version >= agenda.audit_version
    return as_utc(agenda.held_at) < as_utc(item.created_at)  # records from before the log kept their versions


def _session_in_progress(ctx: GuardContext) -> str | None:
    item = _item(ctx)
    plenary = ctx.session.get(Document, item.session_id) if item is not None else None
    if plenary is None or plenary.state != "in_progress":
        return message("guards.sitting_not_progress", N_("the sitting is not in progress"))
    return None


def _item_adopted(ctx: GuardContext) -> str | None:
    return vote_is(latest_vote(ctx.session, ctx.document.id, "decision"), "adopted", _not_voted())


def _item_rejected(ctx: GuardContext) -> str | None:
    return vote_is(latest_vote(ctx.session, ctx.document.id, "decision"), "rejected", _not_voted())


def _not_voted() -> str:
    return message("guards.item_not_voted", N_("the council has not voted yet"))


def register(catalog: Catalog) -> None:
    catalog.guard(
        "published_ten_working_days_before_session",
        "the draft was published for discussion at least the legal number of working days before the session",
    )(_published_in_time)
    catalog.guard(
        "draft_vote_adopted",
        "the council's vote on the draft's agenda item adopted it",
        condition=_draft_vote_where("adopted"),
    )(_draft_adopted)
    catalog.guard(
        "draft_vote_rejected",
        "the council's vote on the draft's agenda item did not adopt it",
        condition=_draft_vote_where("rejected"),
    )(_draft_rejected)
    catalog.guard("within_veto_period", "the mayor's period for a veto has not ended")(_within_veto_period)
    catalog.guard(
        "veto_overridden_by_two_thirds",
        "two thirds of the total composition voted to override the veto",
    )(_veto_overridden)
    catalog.guard("agenda_not_empty", "the session has at least one item on its agenda")(_agenda_not_empty)
    catalog.guard(
        "convened_in_time",
        "the session is convened at least the legal number of days before it meets",
    )(_convened_in_time)
    catalog.guard("session_day_reached", "the sitting opens on the session's day, not before")(_session_day_reached)
    catalog.guard(
        "every_item_has_outcome",
        "every item of the agenda was decided, postponed or removed",
    )(_every_item_has_outcome)
    catalog.guard(
        "inclusion_voted",
        "the council approved the agenda with this item, or voted to add it",
    )(_inclusion_voted)
    catalog.guard("session_in_progress", "the sitting is in progress")(_session_in_progress)
    catalog.guard("item_vote_adopted", "the council's vote on the item adopted it")(_item_adopted)
    catalog.guard("item_vote_rejected", "the council's vote on the item did not adopt it")(_item_rejected)
