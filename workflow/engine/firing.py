"""Creating documents and firing transitions: one checked, audited move per call, in the caller's transaction.

`fire` locks the document, checks the trigger, the actor's roles for this document and every guard, moves the
state, appends one audit entry and one outbox row per effect, runs the move's consequences in our own data (a
parent moved, a decision numbered), and flushes. A refusal raises a `WorkflowError` that says why and leaves
nothing written. The caller's boundary commits.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from workflow import limits
from workflow.definitions.catalog import Catalog, ConsequenceContext, ConsequenceSpec, GuardContext
from workflow.definitions.compiled import CompiledDefinition, Move
from workflow.definitions.registry import registry_of
from workflow.definitions.schema import Title, moment_of
from workflow.engine import writes
from workflow.engine.audit import CREATE, EDIT, GENESIS, RECORD, canonical_json, content_digest, entry_hash
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.errors import Conflict, GuardFailed, InvalidInput, NotAllowed, WrongState
from workflow.i18n import N_, Joined, Message, message
from workflow.people import Actor
from workflow.timeutil import as_utc, canonical, utcnow


@dataclass(frozen=True, slots=True)
class Fired:
    """What a successful `fire` did."""

    document_id: int
    trigger: str
    from_state: str
    to_state: str
    #: the document version the move produced, which is also its audit entry's version
    version: int
    audit_hash: str
    #: the effects recorded in the outbox
    effects: tuple[str, ...]
    #: the consequences run in the move's transaction
    consequences: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Action:
    """A trigger from the document's current state, as the actor would see its button."""

    trigger: str
    title_uk: str
    title_en: str
    to_state: str
    allowed: bool
    #: why it is not allowed now (empty when allowed)
    reasons: tuple[str, ...]
    comment: str


def create_document(
    session: Session,
    kind: str,
    actor: Actor,
    *,
    title: str = "",
    fields: Mapping[str, Any] | None = None,
    parent: Document | None = None,
    comment: str | None = None,
    now: datetime | None = None,
) -> Document:
    """A new document of `kind` in its initial state, on the current version of its definition.

    `comment` goes into the creation's audit entry (why the document was made, e.g. a delegation's reason).
    """
    now = utcnow() if now is None else as_utc(now)
    registry = registry_of(session)
    compiled = registry.current(kind)
    creators = compiled.definition.create
    if not (actor.roles & set(creators)):
        raise NotAllowed(
            "engine.create_not_allowed",
            N_("creating a {kind} takes one of the roles: {roles}"),
            kind=Title(uk=compiled.definition.title.uk.lower(), en=compiled.definition.title.en.lower()),
            roles=registry.catalog.roles_named(creators),
        )
    _check_content(title, fields)
    _check_due_moment(compiled, compiled.initial, fields)
    comment = _checked_comment((comment or "").strip() or None)
    registry.ensure_stored(session, compiled)
    data = {"definition_version": compiled.version, "content": content_digest(title, dict(fields or {}))}
    data_json = _json(data)
    document = Document(
        kind=kind,
        definition_version=compiled.version,
        state=compiled.initial,
        version=1,
        title=title,
        fields=dict(fields or {}),
        author_id=actor.id,
        parent_id=parent.id if parent is not None else None,
        parent_version=parent.version if parent is not None else None,
        created_at=now,
        updated_at=now,
        state_entered_at=now,
        due_at=_due(compiled, compiled.initial, now, fields or {}),
        audit_hash="",
    )
    session.add(document)
    session.flush()
    digest = entry_hash(
        document_id=document.id,
        version=1,
        at=now,
        actor_id=actor.id,
        trigger=CREATE,
        from_state=None,
        to_state=compiled.initial,
        comment=comment,
        data_json=data_json,
        prev_hash=GENESIS,
    )
    document.audit_hash = digest
    session.add(
        AuditEntry(
            document_id=document.id,
            version=1,
            at=now,
            actor_id=actor.id,
            trigger=CREATE,
            from_state=None,
            to_state=compiled.initial,
            comment=comment,
            data=data,
            prev_hash=GENESIS,
            hash=digest,
        )
    )
    session.add_all(
        OutboxRow(
            document_id=document.id,
            audit_version=1,
            effect=name,
            params=json.loads(params_json),
            idempotency_key=f"{document.id}:1:{index}",
            status="pending",
            attempts=0,
            available_at=now,
            created_at=now,
        )
        for index, (name, params_json) in enumerate(compiled.create_rows)
    )
    session.flush()
    if compiled.create_consequences:
        _run_consequences(
            session,
            document,
            compiled.create_consequences,
            actor=actor,
            trigger=CREATE,
            comment=comment,
            version=1,
            now=now,
        )
    document_changed(session, document, was=None, now=now)
    return document


