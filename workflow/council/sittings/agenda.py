"""The secretary builds a session's agenda before the sitting: the drafts that may go on it (and why the others
may not yet), items proposed and taken off, standing items without a draft ("Різне"), and the order of
consideration.

Positions are legally decisive: every new order is an `AgendaOrder` row, append-only, recorded under the
session's chain (`radaflow audit verify` recomputes its digest), and the items' positions follow it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow import limits
from workflow.council.ledger import moment, put_under_chain, row_spec
from workflow.council.sittings.models import AgendaItem, AgendaOrder
from workflow.council.sittings.sessions import add_to_agenda, agenda, remove_item
from workflow.definitions.catalog import Catalog, GuardContext
from workflow.definitions.registry import registry_of
from workflow.engine import create_document, lock_document
from workflow.engine.models import Document
from workflow.errors import Conflict, InvalidInput, NotAllowed, WrongState
from workflow.i18n import N_, Message
from workflow.people import Actor, Person
from workflow.timeutil import as_utc, utcnow

#: a session's agenda is built while it is planned or convened; during the sitting items change only by vote
BUILDING_STATES = ("planned", "convened")
#: the drafts' states from which they may be put on an agenda
CANDIDATE_STATES = ("committee_review", "postponed")
#: agenda items in these states are no longer on the agenda
GONE = ("removed",)
#: items most sessions end with, which the secretary adds in one click (the agenda's words are the state
#: language's, as the papers are)
STANDING_ITEMS = ("Різне",)
#: the longest title of an item
TITLE_LIMIT = 500

AGENDA_ORDER = "agenda_order"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A draft that could go on this session's agenda: ready, or not with the engine's reasons."""

    draft: Document
    reasons: tuple[Message | str, ...]

    @property
    def ready(self) -> bool:
        return not self.reasons


def _check_secretary(actor: Actor) -> None:
    if not actor.holds("secretary"):
        raise NotAllowed("agenda.built_by_secretary", N_("the agenda is built by the council's secretary"))


def _check_building(plenary: Document) -> None:
    if plenary.kind != "session":
        raise InvalidInput("agenda.not_a_session", N_("this is not a plenary session"))
    if plenary.state not in BUILDING_STATES:
        raise WrongState(
            "agenda.built_before_sitting",
            N_("the agenda is built before the sitting opens; during it, items are added or removed by vote"),
        )


def _item_of(session: Session, plenary: Document, item: Document) -> AgendaItem:
    detail = session.get(AgendaItem, item.id)
    if detail is None or detail.session_id != plenary.id:
        raise InvalidInput(
            "agenda.not_on_this_agenda",
            N_("«{title}» is not on the agenda of this session"),
            title=item.title,
        )
    return detail


# --- what may go on it ----------------------------------------------------------------------------------------
def candidates(session: Session, plenary: Document, actor: Actor, *, now: datetime | None = None) -> list[Candidate]:
    """The drafts waiting for a session (in committee review or postponed), each with the reasons the engine
    gives why it may not be put on this session's agenda yet (none: it is ready)."""
    now = utcnow() if now is None else as_utc(now)
    registry = registry_of(session)
    drafts = session.scalars(
        select(Document)
        .where(Document.kind == "decision_draft", Document.state.in_(CANDIDATE_STATES))
        .order_by(Document.id)
    ).all()
    out = []
    for draft in drafts:
        compiled = registry.get(draft.kind, draft.definition_version, session)
        move = compiled.move(draft.state, "put_on_agenda")
        if move is None:
            continue
        context = GuardContext(session, draft, actor, now, {"session_id": plenary.id})
        reasons = tuple(reason for guard in move.guards if (reason := guard.check(context)) is not None)
        out.append(Candidate(draft, reasons))
    return out


# --- items in and out -----------------------------------------------------------------------------------------
def propose_draft(
    session: Session,
    plenary: Document,
    secretary: Actor,
    draft: Document,
    *,
    reporter: Person | None = None,
    now: datetime | None = None,
) -> Document:
    """Put the draft on the session's agenda as its last item (the draft's own rules are the engine's)."""
    _check_secretary(secretary)
    _check_building(plenary)
    if draft.kind != "decision_draft":
        raise InvalidInput("agenda.not_a_draft", N_("only a draft decision goes on the agenda this way"))
    if draft.state not in CANDIDATE_STATES:  # on an agenda already (two tabs), or not through its committees
        raise WrongState(
            "agenda.draft_not_waiting", N_("«{title}» is not waiting for a session's agenda"), title=draft.title
        )
    return add_to_agenda(session, plenary, secretary, draft, reporter=reporter, now=now)


