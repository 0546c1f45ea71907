"""A draft's guards: its text, its visas, its committees' conclusions and their votes, and amendments.

Each returns None when the move may go ahead, or a sentence that tells the person why not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from sqlalchemy import ColumnElement, Exists, ScalarSelect, SQLColumnExpression, and_, func, select
from sqlalchemy.orm import aliased

from workflow.council.sittings.guards import vote_is
from workflow.council.sittings.votes import latest_vote
from workflow.definitions.catalog import Catalog, GuardContext
from workflow.engine.models import AuditEntry, Document
from workflow.i18n import N_, message
from workflow.timeutil import as_utc


# --- guards --------------------------------------------------------------------------------------------------
def _has_text(ctx: GuardContext) -> str | None:
    has_title, has_body = (
        isinstance(value, str) and bool(value.strip())
        for value in (ctx.document.title, ctx.document.fields.get("body"))
    )
    if not has_title and not has_body:
        return message("rules.no_title_no_text", N_("the draft has no title and no text"))
    if not has_title:
        return message("rules.no_title", N_("the draft has no title"))
    if not has_body:
        return message("rules.no_text", N_("the draft has no text"))
    return None


def round_started(document_id: int | SQLColumnExpression[int], round_starts_with: str) -> ScalarSelect[int]:
    """The version of the document's latest move `round_starts_with`: where its current round began, by the log's
    order (clocks can repeat a moment or go back; versions cannot)."""
    return (
        select(func.max(AuditEntry.version))
        .where(AuditEntry.document_id == document_id, AuditEntry.trigger == round_starts_with)
        # given a column, the documents it is of are those of an enclosing query, however deep
        .correlate_except(AuditEntry)
        .scalar_subquery()
    )


def _children_in_round(kind: str, round_starts_with: str, states: Collection[str], *, among: bool = True) -> Exists:
    """SQL for the documents (`Document`) that have a child of `kind` asked for in the current round in one of
    `states` (or, with `among=False`, in none of them): `_children_states` as a condition."""
    child = aliased(Document)
    state = child.state.in_(states) if among else child.state.not_in(states)
    return (
        select(child.id)
        .where(
            child.parent_id == Document.id,
            child.kind == kind,
            child.parent_version >= round_started(Document.id, round_starts_with),
            state,
        )
        .exists()
    )


def _children_states(ctx: GuardContext, kind: str, round_starts_with: str) -> Counter[str]:
    """States of the document's children of `kind` asked for in the current round: made since the latest move
    `round_starts_with` (a draft returned for revision and submitted again needs new visas, new conclusions)."""
    rows = ctx.session.execute(
        select(Document.state, func.count())
        .where(
            Document.parent_id == ctx.document.id,
            Document.kind == kind,
            Document.parent_version >= round_started(ctx.document.id, round_starts_with),
        )
        .group_by(Document.state)
    ).all()
    return Counter(dict(rows))


def _all_visas_given(ctx: GuardContext) -> str | None:
    states = _children_states(ctx, "visa", round_starts_with="submit")
    asked = states["requested"] + states["given"] + states["returned"]
    if asked == 0:
        return message("rules.no_visa_been_asked", N_("no visa has been asked for yet"))
    if states["returned"]:
        # a return sends the draft back in the same transaction; this holds even for a draft it did not reach
        if states["returned"] == 1:
            return message(
                "rules.visa_returned",
                N_("{returned} of {asked} visas was returned with remarks"),
                returned=1,
                asked=asked,
            )
        return message(
            "rules.visas_returned",
            N_("{returned} of {asked} visas were returned with remarks"),
            returned=states["returned"],
            asked=asked,
        )
    if states["requested"]:
        return message(
            "rules.value_open_visas_visas",
            N_("{value} of {open_visas} visas are still awaited"),
            value=states["requested"],
            open_visas=asked,
        )
    return None


def _all_visas_given_where() -> ColumnElement[bool]:
    """`_all_visas_given` in SQL: a visa of the round given, none requested or returned."""
    return and_(
        _children_in_round("visa", "submit", ("given",)),
        ~_children_in_round("visa", "submit", ("requested", "returned")),
    )


def _all_conclusions_signed(ctx: GuardContext) -> str | None:
    states = _children_states(ctx, "committee_conclusion", round_starts_with="send_to_committees")
    assigned = sum(count for state, count in states.items() if state != "cancelled")
    if assigned == 0:
        return message("rules.no_committee_been_assigned", N_("no committee has been assigned to review the draft"))
    if states["signed"] < assigned:
        return message(
            "rules.value_assigned_committee_conclusions",
            N_("{value} of {assigned} committee conclusions are not signed yet"),
            value=assigned - states["signed"],
            assigned=assigned,
        )
    return None


def _all_conclusions_signed_where() -> ColumnElement[bool]:
    """`_all_conclusions_signed` in SQL: a conclusion of the round not cancelled, and each such one signed."""
    return and_(
        _children_in_round("committee_conclusion", "send_to_committees", ("cancelled",), among=False),
        ~_children_in_round("committee_conclusion", "send_to_committees", ("signed", "cancelled"), among=False),
    )


RECOMMENDATIONS = ("support", "support_with_amendments", "reject")


def _has_recommendation(ctx: GuardContext) -> str | None:
    recommendation = ctx.document.fields.get("recommendation")
    if recommendation not in RECOMMENDATIONS:
        return message(
            "rules.conclusion_no_recommendation_one",
            N_("the conclusion has no recommendation (one of: {value})"),
            value=", ".join(RECOMMENDATIONS),
        )
    body = ctx.document.fields.get("body")
    if not (isinstance(body, str) and body.strip()):
        return message("rules.conclusion_no_text", N_("the conclusion has no text"))
    return None


# --- committees and amendments -----------------------------------------------------------------------------------
def _committee_vote_held(ctx: GuardContext) -> str | None:
    vote = latest_vote(ctx.session, ctx.document.id, "conclusion")
    last_change = ctx.session.execute(
        select(AuditEntry.version, AuditEntry.at)
        .where(AuditEntry.document_id == ctx.document.id, AuditEntry.trigger.in_(("edit", "send_back")))
        .order_by(AuditEntry.version.desc())
        .limit(1)
    ).first()
    if (
        vote is not None
        and last_change is not None
        and (
            vote.subject_version < last_change.version
            if vote.subject_version is not None
            else as_utc(vote.held_at) < as_utc(last_change.at)  # a vote from before votes kept the version
        )
    ):
        return message(
            "guards.conclusion_changed_after_committee",
            N_("the conclusion changed after the committee voted on it: the committee votes again"),
        )
    return vote_is(
        vote, "adopted", message("guards.conclusion_not_voted", N_("the committee has not voted on the conclusion yet"))
    )


def _has_committee_opinion(ctx: GuardContext) -> str | None:
    # The opinion travels with the move (data {"opinion": ...}, kept in its audit entry): an amendment under the
    # committee's consideration is edited by nobody, so it cannot be a field written beforehand.
    opinion = ctx.data.get("opinion", ctx.document.fields.get("committee_opinion"))
    if opinion not in ("support", "reject"):
        return message(
            "guards.committee_s_opinion_support",
            N_("the committee's opinion (support or reject) is not recorded"),
        )
    return None


def _amendment_adopted(ctx: GuardContext) -> str | None:
    vote = latest_vote(ctx.session, ctx.document.id, "amendment")
    return vote_is(vote, "adopted", _AMENDMENT_not_voted())


def _amendment_rejected(ctx: GuardContext) -> str | None:
    vote = latest_vote(ctx.session, ctx.document.id, "amendment")
    return vote_is(vote, "rejected", _AMENDMENT_not_voted())


def _AMENDMENT_not_voted() -> str:
    return message("guards.amendment_not_voted", N_("the council has not voted on the amendment yet"))


def register(catalog: Catalog) -> None:
    catalog.guard("has_text", "the draft has a title and a text")(_has_text)
    catalog.guard(
        "all_visas_given",
        "every visa asked for the draft is given, and at least one was asked",
        condition=_all_visas_given_where,
    )(_all_visas_given)
    catalog.guard(
        "all_committee_conclusions_signed",
        "every committee assigned to the draft has signed its conclusion",
        condition=_all_conclusions_signed_where,
    )(_all_conclusions_signed)
    catalog.guard("has_recommendation", "the conclusion states its recommendation and its text")(_has_recommendation)
    catalog.guard(
        "committee_vote_held",
        "the committee voted on the conclusion as it stands, with its quorum",
    )(_committee_vote_held)
    catalog.guard(
        "has_committee_opinion",
        "the lead committee stated its opinion on the amendment",
    )(_has_committee_opinion)
    catalog.guard("amendment_vote_adopted", "the council's vote supported the amendment")(_amendment_adopted)
    catalog.guard("amendment_vote_rejected", "the council's vote did not support the amendment")(_amendment_rejected)
