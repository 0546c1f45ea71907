"""Moving documents from one version of their definition to another, explicitly and audited."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.definitions.registry import registry_of
from workflow.engine.audit import MIGRATE, canonical_json, entry_hash
from workflow.engine.models import AuditEntry, Document
from workflow.engine.writes import row_locks
from workflow.errors import InvalidInput, NotFound
from workflow.i18n import N_, Joined, message
from workflow.people import Actor
from workflow.timeutil import as_utc, utcnow


def migrate_documents(
    session: Session,
    kind: str,
    from_version: int,
    to_version: int,
    mapping: Mapping[str, str],
    actor: Actor,
    *,
    now: datetime | None = None,
) -> Counter[tuple[str, str]]:
    """Move every `kind` document on `from_version` to `to_version`, renaming states by `mapping`.

    A state missing from `mapping` keeps its name, which must exist in the new version. Everything is checked
    before anything changes; returns how many documents went from which state to which.
    """
    now = utcnow() if now is None else as_utc(now)
    if from_version == to_version:
        raise InvalidInput(
            "engine.migrate.versions_migrate_from_same",
            N_("the versions to migrate from and to are the same"),
        )
    registry = registry_of(session)
    old = registry.get(kind, from_version, session)
    new = registry.get(kind, to_version, session)
    unknown_old = sorted(set(mapping) - set(old.definition.states))
    unknown_new = sorted(set(mapping.values()) - set(new.definition.states))
    if unknown_old or unknown_new:
        missing = N_("{kind} version {version} has no state '{state}'")
        raise InvalidInput(
            "engine.migrate.unknown_states",
            "{problems}",
            problems=Joined(
                tuple(
                    message("engine.migrate.no_state", missing, kind=kind, version=from_version, state=state)
                    for state in unknown_old
                )
                + tuple(
                    message("engine.migrate.no_state", missing, kind=kind, version=to_version, state=state)
                    for state in unknown_new
                ),
                "; ",
            ),
        )
    query = select(Document).where(Document.kind == kind, Document.definition_version == from_version)
    if row_locks(session):
        query = query.with_for_update()
    documents = session.scalars(query.order_by(Document.id)).all()
    if not documents:
        raise NotFound(
            "engine.migrate.no_kind_document_version",
            N_("no {kind} document is on version {from_version}"),
            kind=kind,
            from_version=from_version,
        )
    unmapped = Counter(d.state for d in documents if mapping.get(d.state, d.state) not in new.definition.states)
    if unmapped:
        raise InvalidInput(
            "engine.migrate.unmapped",
            N_("{kind} version {version} has no state for: {states}; map them with old=new"),
            kind=kind,
            version=to_version,
            states=Joined(
                tuple(
                    message("engine.migrate.state_count", N_("'{state}' ({count} documents)"), state=state, count=count)
                    for state, count in sorted(unmapped.items())
                )
            ),
        )
    # stored only now that nothing is refused: a refusal leaves the database as it was
    registry.ensure_stored(session, new)
    moved: Counter[tuple[str, str]] = Counter()
    data = {"from_version": from_version, "to_version": to_version}
    data_json = canonical_json(data)
    for document in documents:
        to_state = mapping.get(document.state, document.state)
        version = document.version + 1
        digest = entry_hash(
            document_id=document.id,
            version=version,
            at=now,
            actor_id=actor.id,
            trigger=MIGRATE,
            from_state=document.state,
            to_state=to_state,
            comment=None,
            data_json=data_json,
            prev_hash=document.audit_hash,
        )
        session.add(
            AuditEntry(
                document_id=document.id,
                version=version,
                at=now,
                actor_id=actor.id,
                trigger=MIGRATE,
                from_state=document.state,
                to_state=to_state,
                comment=None,
                data=data,
                prev_hash=document.audit_hash,
                hash=digest,
            )
        )
        moved[(document.state, to_state)] += 1
        # the document stays in (a renamed) state: its clock keeps running, by the new version's deadline
        deadline = new.state(to_state).deadline
        document.due_at = None if deadline is None else deadline.due(document.state_entered_at, document.fields)
        document.state = to_state
        document.definition_version = to_version
        document.version = version
        document.audit_hash = digest
        document.updated_at = now
    session.flush()
    return moved
