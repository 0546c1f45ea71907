"""A person's work: the documents waiting for an action they may take now, the most urgent first.

A document is waiting for a person when, in its current state, a move is expected of them: open to them (by a
role they hold, for that document), its guards holding now (those its form or workplace will satisfy, as the
caller says, taken as held), and neither one only the system makes, nor one that needs a comment saying why (a
refusal, a return), nor one that ends or cancels what was asked (`NOT_AWAITED`): what one may do, not what is
awaited. Listed with it is
everything the person may do to it now. Candidates are read once, by the states with an expected move; the role
check, which needs no query, comes before the guards.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from workflow.definitions.compiled import Move
from workflow.definitions.registry import registry_of
from workflow.engine import Action, available_actions
from workflow.engine.firing import holds_any_role
from workflow.engine.models import Document
from workflow.people import Actor
from workflow.timeutil import as_utc


@dataclass(frozen=True)
class Waiting:
    document: Document
    #: the actions open to the person now
    actions: tuple[Action, ...]
    overdue: bool


#: per kind of document, per trigger, the guards its form or workplace will satisfy (see `available_actions`)
Assumed = Callable[[str], Mapping[str, frozenset[str]]]


def _nothing_assumed(_kind: str) -> Mapping[str, frozenset[str]]:
    return {}


def waiting_for(
    session: Session, actor: Actor, now: datetime, *, assuming: Assumed = _nothing_assumed, limit: int = 100
) -> list[Waiting]:
    """The documents waiting for `actor`: overdue ones first, then by due date, then the oldest."""
    registry = registry_of(session)
    open_states = []
    in_use = session.execute(select(Document.kind, Document.definition_version).distinct()).all()
    for kind, version in in_use:
        compiled = registry.get(kind, version, session)
        states = [name for name, moves in compiled.moves_from.items() if any(_expected(move) for move in moves)]
        if states:
            open_states.append(
                and_(Document.kind == kind, Document.definition_version == version, Document.state.in_(states))
            )
    if not open_states:
        return []
    # every open document is looked at (however many wait for others, none waiting for this person is missed);
    # the role check below needs no query, so only the person's own candidates cost a look at their guards
    candidates = session.scalars(
        select(Document).where(or_(*open_states)).order_by(Document.due_at.is_(None), Document.due_at, Document.id)
    ).all()
    found: list[Waiting] = []
    for document in candidates:
        compiled = registry.get(document.kind, document.definition_version, session)
        mine = [
            move
            for move in compiled.moves_from[document.state]
            if set(move.roles) != {Actor.SYSTEM_ROLE} and holds_any_role(registry.catalog, move.roles, document, actor)
        ]
        if not any(_expected(move) for move in mine):
            continue
        expected = {move.trigger for move in mine if _expected(move)}
        assumed = assuming(document.kind)
        actions = tuple(
            a
            for a in available_actions(session, document, actor, now=now, assuming=assumed)
            if a.allowed and a.trigger in {move.trigger for move in mine}
        )
        if any(action.trigger in expected for action in actions):
            overdue = document.due_at is not None and as_utc(document.due_at) <= as_utc(now)
            found.append(Waiting(document, actions, overdue))
        if len(found) == limit:
            break
    return found


#: moves that end or cancel what was asked: possible, never awaited
NOT_AWAITED = frozenset({"cancel", "invalidate", "close", "withdraw", "remove", "drop"})


def _expected(move: Move) -> bool:
    return set(move.roles) != {Actor.SYSTEM_ROLE} and move.comment != "required" and move.trigger not in NOT_AWAITED
