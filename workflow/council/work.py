"""A person's work: the documents waiting for an action they may take now, the most urgent first.

A document is waiting for a person when, in its current state, a move is expected of them: open to them (by a
role they hold, for that document), its guards holding now (those its form or workplace will satisfy, as the
caller says, taken as held), and neither one only the system makes, nor one that needs a comment saying why (a
refusal, a return), nor one that ends or cancels what was asked (`NOT_AWAITED`): what one may do, not what is
awaited. Listed with it is
everything the person may do to it now. Candidates are read in one query, most urgent first: the states with an
expected move, narrowed by the roles (`RoleSpec.narrow`) and the guards (`GuardSpec.condition`) the database can
check; each is then checked as before (the role first, which needs no query), until the list is full, so what the
page costs does not grow with the documents waiting for others.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import Session

from workflow.definitions.catalog import Catalog
from workflow.definitions.compiled import Move
from workflow.definitions.models import DefinitionVersion
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
    catalog = registry.catalog
    checked: Checked = {}
    query = candidates_query(session, actor, assuming, checked=checked)
    if query is None:
        return []
    found: list[Waiting] = []
    for document in _in_pages(session, query, limit):
        compiled = registry.get(document.kind, document.definition_version, session)
        moves = compiled.moves_from[document.state]
        mine = {
            move.trigger
            for move in moves
            if set(move.roles) != {Actor.SYSTEM_ROLE} and holds_any_role(catalog, move.roles, document, actor)
        }
        expected = {move.trigger for move in moves if move.trigger in mine and _expected(move)}
        if not expected:
            continue
        assumed = dict(assuming(document.kind))
        # the guards the candidates' query checked for the one move it looked for in this state hold for it
        for trigger, guards in checked.get((document.kind, document.definition_version, document.state), {}).items():
            assumed[trigger] = frozenset({*assumed.get(trigger, ()), *guards})
        # moves the person may not make are not listed: their guards are not asked
        assumed.update(
            {move.trigger: frozenset(g.name for g in move.guards) for move in moves if move.trigger not in mine}
        )
        actions = tuple(
            a
            for a in available_actions(session, document, actor, now=now, assuming=assumed)
            if a.allowed and a.trigger in mine
        )
        if any(action.trigger in expected for action in actions):
            overdue = document.due_at is not None and as_utc(document.due_at) <= as_utc(now)
            found.append(Waiting(document, actions, overdue))
        if len(found) == limit:
            break
    return found


def _in_pages(session: Session, query: Select[Document], limit: int) -> Iterator[Document]:
    """The query's documents a page at a time: a page with a LIMIT lets the database read in the order asked, from
    the index on the due date, and stop at the page's end instead of sorting every candidate."""
    size = limit + _SPARE
    offset = 0
    while True:
        page = session.scalars(query.limit(size).offset(offset)).all()
        # their parents in one query (a visa's draft, an item's session): what their checks read of them is then
        # in the session already; held here, since the session's identity map keeps no object alive by itself
        parents = {document.parent_id for document in page if document.parent_id is not None}
        held = session.scalars(select(Document).where(Document.id.in_(sorted(parents)))).all() if parents else []
        yield from page
        del held
        if len(page) < size:
            return
        offset += size


def candidates_query(
    session: Session, actor: Actor, assuming: Assumed = _nothing_assumed, *, checked: Checked | None = None
) -> Select[Document] | None:
    """The documents a move of the actor's may be awaited on, most urgent first (None: there are none). Where a
    state has one such move, `checked` is told which of its guards the query checks (they hold for what it finds)."""
    registry = registry_of(session)
    catalog = registry.catalog
    open_states = []
    # the stored versions some document is on: one probe each into the documents' index, not a scan of them
    in_use = session.execute(
        select(DefinitionVersion.kind, DefinitionVersion.version).where(
            select(Document.id)
            .where(Document.kind == DefinitionVersion.kind, Document.definition_version == DefinitionVersion.version)
            .exists()
        )
    ).all()
    for kind, version in in_use:
        compiled = registry.get(kind, version, session)
        assumed = assuming(kind)
        for state, moves in compiled.moves_from.items():
            looked_for = [
                (move, where)
                for move in moves
                if _expected(move)
                and (where := _possible(catalog, move, actor, assumed.get(move.trigger, ()))) is not None
            ]
            possible = [where for _move, where in looked_for]
            if len(looked_for) == 1 and checked is not None:
                move = looked_for[0][0]
                in_sql = frozenset(g.name for g in move.guards if g.condition is not None)
                checked[(kind, version, state)] = {move.trigger: in_sql - frozenset(assumed.get(move.trigger, ()))}
            if possible:
                open_states.append(
                    and_(
                        Document.kind == kind,
                        Document.definition_version == version,
                        Document.state == state,
                        or_(*possible),
                    )
                )
    if not open_states:
        return None
    # the database narrows the open documents to those a move of the person's may be awaited on (by the roles and
    # the guards it can tell), most urgent first; each is then asked in turn, until `limit` are found
    return select(Document).where(or_(*open_states)).order_by(Document.due_at.asc().nulls_last(), Document.id)


#: per (kind, version, state), per trigger, the guards a candidates' query checked in SQL
Checked = dict[tuple[str, int, str], dict[str, frozenset[str]]]

#: candidates read past the list's limit in the first page (those whose guards the database cannot tell may fail)
_SPARE = 20


def _possible(catalog: Catalog, move: Move, actor: Actor, assumed: Collection[str]) -> ColumnElement[bool] | None:
    """Where the move may be open to the actor, as a condition on the documents: a role of theirs (held, or
    relative and possibly theirs there) and the guards the database can check; None where it never is."""
    roles: list[ColumnElement[bool]] = []
    for name in move.roles:
        spec = catalog.roles[name]
        if spec.resolver is None:
            if name in actor.roles:
                roles = [true()]
                break
        else:
            roles.append(true() if spec.narrow is None else spec.narrow(actor))
    if not roles:
        return None
    guards = [guard.condition() for guard in move.guards if guard.condition is not None and guard.name not in assumed]
    return and_(or_(*roles), *guards)


#: moves that end or cancel what was asked: possible, never awaited
NOT_AWAITED = frozenset({"cancel", "invalidate", "close", "withdraw", "remove", "drop"})


def _expected(move: Move) -> bool:
    return set(move.roles) != {Actor.SYSTEM_ROLE} and move.comment != "required" and move.trigger not in NOT_AWAITED