def add_standing_item(
    session: Session, plenary: Document, secretary: Actor, title: str, *, now: datetime | None = None
) -> Document:
    """An item without a draft (a standing item such as "Різне", or information heard): the agenda's last."""
    _check_secretary(secretary)
    _check_building(plenary)
    title = " ".join(title.split())
    if not title:
        raise InvalidInput("agenda.item_needs_title", N_("an item of the agenda needs its title"))
    if len(title) > TITLE_LIMIT:
        raise InvalidInput(
            "agenda.item_title_too_long",
            N_("the item's title has {length} characters; at most {limit}"),
            length=len(title),
            limit=TITLE_LIMIT,
        )
    if any(item.title == title for _detail, item in standing(session, plenary)):
        raise InvalidInput("agenda.item_already_on", N_("«{title}» is on this agenda already"), title=title)
    position = (
        session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.session_id == plenary.id)) or 0
    ) + 1
    item = create_document(
        session, "agenda_item", secretary, parent=plenary, title=title, fields={"position": position}, now=now
    )
    session.add(AgendaItem(document_id=item.id, session_id=plenary.id, position=position))
    session.flush()
    return item


def take_off_agenda(
    session: Session, plenary: Document, secretary: Actor, item: Document, reason: str, *, now: datetime | None = None
) -> None:
    """Take a proposed item off the agenda before the sitting, with the reason; its draft waits for another."""
    _check_secretary(secretary)
    _check_building(plenary)
    _item_of(session, plenary, item)
    if not reason.strip():
        raise InvalidInput("agenda.reason_required", N_("say why the item is taken off the agenda"))
    if len(reason) > limits.COMMENT:
        raise InvalidInput(
            "agenda.reason_too_long",
            N_("the reason has {length} characters; at most {limit} are kept"),
            length=len(reason),
            limit=limits.COMMENT,
        )
    remove_item(session, item, secretary, reason, now=now)


# --- the order ------------------------------------------------------------------------------------------------
def standing(session: Session, plenary: Document) -> list[tuple[AgendaItem, Document]]:
    """The items still on the agenda, in their order."""
    return [(detail, item) for detail, item in agenda(session, plenary) if item.state not in GONE]


def order_agenda(
    session: Session,
    plenary: Document,
    secretary: Actor,
    order: Sequence[int],
    *,
    moved: Document | None = None,
    now: datetime | None = None,
) -> AgendaOrder:
    """Give the agenda a new order: `order` names every item still on it, each once, first considered first.
    Recorded under the session's chain; the items' positions follow (items taken off come after them)."""
    now = utcnow() if now is None else as_utc(now)
    _check_secretary(secretary)
    _check_building(plenary)
    lock_document(session, plenary)  # under the session's lock: two secretaries ordering at once, one wins
    rows = agenda(session, plenary)
    on_it = [detail.document_id for detail, item in rows if item.state not in GONE]
    if sorted(order) != sorted(on_it) or len(set(order)) != len(order):
        raise Conflict(
            "agenda.order_changed",
            N_("the agenda changed after you opened it: look at it again, then order it"),
        )
    positions = {item_id: number for number, item_id in enumerate(order, start=1)}
    after = len(order)
    for detail, _item in rows:
        if detail.document_id not in positions:
            after += 1
            positions[detail.document_id] = after
    for detail, _item in rows:
        detail.position = positions[detail.document_id]
    row = AgendaOrder(
        session_id=plenary.id,
        items=list(order),
        moved_item_id=None if moved is None else moved.id,
        recorded_at=now,
        recorded_by_id=secretary.id,
    )
    return put_under_chain(session, row, plenary, secretary, record=AGENDA_ORDER, content=_content, now=now)


def move_item(
    session: Session,
    plenary: Document,
    secretary: Actor,
    item: Document,
    *,
    to: int,
    now: datetime | None = None,
) -> AgendaOrder:
    """Move one item to position `to` (1 is first) among the items still on the agenda; the others close up."""
    _check_secretary(secretary)
    _check_building(plenary)
    _item_of(session, plenary, item)
    order = [detail.document_id for detail, _ in standing(session, plenary)]
    if item.id not in order:
        raise WrongState(
            "agenda.item_taken_off", N_("«{title}» was taken off the agenda: it has no place"), title=item.title
        )
    if not 1 <= to <= len(order):
        raise InvalidInput(
            "agenda.position_out_of_range",
            N_("a position on this agenda is from 1 to {count}"),
            count=len(order),
        )
    order.remove(item.id)
    order.insert(to - 1, item.id)
    return order_agenda(session, plenary, secretary, order, moved=item, now=now)


def orders(session: Session, plenary: Document) -> list[AgendaOrder]:
    """Every order the agenda was given, oldest first (by the session's log)."""
    return list(
        session.scalars(
            select(AgendaOrder).where(AgendaOrder.session_id == plenary.id).order_by(AgendaOrder.audit_version)
        )
    )


# --- the record -----------------------------------------------------------------------------------------------
def _content(row: AgendaOrder) -> dict[str, Any]:
    return {
        "id": row.id,
        "session_id": row.session_id,
        "items": list(row.items),
        "moved_item_id": row.moved_item_id,
        "recorded_at": moment(row.recorded_at),
        "recorded_by_id": row.recorded_by_id,
        "audit_version": row.audit_version,
    }


SPEC = row_spec(
    AGENDA_ORDER,
    "an order of a session's agenda given by the secretary",
    key=AgendaOrder.id,
    ledger=AgendaOrder.session_id,
    content=_content,
)


def register(catalog: Catalog) -> None:
    catalog.record(SPEC)
