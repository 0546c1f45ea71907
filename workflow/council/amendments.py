"""Amendments: a deputy proposes a change to a draft decision, the draft's lead committee gives its opinion,
and the council votes on it at the sitting that considers the draft."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.drafts import lead_committee_id
from workflow.council.models import AgendaItem, Vote
from workflow.council.votes import hold_vote
from workflow.definitions.registry import registry_of
from workflow.engine import Fired, create_document, fire
from workflow.engine.models import AuditEntry, Document
from workflow.errors import InvalidInput, WrongState
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
        raise InvalidInput(f"document {draft.id} is not a draft decision")
    text = text.strip()
    if not text:
        raise InvalidInput("the amendment has no text")
    if draft.state not in AMENDABLE_STATES:
        raise WrongState(
            f"amendments are proposed to a draft under committee review or on the agenda; "
            f"this one is '{_state_title(session, draft)}'"
        )
    lead = lead_committee_id(session, draft)
    if lead is None:
        raise WrongState("the draft has no lead committee to consider an amendment")
    amendment = create_document(
        session, KIND, deputy, parent=draft, title=f"Поправка до проєкту рішення «{draft.title}»",
        fields={"body": text, "lead_committee_id": lead}, now=now,
    )
    fire(session, amendment, "submit", deputy, now=now)
    return amendment


def committee_opinion(
    session: Session, amendment: Document, chair: Actor, opinion: str, *, reasoning: str | None = None,
    now: datetime | None = None,
) -> Fired:
    """The lead committee's chair records its opinion (support or reject) and, if given, why.

    The opinion travels with the move, so its audit entry records who gave which opinion and when.
    """
    _check_kind(amendment)
    if opinion not in OPINIONS:
        raise InvalidInput(f"the committee's opinion is one of: {', '.join(OPINIONS)}")
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
    session: Session, plenary: Document, secretary: Actor, amendment: Document, ballots: Mapping[int, str], *,
    now: datetime | None = None,
) -> Vote:
    """The council votes on the amendment while its draft is before the sitting; the amendment gets the outcome."""
    _check_kind(amendment)
    if amendment.state != "committee_opinion":
        raise WrongState(
            "the council votes on an amendment once the lead committee gave its opinion; "
            f"this one is '{_state_title(session, amendment)}'"
        )
    item = session.scalar(
        select(Document)
        .join(AgendaItem, AgendaItem.document_id == Document.id)
        .where(AgendaItem.session_id == plenary.id, AgendaItem.draft_id == amendment.parent_id)
        .order_by(Document.id.desc())
        .limit(1)
    )
    if item is None:
        raise InvalidInput("the amended draft is not on this session's agenda")
    if item.state not in ("included", "considering"):
        raise WrongState(f"the amended draft's agenda item is '{_state_title(session, item)}', no longer open")
    draft = session.get(Document, amendment.parent_id)
    vote = hold_vote(
        session, plenary, secretary, purpose="amendment", subject=amendment, ballots=ballots,
        question=f"Про поправку до проєкту рішення «{'' if draft is None else draft.title}»: "
        f"{amendment.fields.get('body', '')}",
        now=now,
    )
    fire(session, amendment, "adopt" if vote.result == "adopted" else "reject", SYSTEM,
         data={"vote_id": vote.id}, now=now)
    return vote


def _check_kind(amendment: Document) -> None:
    if amendment.kind != KIND:
        raise InvalidInput(f"document {amendment.id} is not an amendment")


def _state_title(session: Session, document: Document) -> str:
    compiled = registry_of(session).get(document.kind, document.definition_version, session)
    return compiled.state(document.state).title.en
