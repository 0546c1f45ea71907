"""The permission matrix: every move of every shipped definition, tried by every role of the catalog alone.

Only the role layer is under test. The guards (the council's rules, tested on their own) are replaced by ones
that always pass, under the same names, so the shipped definitions load unchanged and a move's outcome depends
on who makes it and nothing else. For each move a document is driven to the move's source state by someone who
may do everything; then each role, held alone, tries the move in a savepoint of its own: the roles the
definition names succeed, every other one is refused as not allowed and leaves no trace.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import DEFINITIONS, Snapshot, snapshot
from workflow.council.catalog import CATALOG
from workflow.db import REGISTRY_KEY
from workflow.definitions.catalog import Catalog, ConsequenceContext, GuardContext
from workflow.definitions.compiled import CompiledDefinition, Move
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import create_document, fire
from workflow.engine.firing import holds_any_role
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.errors import NotAllowed, WorkflowError
from workflow.people import Actor, Person

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: the department a visa is asked from, the committee writing a conclusion, the lead committee on an amendment
DEPARTMENT, COMMITTEE, LEAD_COMMITTEE = 31, 32, 33
#: kinds that belong to a sitting: whoever chairs the sitting chairs them too
SITTING_OF = {"agenda_item": "session", "session_protocol": "session"}
REASON = "Причина зазначена в службовій записці"


def _always_passes(_: GuardContext) -> str | None:
    return None


def _does_nothing(_: ConsequenceContext) -> None:
    return None


#: the real catalog with every guard letting the move through and no consequence reaching other documents (the
#: matrix fires each move on a document of its own): same roles, same guard names, same effects
PERMISSIVE = Catalog(
    roles=dict(CATALOG.roles),
    guards={name: replace(spec, check=_always_passes) for name, spec in CATALOG.guards.items()},
    effects=dict(CATALOG.effects),
    consequences={name: replace(spec, run=_does_nothing, check=None) for name, spec in CATALOG.consequences.items()},
)
REGISTRY = DefinitionRegistry.from_directory(DEFINITIONS, PERMISSIVE)
ROLES = tuple(CATALOG.roles)
GLOBAL_ROLES = frozenset(name for name, spec in CATALOG.roles.items() if spec.resolver is None)
#: what one role brings with it by the council's own rules: the mayor chairs every sitting, and a committee's
#: chair is one of its members
IMPLIED = {"mayor": {"session_chair"}, "committee_chair_here": {"committee_member_here"}}
#: every (kind, trigger, source state) of the shipped definitions
MOVES = [(kind, trigger, source) for kind in REGISTRY.kinds() for (source, trigger) in REGISTRY.current(kind).moves]


@pytest.fixture
def db(session):
    """A session on the test's transaction whose engine fires through the permissive registry."""
    permissive = Session(
        bind=session.connection(),
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
        info={REGISTRY_KEY: REGISTRY},
    )
    REGISTRY.sync(permissive)  # the shipped versions are stored already, with the same hashes: nothing new
    try:
        yield permissive
    finally:
        permissive.close()


