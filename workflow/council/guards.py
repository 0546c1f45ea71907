"""The council's rules as guards: sessions, the agenda, votes, the law's deadlines.

Each returns None when the move may go ahead, or a sentence that tells the person exactly why not, with the
dates and numbers that decided it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from workflow.calendar import working_days_between
from workflow.council.law import KYIV, LAW
from workflow.council.models import AgendaItem, PlenarySession, Vote
from workflow.council.rules import CATALOG
from workflow.council.votes import latest_vote
from workflow.definitions.catalog import GuardContext
from workflow.definitions.schema import moment_of
from workflow.engine.models import AuditEntry, Document
from workflow.timeutil import as_utc

#: agenda items in these states have their outcome
ITEM_OUTCOMES = ("adopted", "rejected", "postponed", "removed")


def local_date(moment: datetime) -> date:
    return as_utc(moment).astimezone(KYIV).date()


def day(moment: datetime | date) -> str:
    """'3 March 2026': how a date is written in a refusal."""
    value = moment if isinstance(moment, date) and not isinstance(moment, datetime) else local_date(moment)
    return f"{value.day} {value:%B %Y}"


def counted(number: int, noun: str) -> str:
    """'1 day', '5 days': a number with its noun, as a refusal says it."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _plenary(ctx: GuardContext, session_id: object) -> PlenarySession | None:
    return ctx.session.get(PlenarySession, session_id) if isinstance(session_id, int) else None


# --- the draft and the session it goes to ---------------------------------------------------------------------
@CATALOG.guard(
    "published_ten_working_days_before_session",
    "the draft was published for discussion at least the legal number of working days before the session",
)
def _published_in_time(ctx: GuardContext) -> str | None:
    plenary = _plenary(ctx, ctx.data.get("session_id"))
    if plenary is None:
        return "say which session the draft goes to (session_id)"
    # the latest publication by the log's order (a clock set wrong once does not make it the latest)
    published_at = ctx.session.scalar(
        select(AuditEntry.at).where(
            AuditEntry.document_id == ctx.document.id, AuditEntry.trigger == "publish_for_discussion"
        ).order_by(AuditEntry.version.desc()).limit(1)
    )
    if published_at is None:
        return "the draft was never published for discussion"
    days = working_days_between(local_date(published_at), local_date(plenary.starts_at))
    if days < LAW.publication_working_days:
        return (
            f"published on {day(published_at)}, the session is on {day(plenary.starts_at)}: "
            f"{counted(days, 'working day')}, the rule asks for {LAW.publication_working_days}"
        )
    return None


@CATALOG.guard("draft_vote_adopted", "the council's vote on the draft's agenda item adopted it")
def _draft_adopted(ctx: GuardContext) -> str | None:
    return _draft_vote_is(ctx, "adopted")


@CATALOG.guard("draft_vote_rejected", "the council's vote on the draft's agenda item did not adopt it")
def _draft_rejected(ctx: GuardContext) -> str | None:
    return _draft_vote_is(ctx, "rejected")


def _draft_vote_is(ctx: GuardContext, result: str) -> str | None:
    """The vote on the draft's current agenda item: the one made by its latest move onto an agenda, by the draft's
    log (votes of an earlier session, before a veto and a revision, do not count)."""
    current_item = ctx.session.scalar(
        select(AgendaItem.document_id).where(AgendaItem.draft_id == ctx.document.id)
        .order_by(func.coalesce(AgendaItem.draft_version, 0).desc(), AgendaItem.document_id.desc()).limit(1)
    )
    vote = None if current_item is None else latest_vote(ctx.session, current_item, "decision")
    return _vote_is(vote, result, "the council has not voted on this draft at its current session yet")


def _vote_is(vote: Vote | None, result: str, missing: str) -> str | None:
    if vote is None:
        return missing
    if vote.result != result:
        return f"the vote was {vote.result}: {vote.reason}"
    return None


@CATALOG.guard("within_veto_period", "the mayor's period for a veto has not ended")
def _within_veto_period(ctx: GuardContext) -> str | None:
    due = ctx.document.due_at
    if due is not None and as_utc(ctx.now) > as_utc(due):
        return f"the period for a veto ended on {day(due)}"
    return None


@CATALOG.guard("veto_overridden_by_two_thirds", "two thirds of the total composition voted to override the veto")
def _veto_overridden(ctx: GuardContext) -> str | None:
    vote = latest_vote(ctx.session, ctx.document.id, "veto_override")
    if vote is not None and vote.threshold != "two_thirds":
        return "a veto is overridden only by two thirds of the total composition"
    return _vote_is(vote, "adopted", "the council has not voted to override the veto")


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


@CATALOG.guard("agenda_not_empty", "the session has at least one item on its agenda")
def _agenda_not_empty(ctx: GuardContext) -> str | None:
    items = _items(ctx, ctx.document.id)
    if sum(count for state, count in items.items() if state != "removed") == 0:
        return "the agenda is empty"
    return None


@CATALOG.guard("convened_in_time", "the session is convened at least the legal number of days before it meets")
def _convened_in_time(ctx: GuardContext) -> str | None:
    plenary = _plenary(ctx, ctx.document.id)
    if plenary is None:
        return "the session has no date and place yet"
    needed = LAW.convene_days_extraordinary if plenary.kind == "extraordinary" else LAW.convene_days_regular
    days = (local_date(plenary.starts_at) - local_date(ctx.now)).days
    if days < needed:
        kind = "an extraordinary" if plenary.kind == "extraordinary" else "a regular"
        return (
            f"the session is on {day(plenary.starts_at)}, convened on {day(ctx.now)}: {counted(days, 'day')} "
            f"before, {kind} session is convened at least {counted(needed, 'day')} before"
        )
    return None