def fire(
    session: Session,
    document: Document,
    trigger: str,
    actor: Actor,
    *,
    comment: str | None = None,
    data: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Fired:
    """Move `document` by `trigger` on behalf of `actor`, or raise a `WorkflowError` saying why not."""
    _refuse_unsaved(document)
    now = utcnow() if now is None else as_utc(now)
    registry = registry_of(session)
    compiled = registry.get(document.kind, document.definition_version, session)
    move = _move_or_refuse(compiled, document, trigger)
    comment = _comment_or_refuse(move, comment)
    data_json = _json(data)
    if not holds_any_role(registry.catalog, move.roles, document, actor):
        raise NotAllowed(_roles_needed(move, registry.catalog))
    writer = writes.Writer(session)
    _lock_or_conflict(writer, document)
    reasons = (
        _guard_reasons(move, GuardContext(session, document, actor, now, data or {}))
        if move.guards or move.consequences
        else ()
    )
    if reasons:
        raise GuardFailed(
            "engine.guard_failed",
            N_("'{action}' is not possible now: {why}"),
            reasons=reasons,
            action=move.title,
            why=Joined(tuple(reasons), "; "),
        )
    # the move and what it brings with it stand or fall together: a consequence refused undoes the move
    savepoint = session.begin_nested() if move.consequences else None
    if savepoint is not None:
        session.connection()  # the SAVEPOINT is emitted now, before the writer's statements, not at the next query
    try:
        version, digest = _record(
            writer,
            document,
            compiled,
            actor=actor,
            trigger=trigger,
            to_state=move.dest,
            comment=comment,
            data_json=data_json,
            effects=move.outbox_rows,
            now=now,
        )
        if savepoint is not None:
            _run_consequences(
                session,
                document,
                move.consequences,
                actor=actor,
                trigger=trigger,
                comment=comment,
                version=version,
                now=now,
            )
        document_changed(session, document, was=move.source, now=now)
    except BaseException:
        if savepoint is not None:
            savepoint.rollback()
            session.expire(document)  # the loaded copy showed the move: read the document as it stands again
        raise
    if savepoint is not None:
        savepoint.commit()
    return Fired(
        document_id=document.id,
        trigger=trigger,
        from_state=move.source,
        to_state=move.dest,
        version=version,
        audit_hash=digest,
        effects=move.effect_names,
        consequences=tuple(spec.name for spec, _params in move.consequences),
    )


def document_changed(session: Session, document: Document, *, was: str | None, now: datetime | None = None) -> None:
    """Tell the watchers of the document's kind (`Catalog.on_change`) that it changed, in this transaction: what our
    own data derives from its content and state (the public search index) follows every change, whoever made it.
    `was` is the state the document was in before the change (None for a new one)."""
    catalog = registry_of(session).catalog
    for spec in catalog.watchers_of(document.kind):
        if spec.concerns(document.state, was):
            spec.run(session, document, utcnow() if now is None else as_utc(now))


def _run_consequences(
    session: Session,
    document: Document,
    consequences: Sequence[tuple[ConsequenceSpec, Mapping[str, Any]]],
    *,
    actor: Actor,
    trigger: str,
    comment: str | None,
    version: int,
    now: datetime,
) -> None:
    for spec, params in consequences:
        spec.run(ConsequenceContext(session, document, actor, trigger, comment, version, now, params))


def edit_document(
    session: Session,
    document: Document,
    actor: Actor,
    *,
    title: str | None = None,
    fields: Mapping[str, Any] | None = None,
    now: datetime | None = None,
    decided_by: str | None = None,
) -> None:
    """Change a document's title or fields, if its current state lets the actor edit; audited as `edit`.

    `decided_by` names a decision that changes the content whatever the state allows (an amendment the council
    adopted, applied to the draft on the agenda): the audit entry records it, and no editor is asked for."""
    _refuse_unsaved(document)
    now = utcnow() if now is None else as_utc(now)
    registry = registry_of(session)
    compiled = registry.get(document.kind, document.definition_version, session)
    editors = compiled.state(document.state).edit
    if decided_by is None and not holds_any_role(registry.catalog, editors, document, actor):
        state_title = compiled.state(document.state).title
        if editors:
            raise NotAllowed(
                "engine.edit_not_allowed",
                N_("a document in the state '{state}' can be edited by: {roles}"),
                state=state_title,
                roles=registry.catalog.roles_named(editors),
            )
        raise NotAllowed(
            "engine.not_editable", N_("a document in the state '{state}' cannot be edited"), state=state_title
        )
    _check_content(title, fields)
    editable = compiled.state(document.state).fields
    asked = sorted({*(fields or {}), *(["title"] if title is not None else [])} - set(editable))
    if asked and decided_by is None:
        raise InvalidInput(
            "engine.field_not_editable",
            N_("in the state '{state}' only these can be changed: {editable} (not: {asked})"),
            state=compiled.state(document.state).title,
            editable=Joined(tuple(editable)) if editable else Message("engine.nothing", N_("nothing")),
            asked=Joined(tuple(asked)),
        )
    _check_due_moment(compiled, document.state, fields)
    new_fields = {**document.fields, **(fields or {})}
    changed = sorted(k for k in new_fields if document.fields.get(k, _MISSING) != new_fields[k])
    if title is not None and title != document.title:
        changed.insert(0, "title")
    new_title = document.title if title is None else title
    if not changed:
        return
    writer = writes.Writer(session)
    _lock_or_conflict(writer, document)
    _record(
        writer,
        document,
        compiled,
        actor=actor,
        trigger=EDIT,
        to_state=document.state,
        comment=None,
        data_json=_json(
            {"changed": changed, "content": content_digest(new_title, new_fields)}
            | ({} if decided_by is None else {"decided_by": decided_by})
        ),
        effects=(),
        now=now,
        title=new_title,
        fields=new_fields,
    )
    document_changed(session, document, was=document.state, now=now)


def lock_document(session: Session, document: Document) -> int:
    """Hold the document's row lock until the transaction ends (PostgreSQL: SELECT ... FOR UPDATE) and refuse
    with a conflict if someone changed it since it was loaded; returns the version the next change will produce.

    For a record written under the document's chain (`record_entry`): what it decides is checked under the lock.
    """
    _refuse_unsaved(document)
    if writes.row_locks(session):
        current = session.scalar(select(Document.version).where(Document.id == document.id).with_for_update())
        if current is None:
            raise Conflict("engine.document_gone", N_("document {id} no longer exists"), id=document.id)
        if current != document.version:
            raise Conflict(*_CONFLICT)
    return document.version + 1


def record_entry(
    session: Session,
    document: Document,
    actor: Actor,
    *,
    record: str,
    record_id: int,
    digest: str,
    now: datetime | None = None,
) -> int:
    """Put a legally decisive record (its kind, id and the digest of its content) under the document's chain: an
    audit entry `record` that moves nothing. Returns the entry's version."""
    _refuse_unsaved(document)
    now = utcnow() if now is None else as_utc(now)
    registry = registry_of(session)
    if record not in registry.catalog.records:
        raise ValueError(f"{record!r} is not a kind of record the catalog knows")
    compiled = registry.get(document.kind, document.definition_version, session)
    writer = writes.Writer(session)
    _lock_or_conflict(writer, document)
    version, _digest = _record(
        writer,
        document,
        compiled,
        actor=actor,
        trigger=RECORD,
        to_state=document.state,
        comment=None,
        data_json=_json({"record": record, "id": record_id, "digest": digest}),
        effects=(),
        now=now,
    )
    return version


def available_actions(
    session: Session,
    document: Document,
    actor: Actor,
    *,
    now: datetime | None = None,
    assuming: Mapping[str, Collection[str]] | None = None,
) -> list[Action]:
    """Every trigger from the current state, whether the actor may fire it now, and if not, why.

    `assuming` names, per trigger, guards to take as passing: those that what a form asks for will satisfy
    (an answer typed in the same form that sends it). `fire` still checks them all.
    """
    now = utcnow() if now is None else as_utc(now)
    registry = registry_of(session)
    compiled = registry.get(document.kind, document.definition_version, session)
    context = GuardContext(session, document, actor, now, {})
    actions = []
    for move in compiled.moves_from[document.state]:
        reasons: list[Message | str] = []
        if not holds_any_role(registry.catalog, move.roles, document, actor):
            reasons.append(_roles_needed(move, registry.catalog))
        assumed = (assuming or {}).get(move.trigger, ())
        reasons.extend(
            reason
            for guard in move.guards
            if guard.name not in assumed and (reason := guard.check(context)) is not None
        )
        reasons.extend(_consequence_reasons(move, context))
        actions.append(
            Action(
                trigger=move.trigger,
                title_uk=move.title.uk,
                title_en=move.title.en,
                to_state=move.dest,
                allowed=not reasons,
                reasons=tuple(reasons),
                comment=move.comment,
            )
        )
    return actions


def holds_any_role(catalog: Catalog, roles: Sequence[str], document: Document, actor: Actor) -> bool:
    """Whether the actor holds one of `roles` for this document (global roles, or relative ones like author)."""
    for role in roles:
        resolver = catalog.roles[role].resolver
        if resolver is None:
            if role in actor.roles:
                return True
        elif resolver(document, actor):
            return True
    return False


_MISSING = object()


def _refuse_unsaved(document: Document) -> None:
    """The engine writes documents itself; one changed behind its back would be half-written by the flush."""
    state = inspect(document)
    if state.key is None:
        raise ValueError("the document is not saved: create it with create_document")
    if state.modified:
        raise RuntimeError(
            f"document {document.id} has changes made outside the engine; change documents with edit_document"
        )


def _move_or_refuse(compiled: CompiledDefinition, document: Document, trigger: str) -> Move:
    move = compiled.move(document.state, trigger)
    if move is not None:
        return move
    state_title = compiled.state(document.state).title
    if trigger not in compiled.triggers():
        raise WrongState(no_action(compiled, trigger))
    possible = tuple(m.trigger for m in compiled.moves_from[document.state])
    raise WrongState(
        "engine.wrong_state",
        N_("'{trigger}' is not possible while the document is in the state '{state}' (possible now: {possible})"),
        trigger=trigger,
        state=state_title,
        possible=Joined(possible) if possible else Message("engine.state_final", N_("none, the state is final")),
    )


def no_action(compiled: CompiledDefinition, trigger: str) -> Message:
    """The refusal of a trigger the document's kind does not know."""
    return message(
        "engine.no_such_action", N_("{kind} has no action '{trigger}'"), kind=compiled.definition.title, trigger=trigger
    )


def _comment_or_refuse(move: Move, comment: str | None) -> str | None:
    comment = (comment or "").strip() or None
    if move.comment == "required" and comment is None:
        raise InvalidInput("engine.comment_required", N_("'{action}' needs a comment saying why"), action=move.title)
    if move.comment == "none" and comment is not None:
        raise InvalidInput("engine.comment_refused", N_("'{action}' takes no comment"), action=move.title)
    return _checked_comment(comment)


def _checked_comment(comment: str | None) -> str | None:
    """A comment the append-only log can keep: no NUL, and no longer than `limits.COMMENT`."""
    if comment is None:
        return None
    if "\x00" in comment:
        raise InvalidInput(*_NUL_COMMENT)
    if len(comment) > limits.COMMENT:
        raise InvalidInput(
            "engine.comment_too_long",
            N_(
                "the comment has {length} characters; at most {limit} are kept: shorten it, or attach the full text "
                "as a file"
            ),
            length=len(comment),
            limit=limits.COMMENT,
        )
    return comment


_NUL_COMMENT = ("engine.nul_in_comment", N_("the comment contains a NUL character, which cannot be stored"))


def _roles_needed(move: Move, catalog: Catalog) -> Message:
    return message(
        "engine.roles_needed",
        N_("'{action}' can be done only by: {roles}"),
        action=move.title,
        roles=catalog.roles_named(move.roles),
    )


def _guard_reasons(move: Move, context: GuardContext) -> list[Message | str]:
    reasons: list[Message | str] = [reason for guard in move.guards if (reason := guard.check(context)) is not None]
    return reasons + _consequence_reasons(move, context)


def _consequence_reasons(move: Move, context: GuardContext) -> list[Message | str]:
    """Why a consequence of the move could not follow it (a parent that cannot make the move asked of it)."""
    return [
        reason
        for spec, params in move.consequences
        if spec.check is not None and (reason := spec.check(context, params)) is not None
    ]


def _json(data: Mapping[str, Any] | None) -> str:
    if not data:
        return "{}"
    try:
        text = canonical_json(data)
    except (TypeError, ValueError) as error:
        raise InvalidInput(
            "engine.data_unstorable", N_("the data sent with the action cannot be stored: {error}"), error=str(error)
        ) from None
    if "\\u0000" in text:  # PostgreSQL cannot store NUL characters in JSON or text
        raise InvalidInput(
            "engine.nul_in_data", N_("the data sent with the action contains a NUL character, which cannot be stored")
        )
    return text


def _check_content(title: str | None, fields: Mapping[str, Any] | None) -> None:
    """A title and fields every database can store, or a refusal that says what is wrong."""
    if title is not None and "\x00" in title:
        raise InvalidInput("engine.nul_in_title", N_("the title contains a NUL character, which cannot be stored"))
    if title is not None and len(title) > limits.TITLE:
        raise InvalidInput(
            "engine.title_too_long",
            N_("the title has {length} characters; at most {limit} are allowed"),
            length=len(title),
            limit=limits.TITLE,
        )
    too_long = next(_long_texts(fields or {}), None)
    if too_long is not None:
        raise InvalidInput(
            "engine.field_too_long",
            N_(
                "the field '{field}' has {length} characters; at most {limit} are allowed (attach longer texts as "
                "files)"
            ),
            field=too_long[0],
            length=too_long[1],
            limit=limits.FIELD_TEXT,
        )
    try:
        text = json.dumps(fields or {}, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise InvalidInput(
            "engine.fields_unstorable", N_("the document's fields cannot be stored: {error}"), error=str(error)
        ) from None
    if "\\u0000" in text:  # JSON writes NUL as \u0000, which PostgreSQL cannot store
        raise InvalidInput(
            "engine.nul_in_fields", N_("the document's fields contain a NUL character, which cannot be stored")
        )


def _long_texts(value: object, name: str = "") -> Iterator[tuple[str, int]]:
    """(field, length) of every text in the fields, nested ones too, longer than `limits.FIELD_TEXT`."""
    if isinstance(value, str):
        if len(value) > limits.FIELD_TEXT:
            yield name, len(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _long_texts(item, f"{name}.{key}" if name else str(key))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _long_texts(item, name)


def _check_due_moment(compiled: CompiledDefinition, state: str, fields: Mapping[str, Any] | None) -> None:
    """A field the state's deadline runs `until` holds a moment (or nothing): never text that names none."""
    deadline = compiled.state(state).deadline
    if deadline is None or deadline.until is None or not fields or fields.get(deadline.until) is None:
        return
    if moment_of(fields[deadline.until]) is None:
        raise InvalidInput(
            "engine.due_moment_invalid",
            N_(
                "'{field}' says when '{state}' ends: it must be a date and time with its UTC offset, "
                "e.g. 2026-03-20T18:00:00+02:00 (got {got})"
            ),
            field=deadline.until,
            state=compiled.state(state).title,
            got=repr(fields[deadline.until]),
        )


def _due(compiled: CompiledDefinition, state: str, now: datetime, fields: Mapping[str, Any]) -> datetime | None:
    deadline = compiled.state(state).deadline
    return None if deadline is None else deadline.due(now, fields)


def _lock_or_conflict(writer: writes.Writer, document: Document) -> None:
    """Hold the document's row lock (PostgreSQL) and make sure nobody changed it since it was loaded.

    Elsewhere the version check in the write itself (`Writer.record`) catches a concurrent change.
    """
    if writer.row_locks:
        current = writer.lock_version(document.id)
        if current is None:
            raise Conflict("engine.document_gone", N_("document {id} no longer exists"), id=document.id)
        if current != document.version:
            raise Conflict(*_CONFLICT)


_CONFLICT = (
    "engine.concurrent_change",
    N_("someone else changed the document meanwhile; reload it to see the change, then try again"),
)


def _record(
    writer: writes.Writer,
    document: Document,
    compiled: CompiledDefinition,
    *,
    actor: Actor,
    trigger: str,
    to_state: str,
    comment: str | None,
    data_json: str,
    effects: Sequence[tuple[str, str]],
    now: datetime,
    title: str | None = None,
    fields: Mapping[str, Any] | None = None,
) -> tuple[int, str]:
    """Write the change, its audit entry and its outbox rows, then bring the loaded document up to date.

    Returns the new version and the audit entry's hash.
    """
    document_id, old_version, from_state = document.id, document.version, document.state
    prev_hash = document.audit_hash
    new_version = old_version + 1
    moved = to_state != from_state
    at_text = canonical(now)
    digest = entry_hash(
        document_id=document_id,
        version=new_version,
        at=now,
        actor_id=actor.id,
        trigger=trigger,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data_json=data_json,
        prev_hash=prev_hash,
        at_text=at_text,
    )
    entered_at = now if moved else document.state_entered_at
    deadline = compiled.state(to_state).deadline
    if moved or (fields is not None and deadline is not None and deadline.until is not None):
        # a new stay starts its clock; an edit of the field a deadline runs until moves the due date
        due_at = None if deadline is None else deadline.due(entered_at, document.fields if fields is None else fields)
    else:
        due_at = document.due_at
    change = writes.Change(
        document_id=document_id,
        old_version=old_version,
        new_version=new_version,
        from_state=from_state,
        to_state=to_state,
        at=now,
        entered_at=entered_at,
        due_at=due_at,
        actor_id=actor.id,
        trigger=trigger,
        comment=comment,
        data_json=data_json,
        prev_hash=prev_hash,
        hash=digest,
        effects=tuple(
            (name, params_json, f"{document_id}:{new_version}:{index}")
            for index, (name, params_json) in enumerate(effects)
        ),
        title=title,
        fields=fields,
    )
    try:
        writer.record(change)
    except writes.StaleDocument:
        raise Conflict(*_CONFLICT) from None
    # the loaded document shows what was written, and the ORM will not write it again
    committed: dict[str, Any] = {"version": new_version, "audit_hash": digest, "updated_at": now}
    if moved:
        committed["state"] = to_state
        committed["state_entered_at"] = entered_at
    if due_at != document.due_at:
        committed["due_at"] = due_at
    if title is not None:
        committed["title"] = title
    if fields is not None:
        committed["fields"] = dict(fields)
    for key, value in committed.items():
        set_committed_value(document, key, value)
    return new_version, digest
