"""Who a `notify` effect reaches for one document: the roles of the definition, read for *this* document.

`author` is the document's author; a relative role of the catalog (addressee, delegate, committee_member_here,
session_chair, ...) reaches the persons for whom its predicate holds (and the person a document names for a role
such as `addressee`, even one holding no role now); a role granted per committee or department
is narrowed to the ones the document concerns where the document says which (the departments whose visas a draft
awaits, the committees it was sent to); any other role reaches everyone holding it. Roles count as held at `now`,
delegated ones included; the person who made the move is not told of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from workflow.definitions.registry import registry_of
from workflow.engine.models import AuditEntry, Document
from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.people import Actor, Person, RoleGrant
from workflow.timeutil import as_utc

#: the roles a committee's review reaches: its members, its chair and its secretary (who prepares the meeting)
COMMITTEE_ROLES = ("committee_member", "committee_chair", "committee_secretary")
#: a role granted per committee or department, the grants it reaches, and the fields by which a document names
#: the one it concerns (a conclusion its committee, a visa its department, an amendment its lead committee)
SCOPED = {
    "committee_member": (COMMITTEE_ROLES, ("committee_id", "lead_committee_id")),
    "committee_chair": (("committee_chair",), ("committee_id", "lead_committee_id")),
    "committee_secretary": (("committee_secretary",), ("committee_id", "lead_committee_id")),
    "reviewer": (("reviewer",), ("department_id",)),
}


def recipients(
    session: Session, document: Document, roles: Sequence[str], *, now: datetime, exclude: int | None = None
) -> list[Person]:
    """The persons the roles reach for this document at `now`, each once, ordered by id; never `exclude`
    (the person who made the move)."""
    now = as_utc(now)
    catalog = registry_of(session).catalog
    grants = _active_grants(session, now)
    named = {
        person_id
        for spec in catalog.roles.values()
        if spec.person_field and isinstance(person_id := document.fields.get(spec.person_field), int)
    }
    chosen: set[int] = set()
    for role in roles:
        spec = catalog.roles.get(role)
        if spec is None:
            raise InvalidInput(
                "notifications.unknown_role_role_nobody",
                N_("unknown role '{role}': nobody to notify"),
                role=role,
            )
        if role == "author":
            if document.author_id is not None:
                chosen.add(document.author_id)
        elif spec.resolver is not None:
            resolver = spec.resolver
            chosen.update(
                person_id for person_id, actor in _actors(grants, document, named).items() if resolver(document, actor)
            )
        else:
            chosen.update(_holders_for(session, document, role, grants))
    if exclude is not None:
        chosen.discard(exclude)
    if not chosen:
        return []
    return list(session.scalars(select(Person).where(Person.id.in_(chosen)).order_by(Person.id)))


Grant = tuple[int, str, int | None]


def _active_grants(session: Session, now: datetime) -> list[Grant]:
    rows = session.execute(
        select(RoleGrant.person_id, RoleGrant.role, RoleGrant.scope_id)
        .where(
            or_(RoleGrant.starts_at.is_(None), RoleGrant.starts_at <= now),
            or_(RoleGrant.ends_at.is_(None), RoleGrant.ends_at > now),
        )
        .order_by(RoleGrant.person_id)
    ).all()
    return [(person_id, role, scope_id) for person_id, role, scope_id in rows]


def _actors(grants: Iterable[Grant], document: Document, named: Iterable[int]) -> dict[int, Actor]:
    """Everyone who holds a role now, the document's author and the persons it names (who may hold none), as the
    engine sees them."""
    roles: dict[int, set[str]] = defaultdict(set)
    scopes: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for person_id, role, scope_id in grants:
        roles[person_id].add(role)
        if scope_id is not None:
            scopes[person_id][role].add(scope_id)
    if document.author_id is not None:
        roles.setdefault(document.author_id, set())
    for person_id in named:
        roles.setdefault(person_id, set())
    return {
        person_id: Actor(
            id=person_id,
            roles=frozenset(held),
            scopes={role: frozenset(ids) for role, ids in scopes[person_id].items()},
        )
        for person_id, held in roles.items()
    }


def _holders_for(session: Session, document: Document, role: str, grants: Iterable[Grant]) -> set[int]:
    """Holders of a role granted to persons, narrowed to the committees or departments the document concerns
    where it says which."""
    if document.kind == "decision_draft" and role == "reviewer":
        departments = _asked(session, document, "visa", "department_id", since="submit", states=("requested",))
        return {p for p, r, scope in grants if r == "reviewer" and scope in departments}
    if document.kind == "decision_draft" and role == "committee_member":
        committees = _asked(
            session,
            document,
            "committee_conclusion",
            "committee_id",
            since="send_to_committees",
            states=None,
            excluded_states=("cancelled",),
        )
        return {p for p, r, scope in grants if r in COMMITTEE_ROLES and scope in committees}
    if role in SCOPED:
        granted, fields = SCOPED[role]
        named = next((value for name in fields if isinstance(value := document.fields.get(name), int)), None)
        if named is not None:
            return {p for p, r, scope in grants if r in granted and scope == named}
    return {p for p, r, _scope in grants if r == role}


def _asked(
    session: Session,
    document: Document,
    kind: str,
    field: str,
    *,
    since: str,
    states: Sequence[str] | None,
    excluded_states: Sequence[str] = (),
) -> set[int]:
    """The `field` (a department's, a committee's id) of the document's children of `kind` of the current
    round: made since its latest move `since`, by the log's versions (an earlier round's are for a text that was sent
    back)."""
    round_started = (
        select(func.max(AuditEntry.version))
        .where(AuditEntry.document_id == document.id, AuditEntry.trigger == since)
        .scalar_subquery()
    )
    query = select(Document.fields).where(
        Document.parent_id == document.id, Document.kind == kind, Document.parent_version >= round_started
    )
    if states is not None:
        query = query.where(Document.state.in_(list(states)))
    if excluded_states:
        query = query.where(Document.state.not_in(list(excluded_states)))
    found: set[int] = set()
    for fields in session.scalars(query):
        value = fields.get(field)
        if isinstance(value, int):
            found.add(value)
    return found