@CATALOG.guard("session_day_reached", "the sitting opens on the session's day, not before")
def _session_day_reached(ctx: GuardContext) -> str | None:
    plenary = _plenary(ctx, ctx.document.id)
    if plenary is not None and local_date(ctx.now) < local_date(plenary.starts_at):
        return f"the session is on {day(plenary.starts_at)}"
    return None


@CATALOG.guard("every_item_has_outcome", "every item of the agenda was decided, postponed or removed")
def _every_item_has_outcome(ctx: GuardContext) -> str | None:
    items = _items(ctx, ctx.document.id)
    open_items = sum(count for state, count in items.items() if state not in ITEM_OUTCOMES)
    if open_items:
        return f"{open_items} agenda items have no outcome yet"
    return None


# --- agenda items -------------------------------------------------------------------------------------------------
def _item(ctx: GuardContext) -> AgendaItem | None:
    return ctx.session.get(AgendaItem, ctx.document.id)


@CATALOG.guard("inclusion_voted", "the council approved the agenda with this item, or voted to add it")
def _inclusion_voted(ctx: GuardContext) -> str | None:
    item = _item(ctx)
    if item is None:
        return "the item is not on any session's agenda"
    added = latest_vote(ctx.session, ctx.document.id, "add_item")
    if added is not None:
        return _vote_is(added, "adopted", "")
    agenda = latest_vote(ctx.session, item.session_id, "approve_agenda")
    if agenda is None:
        return "the council has not approved the agenda yet"
    if _proposed_after(agenda, ctx.document):
        return "the item was proposed after the agenda was approved: the council must vote to add it"
    return _vote_is(agenda, "adopted", "")


def _proposed_after(agenda: Vote, item: Document) -> bool:
    """Whether the item was proposed after the vote approving the agenda, by the session's log: the version the
    vote's record produced against the session's version when the item was made."""
    if agenda.audit_version is not None and item.parent_version is not None:
        return item.parent_version >= agenda.audit_version
    return as_utc(agenda.held_at) < as_utc(item.created_at)  # records from before the log kept their versions


@CATALOG.guard("session_in_progress", "the sitting is in progress")
def _session_in_progress(ctx: GuardContext) -> str | None:
    item = _item(ctx)
    plenary = ctx.session.get(Document, item.session_id) if item is not None else None
    if plenary is None or plenary.state != "in_progress":
        return "the sitting is not in progress"
    return None


@CATALOG.guard("item_vote_adopted", "the council's vote on the item adopted it")
def _item_adopted(ctx: GuardContext) -> str | None:
    return _vote_is(latest_vote(ctx.session, ctx.document.id, "decision"), "adopted", "the council has not voted yet")


@CATALOG.guard("item_vote_rejected", "the council's vote on the item did not adopt it")
def _item_rejected(ctx: GuardContext) -> str | None:
    return _vote_is(latest_vote(ctx.session, ctx.document.id, "decision"), "rejected", "the council has not voted yet")


# --- committees, amendments, messages, delegations ---------------------------------------------------------------
@CATALOG.guard("committee_vote_held", "the committee voted on the conclusion as it stands, with its quorum")
def _committee_vote_held(ctx: GuardContext) -> str | None:
    vote = latest_vote(ctx.session, ctx.document.id, "conclusion")
    last_change = ctx.session.execute(
        select(AuditEntry.version, AuditEntry.at).where(
            AuditEntry.document_id == ctx.document.id, AuditEntry.trigger.in_(("edit", "send_back"))
        ).order_by(AuditEntry.version.desc()).limit(1)
    ).first()
    if vote is not None and last_change is not None and (
        vote.subject_version < last_change.version if vote.subject_version is not None
        else as_utc(vote.held_at) < as_utc(last_change.at)  # a vote from before votes kept the version
    ):
        return "the conclusion changed after the committee voted on it: the committee votes again"
    return _vote_is(vote, "adopted", "the committee has not voted on the conclusion yet")


@CATALOG.guard("has_committee_opinion", "the lead committee stated its opinion on the amendment")
def _has_committee_opinion(ctx: GuardContext) -> str | None:
    # The opinion travels with the move (data {"opinion": ...}, kept in its audit entry): an amendment under the
    # committee's consideration is edited by nobody, so it cannot be a field written beforehand.
    opinion = ctx.data.get("opinion", ctx.document.fields.get("committee_opinion"))
    if opinion not in ("support", "reject"):
        return "the committee's opinion (support or reject) is not recorded"
    return None


@CATALOG.guard("amendment_vote_adopted", "the council's vote supported the amendment")
def _amendment_adopted(ctx: GuardContext) -> str | None:
    vote = latest_vote(ctx.session, ctx.document.id, "amendment")
    return _vote_is(vote, "adopted", "the council has not voted on the amendment yet")


@CATALOG.guard("amendment_vote_rejected", "the council's vote did not support the amendment")
def _amendment_rejected(ctx: GuardContext) -> str | None:
    vote = latest_vote(ctx.session, ctx.document.id, "amendment")
    return _vote_is(vote, "rejected", "the council has not voted on the amendment yet")


@CATALOG.guard("has_answer", "the answer is written")
def _has_answer(ctx: GuardContext) -> str | None:
    answer = ctx.document.fields.get("answer")
    if not (isinstance(answer, str) and answer.strip()):
        return "write the answer first"
    return None


@CATALOG.guard("delegation_period_over", "the period of the delegation has ended")
def _delegation_over(ctx: GuardContext) -> str | None:
    ends = moment_of(ctx.document.fields.get("ends_at"))
    if ends is None:
        return "the delegation has no end"
    if as_utc(ctx.now) < ends:
        return f"the delegation is in effect until {day(ends)}"
    return None
