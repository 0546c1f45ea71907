"""The names a definition may use — roles, guards, effects and consequences — registered in code.

A definition refers to them by name; the loader refuses a name that nobody registered. Guards and relative
roles are small functions; effects are only declared here (with the shape of their parameters), since the
engine merely records them in the outbox and the tasks carry them out. Consequences are changes to our own data
that a move brings with it (moving a parent document, numbering a decision): a definition lists them among a
transition's effects, but the engine runs them itself, in the move's transaction, right after recording it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from workflow.definitions.schema import Title
from workflow.i18n import Joined, Term
from workflow.people import Actor

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import Session

    from workflow.engine.models import Document


@dataclass(frozen=True, slots=True)
class GuardContext:
    """What a guard may look at: the document under lock, who acts, when, and the data sent with the move."""

    session: Session
    document: Document
    actor: Actor
    now: datetime
    data: Mapping[str, Any]


#: A guard returns None when it passes, or a sentence saying why the move is not possible.
Guard = Callable[[GuardContext], str | None]
#: A relative role holds for an actor with respect to one document (its author, its committee's chair, ...).
RoleResolver = Callable[["Document", "Actor"], bool]
#: The documents for which a relative role may hold for an actor, as a condition on the documents' table: true at
#: least wherever the resolver is (a list of work finds its candidates in one query, then asks the resolver)
RoleNarrowing = Callable[["Actor"], "ColumnElement[bool]"]
#: A guard's condition on the documents' table: true exactly where the guard passes as the rows now stand, so that a
#: list of work asks the database for the documents a move is possible on instead of asking each document in turn
GuardCondition = Callable[[], "ColumnElement[bool]"]


@dataclass(frozen=True, slots=True)
class RoleSpec:
    name: str
    description: str
    #: None for a role an actor holds globally (granted to the person); a function for a relative role
    resolver: RoleResolver | None = None
    #: for a relative role held by the one person a document names: the field holding that person's id
    #: (so that the person is found to be told even while holding no role of their own)
    person_field: str | None = None
    #: for a relative role: where it may hold, in SQL (None: anywhere, the resolver alone tells)
    narrow: RoleNarrowing | None = None


@dataclass(frozen=True, slots=True)
class GuardSpec:
    name: str
    description: str
    check: Guard
    #: the same rule in SQL, for lists that look for the documents it holds for (None: none, `check` alone tells)
    condition: GuardCondition | None = None


@dataclass(frozen=True, slots=True)
class EffectSpec:
    name: str
    description: str
    #: the shape of the parameters a definition may give the effect; None when it takes none
    params: type[BaseModel] | None = None


@dataclass(frozen=True, slots=True)
class ConsequenceContext:
    """What a consequence is told: the document as the move left it, who moved it and how, and its parameters."""

    session: Session
    document: Document
    actor: Actor
    trigger: str
    #: the comment of the move (a reviewer's remarks), passed on where the consequence moves another document
    comment: str | None
    #: the document version the move produced (its audit entry's version)
    version: int
    now: datetime
    params: Mapping[str, Any]


#: A consequence changes our own data in the move's transaction; it raises a `WorkflowError` to refuse the move.
Consequence = Callable[[ConsequenceContext], None]
#: Whether a consequence can run, asked with the guards (before anything is written): None, or why not.
ConsequenceCheck = Callable[[GuardContext, Mapping[str, Any]], str | None]


@dataclass(frozen=True, slots=True)
class ConsequenceSpec:
    name: str
    description: str
    run: Consequence
    #: the shape of the parameters a definition may give it; None when it takes none
    params: type[BaseModel] | None = None
    #: asked with the move's guards, so that a button is offered only when its consequences can follow
    check: ConsequenceCheck | None = None


@dataclass(frozen=True, slots=True)
class RecordSpec:
    """A kind of legally decisive record (a vote, a registration, a decision's number) kept under the chain: each
    is written with an audit entry of its own, `{"record": name, "id": ..., "digest": ...}`, and verification
    recomputes the digests from the rows as they stand."""

    name: str
    description: str
    #: the digests of the rows with these ids as the database holds them now (a row that is gone is absent)
    digests: Callable[[Session, Collection[int]], Mapping[int, str]]
    #: every row recorded since records came under the chain, by id, with the document whose chain records it
    recorded: Callable[[Session], Mapping[int, int]]


#: Told of every change of a document of one kind (its creation, a move, an edit, a file attached): keeps what our
#: own data derives from a document's content and state (the public search index) current, in the change's
#: transaction. It raises nothing for a document it has nothing to do with.
Watcher = Callable[["Session", "Document", datetime], None]


@dataclass(frozen=True, slots=True)
class WatcherSpec:
    name: str
    description: str
    kind: str
    run: Watcher
    #: told only of changes into, out of or within these states (None: every change of the kind); a watcher of
    #: the published few is then not asked about every move of every draft, which fire() makes by the thousand
    states: frozenset[str] | None = None

    def concerns(self, state: str, was: str | None) -> bool:
        return self.states is None or state in self.states or was in self.states


@dataclass
class Catalog:
    roles: dict[str, RoleSpec] = field(default_factory=dict)
    guards: dict[str, GuardSpec] = field(default_factory=dict)
    effects: dict[str, EffectSpec] = field(default_factory=dict)
    consequences: dict[str, ConsequenceSpec] = field(default_factory=dict)
    records: dict[str, RecordSpec] = field(default_factory=dict)
    watchers: dict[str, WatcherSpec] = field(default_factory=dict)
    #: how each role is named to people, in Ukrainian and English
    role_titles: dict[str, Title] = field(default_factory=dict)

    def title_roles(self, titles: Mapping[str, Mapping[str, str]]) -> None:
        """Name roles to people: {"secretary": {"uk": "секретар ради", "en": "council secretary"}, ...}."""
        self.role_titles.update({name: Title(**title) for name, title in titles.items()})

    def roles_named(self, names: Collection[str]) -> Joined:
        """Roles as a refusal names them to a person: by their titles, and without the system where a person may
        act too (nobody can become the scheduler)."""
        shown = [name for name in names if name != Actor.SYSTEM_ROLE] or list(names)
        return Joined(tuple(Term(name, self.role_titles.get(name)) for name in shown))

    def global_role(self, name: str, description: str) -> None:
        self._add(self.roles, name, RoleSpec(name, description))

    def relative_role(
        self,
        name: str,
        description: str,
        *,
        person_field: str | None = None,
        narrow: RoleNarrowing | None = None,
    ) -> Callable[[RoleResolver], RoleResolver]:
        def register(resolver: RoleResolver) -> RoleResolver:
            self._add(self.roles, name, RoleSpec(name, description, resolver, person_field, narrow))
            return resolver

        return register

    def guard(
        self, name: str, description: str, *, condition: GuardCondition | None = None
    ) -> Callable[[Guard], Guard]:
        def register(check: Guard) -> Guard:
            self._add(self.guards, name, GuardSpec(name, description, check, condition))
            return check

        return register

    def effect(self, name: str, description: str, params: type[BaseModel] | None = None) -> None:
        self._refuse_both(name)
        self._add(self.effects, name, EffectSpec(name, description, params))

    def consequence(
        self,
        name: str,
        description: str,
        params: type[BaseModel] | None = None,
        *,
        check: ConsequenceCheck | None = None,
    ) -> Callable[[Consequence], Consequence]:
        def register(run: Consequence) -> Consequence:
            self._refuse_both(name)
            self._add(self.consequences, name, ConsequenceSpec(name, description, run, params, check))
            return run

        return register

    def record(self, spec: RecordSpec) -> None:
        self._add(self.records, spec.name, spec)

    def on_change(
        self, kind: str, name: str, description: str, *, states: Collection[str] | None = None
    ) -> Callable[[Watcher], Watcher]:
        def register(run: Watcher) -> Watcher:
            watched = None if states is None else frozenset(states)
            self._add(self.watchers, name, WatcherSpec(name, description, kind, run, watched))
            return run

        return register

    def watchers_of(self, kind: str) -> list[WatcherSpec]:
        return [spec for spec in self.watchers.values() if spec.kind == kind]

    def hook(self, name: str) -> EffectSpec | ConsequenceSpec | None:
        """What a definition's effect `name` is: an effect for the outbox, a consequence, or nothing known."""
        return self.effects.get(name) or self.consequences.get(name)

    def hook_names(self) -> list[str]:
        return [*self.effects, *self.consequences]

    def _refuse_both(self, name: str) -> None:
        if name in self.effects or name in self.consequences:
            raise ValueError(f"{name!r} is registered twice")

    @staticmethod
    def _add(table: dict[str, Any], name: str, spec: Any) -> None:
        if name in table:
            raise ValueError(f"{name!r} is registered twice")
        table[name] = spec
