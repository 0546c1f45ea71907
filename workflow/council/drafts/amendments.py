"""Amendments: a deputy proposes a change to a draft decision, the draft's lead committee gives its opinion,
and the council votes on it at the sitting that considers the draft."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.drafts.drafts import lead_committee_id
from workflow.council.sittings.models import AgendaItem, Vote
from workflow.council.sittings.votes import hold_vote
from workflow.definitions.registry import registry_of
from workflow.definitions.schema import Title
from workflow.engine import Fired, create_document, fire
from workflow.engine.models import AuditEntry, Document
from workflow.errors import InvalidInput, WrongState
from workflow.i18n import N_
from workflow.people import SYSTEM, Actor

KIND = "amendment"
#: a draft takes amendments once its committees have it, until the council decides on it
AMENDABLE_STATES = ("committee_review", "on_agenda", "postponed")
OPINIONS = ("support", "reject")


def propose_amendment(
    session: Session, deputy: Actor, draft: Document, text: str, *, now: datetime | None = None
) -> Document:
    """A deputy's amendment to the draft, submitted to the draft's lead committee."""
    if draft.kind != "decision_draft":
        raise InvalidInput("amendments.document_id_not_draft", N_("document {id} is not a draft decision"), id=draft.id)
    text = text.strip()
    if not text:
        raise InvalidInput("amendments.amendment_no_text", N_("the amendment has no text"))
    if draft.state not in AMENDABLE_STATES:
        raise WrongState(
            "amendments.amendments_proposed_draft_under",
            N_("amendments are proposed to a draft under committee review or on the agenda; this one is '{state}'"),
            state=_state_title(session, draft),
        )
    lead = lead_committee_id(session, draft)
    if lead is None:
        raise WrongState(
            "amendments.draft_no_lead_committee",
            N_("the draft has no lead committee to consider an amendment"),
        )
    amendment = create_document(
        session,
        KIND,
        deputy,
        parent=draft,
        title=f"Поправка до проєкту рішення «{draft.title}»",
        fields={"body": text, "lead_committee_id": lead},
        now=now,
    )
    fire(session, amendment, "submit", deputy, now=now)
    return amendment


def committee_opinion(
    session: Session,
    amendment: Document,
    chair: Actor,
    opinion: str,
    *,
    reasoning: str | None = None,
    now: datetime | None = None,
) -> Fired:
    """The lead committee's chair records its opinion (support or reject) and, if given, why.

    The opinion travels with the move, so its audit entry records who gave which opinion and when.
    """
    _check_kind(amendment)
    if opinion not in OPINIONS:
        raise InvalidInput(
            "amendments.committee_s_opinion_one",
            N_("the committee's opinion is one of: {value}"),
            value=", ".join(OPINIONS),
        )
    return fire(session, amendment, "give_opinion", chair, comment=reasoning, data={"opinion": opinion}, now=now)


def opinion_of(session: Session, amendment: Document) -> str | None:
    """The lead committee's opinion on the amendment (from the audit of its move), None before it gave one."""
    data = session.scalar(
        select(AuditEntry.data)
        .where(AuditEntry.document_id == amendment.id, AuditEntry.trigger == "give_opinion")
        .order_by(AuditEntry.version.desc())
        .limit(1)
    )
    opinion = None if data is None else data.get("opinion")
    return opinion if isinstance(opinion, str) else None


def vote_on_amendment(
    session: Session,
    plenary: Document,
    secretary: Actor,
    amendment: Document,
    ballots: Mapping[int, str],
    *,
    now: datetime | None = None,
) -> Vote:
    """The council votes on the amendment while its draft is before the sitting; the amendment gets the outcome."""
    _check_kind(amendment)
    if amendment.state != "committee_opinion":
        raise WrongState(
            "amendments.council_votes_amendment_once",
            N_("the council votes on an amendment once the lead committee gave its opinion; this one is '{state}'"),
            state=_state_title(session, amendment),
        )
    item = session.scalar(
        select(Document)
        .join(AgendaItem, AgendaItem.document_id == Document.id)
        .where(AgendaItem.session_id == plenary.id, AgendaItem.draft_id == amendment.parent_id)
        .order_by(Document.id.desc())
        .limit(1)
    )
    if item is None:
        raise InvalidInput(
            "amendments.amended_draft_not_session",
            N_("the amended draft is not on this session's agenda"),
        )
    if item.state not in ("included", "considering"):
        raise WrongState(
            "amendments.amended_draft_s_agenda",
            N_("the amended draft's agenda item is '{state}', no longer open"),
            state=_state_title(session, item),
        )
    draft = session.get(Document, amendment.parent_id)
    vote = hold_vote(
        session,
        plenary,
        secretary,
        purpose="amendment",
        subject=amendment,
        ballots=ballots,
        question=f"Про поправку до проєкту рішення «{'' if draft is None else draft.title}»: "
        f"{amendment.fields.get('body', '')}",
        now=now,
    )
    fire(
        session,
        amendment,
        "adopt" if vote.result == "adopted" else "reject",
        SYSTEM,
        data={"vote_id": vote.id},
        now=now,
    )
    return vote


def _check_kind(amendment: Document) -> None:
    if amendment.kind != KIND:
        raise InvalidInput(
            "amendments.document_id_not_amendment",
            N_("document {id} is not an amendment"),
            id=amendment.id,
        )


def _state_title(session: Session, document: Document) -> Title:
    compiled = registry_of(session).get(document.kind, document.definition_version, session)
    return compiled.state(document.state).title