@dataclass
class Cast:
    """The people of the matrix: the author who may do everything, the deputy written to, the person given a
    role, and an outsider."""

    db: Session
    author: Person
    addressee: Person
    delegate: Person
    outsider: Person

    def almighty(self, person: Person) -> Actor:
        """Every global role, and every relative role of the matrix's documents (session_chair as the mayor)."""
        return Actor(
            id=person.id,
            roles=GLOBAL_ROLES,
            scopes={
                "reviewer": frozenset({DEPARTMENT}),
                "committee_chair": frozenset({COMMITTEE, LEAD_COMMITTEE}),
                "committee_member": frozenset({COMMITTEE}),
                "committee_secretary": frozenset({COMMITTEE}),
            },
        )

    def able_to_make(self, move: Move) -> Actor:
        """The author and the addressee are both who a person is, so no one actor is both: the almighty author
        makes every move but those only the addressee may make."""
        only_the_addressee = "addressee" in move.roles and "author" not in move.roles
        return self.almighty(self.addressee if only_the_addressee else self.author)

    def document_in(self, kind: str, state: str) -> Document:
        """A new document of `kind`, with every relation a role may ask for, moved to `state`."""
        compiled = REGISTRY.current(kind)
        sitting = self.create(SITTING_OF[kind]) if kind in SITTING_OF else None
        document = self.create(kind, parent=sitting)
        for move in shortest_path(compiled, state):
            fire(self.db, document, move.trigger, self.able_to_make(move), comment=comment_for(move), now=MONDAY)
        assert document.state == state
        return document

    def create(self, kind: str, parent: Document | None = None) -> Document:
        fields = {
            "body": "Текст документа.",
            "department_id": DEPARTMENT,
            "committee_id": COMMITTEE,
            "lead_committee_id": LEAD_COMMITTEE,
            "deputy_id": self.addressee.id,
            "person_id": self.delegate.id,
        }
        return create_document(
            self.db,
            kind,
            self.almighty(self.author),
            title="Про ремонт даху ліцею № 2",
            fields=fields,
            parent=parent,
            now=MONDAY,
        )

    def holding_only(self, role: str, document: Document) -> Actor:
        """Someone who holds `role` for `document` and nothing else: the global role, or the one relation."""
        if role == Actor.SYSTEM_ROLE:
            return Actor.system()
        if role in GLOBAL_ROLES:
            return Actor(id=self.outsider.id, roles=frozenset({role}))
        if role == "author":
            return Actor(id=document.author_id, roles=frozenset())
        if role == "addressee":
            return Actor(id=document.fields["deputy_id"], roles=frozenset())
        if role == "delegate":
            return Actor(id=document.fields["person_id"], roles=frozenset())
        scoped_role, scope = {
            "department_reviewer": ("reviewer", DEPARTMENT),
            "committee_chair_here": ("committee_chair", COMMITTEE),
            "committee_member_here": ("committee_member", COMMITTEE),
            "committee_secretary_here": ("committee_secretary", COMMITTEE),
            "lead_committee_chair": ("committee_chair", LEAD_COMMITTEE),
            "session_chair": ("session_chair", document.parent_id or document.id),
        }[role]  # a KeyError here: a new relative role, tell the matrix which relation makes it hold
        return Actor(id=self.outsider.id, roles=frozenset(), scopes={scoped_role: frozenset({scope})})


@pytest.fixture
def cast(db):
    names = ("Оксана Мельник", "Василь Гончаренко", "Ірина Заступниця", "Петро Сторонній")
    people = [Person(full_name=name) for name in names]
    db.add_all(people)
    db.flush()
    return Cast(db, *people)


def shortest_path(compiled: CompiledDefinition, target: str) -> list[Move]:
    """The fewest moves from the initial state to `target`."""
    paths: dict[str, list[Move]] = {compiled.initial: []}
    pending = deque([compiled.initial])
    while pending:
        state = pending.popleft()
        for move in compiled.moves_from[state]:
            if move.dest not in paths:
                paths[move.dest] = [*paths[state], move]
                pending.append(move.dest)
    return paths[target]


def comment_for(move: Move) -> str | None:
    return REASON if move.comment == "required" else None


def roles_held(role: str) -> set[str]:
    return {role, *IMPLIED.get(role, ())}


@pytest.mark.parametrize(
    ("kind", "trigger", "source"), [pytest.param(*move, id="{}-{}-from-{}".format(*move)) for move in MOVES]
)
def test_exactly_the_roles_a_move_names_may_make_it(db, cast, kind, trigger, source):
    move = REGISTRY.current(kind).move(source, trigger)
    document = cast.document_in(kind, source)

    mismatches = [
        f"{role}: {problem}"
        for role in ROLES
        for problem in try_as(db, role, cast.holding_only(role, document), move, document)
    ]

    if mismatches:
        pytest.fail(f"{kind}: '{trigger}' from '{source}' to '{move.dest}':\n" + "\n".join(mismatches), pytrace=False)


