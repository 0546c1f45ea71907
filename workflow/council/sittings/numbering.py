"""Official numbers of decisions: given once when a decision is signed, never reused, even when two are
signed at the same moment (the council's counter is taken under a row lock). `assign_number` is a consequence:
the engine runs it in the transaction of the move that signs the decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.law import KYIV
from workflow.council.organisation.models import Council
from workflow.council.sittings.models import AgendaItem, Decision, PlenarySession
from workflow.council.sittings.records import record_decision
from workflow.definitions.catalog import Catalog, ConsequenceContext
from workflow.engine.models import Document
from workflow.errors import WrongState
from workflow.i18n import N_
from workflow.people import Actor
from workflow.timeutil import as_utc, utcnow

ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman(number: int) -> str:
    out = []
    for value, letters in ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def assign_number(session: Session, draft: Document, *, now: datetime | None = None) -> Decision:
    """The decision's official number and date; the same Decision again if it already has one."""
    existing = session.scalar(select(Decision).where(Decision.draft_id == draft.id))
    if existing is not None:
        return existing
    if draft.kind != "decision_draft" or draft.state not in ("signed", "published", "in_force"):
        raise WrongState("numbering.number_given_signed_decision", N_("a number is given to a signed decision"))
    plenary = session.execute(
        select(PlenarySession)
        .join(AgendaItem, AgendaItem.session_id == PlenarySession.document_id)
        .join(Document, Document.id == AgendaItem.document_id)
        .where(AgendaItem.draft_id == draft.id, Document.state == "adopted")
        .order_by(AgendaItem.draft_version.desc(), AgendaItem.document_id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if plenary is None:
        raise WrongState("numbering.decision_was_not_adopted", N_("the decision was not adopted at any session"))
    # the counter row is locked until this transaction ends: concurrent signings queue here, one number each.
    # populate_existing: a Council this session loaded earlier (sessions keep objects across commits) would
    # otherwise keep its stale counter, and the number taken would be one already given.
    council = session.execute(
        select(Council)
        .where(Council.id == plenary.council_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    number = council.next_decision_number
    council.next_decision_number = number + 1
    decision = Decision(
        draft_id=draft.id,
        council_id=council.id,
        number=number,
        session_number=plenary.number,
        convocation=plenary.convocation,
        official_number=council.number_pattern.format(
            number=number, session=plenary.number, convocation=roman(plenary.convocation)
        ),
        adopted_on=as_utc(plenary.starts_at).astimezone(KYIV).date(),
        numbered_at=utcnow() if now is None else as_utc(now),
    )
    record_decision(session, decision, draft, Actor.system(), decision.numbered_at)
    return decision


def number_decision(ctx: ConsequenceContext) -> None:
    assign_number(ctx.session, ctx.document, now=ctx.now)


def register(catalog: Catalog) -> None:
    catalog.consequence("assign_number", "give an adopted decision its official number and date")(number_decision)
