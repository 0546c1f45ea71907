"""Amendments: a deputy proposes a change to a draft decision, the draft's lead committee gives its opinion,
and the council votes on it at the sitting that considers the draft."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.drafts import versions
from workflow.council.drafts.drafts import lead_committee_id
from workflow.council.drafts.models import DraftVersion
from workflow.council.sittings.models import AgendaItem, Vote
from workflow.council.sittings.votes import hold_vote
from workflow.definitions.registry import registry_of
from workflow.definitions.schema import Title
from workflow.engine import Fired, create_document, edit_document, fire
from workflow.engine.models import AuditEntry, Document
from workflow.errors import InvalidInput, NotAllowed, WrongState
from workflow.i18n import N_
from workflow.people import SYSTEM, Actor

KIND = "amendment"
#: a draft takes amendments once its committees have it, until the council decides on it
AMENDABLE_STATES = ("committee_review", "on_agenda", "postponed")
OPINIONS = ("support", "reject")


def propose_amendment(
    session: Session,
    deputy: Actor,
    draft: Document,
    text: str,
    *,
    now: datetime | None = None,
    replace: str | None = None,
    wording: str | None = None,
) -> Document:
    """A deputy's amendment to the draft, submitted to the draft's lead committee.

    `text` says what it changes and why; `replace` and `wording`, when given, are the words of the draft's text
    it changes (found there exactly once) and the new words, which `apply_amendment` puts in their place once the
    council adopted it."""
    if draft.kind != "decision_draft":
        raise InvalidInput("amendments.document_id_not_draft", N_("document {id} is not a draft decision"), id=draft.id)
    text = text.strip()
    if not text:
        raise InvalidInput("amendments.amendment_no_text", N_("the amendment has no text"))
    change: dict[str, str] = {}
    if replace is not None or wording is not None:
        replace, wording = (replace or "").strip(), (wording or "").strip()
        _check_found_once(draft, replace)
        if replace == wording:
            raise InvalidInput("amendments.same_wording", N_("the new wording is the same as the words it replaces"))
        change = {"replace": replace, "wording": wording}
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
        fields={"body": text, "lead_committee_id": lead, **change},
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


def apply_amendment(
    session: Session, amendment: Document, secretary: Actor, *, now: datetime | None = None
) -> DraftVersion:
    """Put an adopted amendment's new wording in the draft's text: the draft's next version, audited as an edit
    the council decided. Refused when the amendment is not adopted, was applied already, or its words are no
    longer found once in the text (another amendment changed them)."""
    _check_kind(amendment)
    if not secretary.holds("secretary"):
        raise NotAllowed(
            "amendments.applied_by_secretary",
            N_("an adopted amendment is applied to the text by the council secretary"),
        )
    if amendment.state != "adopted":
        raise WrongState(
            "amendments.apply_adopted_only",
            N_("only an amendment the council adopted is applied to the text; this one is '{state}'"),
            state=_state_title(session, amendment),
        )
    if session.scalar(select(DraftVersion.id).where(DraftVersion.amendment_id == amendment.id)) is not None:
        raise WrongState("amendments.applied_already", N_("the amendment was applied to the text already"))
    replace, wording = amendment.fields.get("replace"), amendment.fields.get("wording")
    if not isinstance(replace, str) or not isinstance(wording, str):
        raise InvalidInput(
            "amendments.no_wording",
            N_("the amendment names no words of the text to change: the secretary edits the text by its wording"),
        )
    draft = session.get(Document, amendment.parent_id)
    assert draft is not None
    _check_found_once(draft, replace)
    body = str(draft.fields.get("body") or "")
    particulars = versions.particulars_of(session, draft)
    edit_document(
        session,
        draft,
        secretary,
        fields={"body": body.replace(replace, wording, 1)},
        decided_by=f"amendment:{amendment.id}",
        now=now,
    )
    return versions.record_version(session, draft, secretary, particulars, amendment=amendment, now=now)


def is_applied(session: Session, amendment: Document) -> bool:
    return session.scalar(select(DraftVersion.id).where(DraftVersion.amendment_id == amendment.id)) is not None


def _check_found_once(draft: Document, words: str) -> None:
    body = str(draft.fields.get("body") or "")
    if not words:
        raise InvalidInput("amendments.no_words", N_("name the words of the draft's text that the amendment changes"))
    found = body.count(words)
    if found != 1:
        raise InvalidInput(
            "amendments.words_not_once",
            N_("the words to change must be found in the draft's text exactly once; they are found {count} times"),
            count=found,
        )


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