def try_as(db: Session, role: str, actor: Actor, move: Move, document: Document) -> list[str]:
    """`actor`, holding `role` alone, makes `move` in a savepoint that is rolled back; what went wrong, if anything."""
    if wrong := holds_other_roles(actor, role, document):
        return [f"the matrix's actor {wrong}"]
    may = bool(roles_held(role) & set(move.roles))
    before, version = snapshot(db), document.version
    attempt = db.begin_nested()
    try:
        fire(db, document, move.trigger, actor, comment=comment_for(move), now=MONDAY)
    except NotAllowed as refusal:
        if may:
            return [f"refused ({refusal.message}), but the move names {', '.join(move.roles)}"]
        return [] if snapshot(db) == before else ["refused, but the refusal left a trace in the database"]
    except WorkflowError as error:
        return [f"{type(error).__name__} instead of a decision on roles: {error.message}"]
    else:
        if not may:
            return [f"went through, but the move names only {', '.join(move.roles)}"]
        return made(db, move, document, actor, before, version)
    finally:
        attempt.rollback()
        db.refresh(document)


def holds_other_roles(actor: Actor, role: str, document: Document) -> str:
    """What is wrong with an actor meant to hold `role` (and what it implies) and nothing else; empty if nothing."""
    held = {name for name in ROLES if holds_any_role(PERMISSIVE, [name], document, actor)}
    return "" if held == roles_held(role) else f"holds {sorted(held)}"


def made(db: Session, move: Move, document: Document, actor: Actor, before: Snapshot, version: int) -> list[str]:
    """What is wrong in the database after `move` went through from `version`; empty when it was recorded right."""
    after = snapshot(db)
    entries = db.execute(
        select(AuditEntry.trigger, AuditEntry.from_state, AuditEntry.to_state, AuditEntry.actor_id).where(
            AuditEntry.document_id == document.id, AuditEntry.version > version
        )
    ).all()
    effects = db.scalars(
        select(OutboxRow.effect)
        .where(OutboxRow.document_id == document.id, OutboxRow.audit_version > version)
        .order_by(OutboxRow.id)
    ).all()
    problems = []
    if (document.state, document.version) != (move.dest, version + 1):
        problems.append(
            f"the document is in '{document.state}' at version {document.version}, "
            f"not in '{move.dest}' at version {version + 1}"
        )
    if [tuple(entry) for entry in entries] != [(move.trigger, move.source, move.dest, actor.id)]:
        problems.append(f"audited as {[tuple(entry) for entry in entries]}")
    if list(effects) != list(move.effect_names):
        problems.append(f"recorded the effects {list(effects)}, not {list(move.effect_names)}")
    columns = ("id", "state", "version", "title", "audit_hash")
    others = [row for row in before.rows("documents", *columns) if row[0] != document.id]
    if others != [row for row in after.rows("documents", *columns) if row[0] != document.id]:
        problems.append("changed other documents")
    counted = (len(after.tables["audit_entries"]), len(after.tables["outbox"]))
    if counted != (len(before.tables["audit_entries"]) + 1, len(before.tables["outbox"]) + len(effects)):
        problems.append("audited or recorded effects for other documents")
    return problems


def test_the_matrix_covers_every_transition_of_every_shipped_definition():
    declared = set()
    for path in sorted(DEFINITIONS.glob("*.yaml")):
        definition = yaml.safe_load(path.read_text(encoding="utf-8"))
        for transition in definition["transitions"]:
            sources = transition["from"]
            for source in [sources] if isinstance(sources, str) else sources:
                declared.add((definition["kind"], transition["trigger"], source))

    assert len(MOVES) == len(set(MOVES)) == len(declared)
    assert set(MOVES) == declared
    named = {role for kind in REGISTRY.kinds() for move in REGISTRY.current(kind).moves.values() for role in move.roles}
    assert named <= set(ROLES)
