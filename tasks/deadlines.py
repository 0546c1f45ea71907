"""The deadline sweep (beat runs it every minute): reminders before a state's deadline, a word to those
responsible once it has passed, and the moves the law makes automatic when the time is up.

What to do is declared on the state (`deadline: {days, working, remind_before, remind, escalate, on_expiry}`);
when is computed from the document's `due_at` and the time it entered the state. Every event is keyed by the
document's stay in that state, recorded as a `DeadlineEvent` in the same transaction as what it did, so a sweep
that runs twice (two beats, a retry) reminds once and moves once; each event commits on its own, so one document
that cannot move holds up no other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tasks.notify import tell
from workflow.definitions.registry import DefinitionRegistry
from workflow.definitions.schema import Deadline
from workflow.engine import fire
from workflow.engine.models import DeadlineEvent, Document
from workflow.errors import WorkflowError
from workflow.people import Actor
from workflow.runtime import Runtime
from workflow.timeutil import as_utc, utcnow


@dataclass
class Swept:
    reminded: int = 0
    escalated: int = 0
    moved: int = 0
    #: automatic moves the engine refused, with its reason ("document 12 (decision_draft): ...")
    refused: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Due:
    """One thing the sweep owes one document's stay in a state."""

    document_id: int
    state: str
    entered_at: datetime
    due_at: datetime
    event: str  # remind | escalate | expire
    #: the due date is a field's moment (`until`), which an edit may move: each due date is owed its own events
    movable: bool = False

    @property
    def key(self) -> str:
        key = f"{self.event}:{self.document_id}:{self.state}:{self.entered_at.isoformat()}"
        return f"{key}:{self.due_at.isoformat()}" if self.movable else key


def sweep_deadlines(runtime: Runtime, *, now: datetime | None = None, limit: int = 500) -> Swept:
    now = utcnow() if now is None else as_utc(now)
    swept = Swept()
    with runtime.sessions() as session:
        owed = _owed(session, runtime.registry, now)[:limit]
    for due in owed:
        with runtime.sessions() as session:
            _act(session, runtime, due, now, swept)
    return swept


def _owed(session: Session, registry: DefinitionRegistry, now: datetime) -> list[_Due]:
    """Every event due by now for documents still in a state with a deadline, not yet done."""
    horizon = now + _longest_reminder(registry)
    rows = session.execute(
        select(Document.id, Document.kind, Document.definition_version, Document.state,
               Document.state_entered_at, Document.due_at)
        .where(Document.due_at.is_not(None), Document.due_at <= horizon)
        .order_by(Document.due_at, Document.id)
    ).all()
    owed: list[_Due] = []
    for document_id, kind, version, state, entered, due in rows:
        deadline = registry.get(kind, version, session).state(state).deadline
        if deadline is None or due is None:
            continue  # the document was migrated to a version without one
        entered, due = as_utc(entered), as_utc(due)
        for event in _events(deadline, entered, due, now):
            owed.append(_Due(document_id, state, entered, due, event, movable=deadline.until is not None))
    if not owed:
        return owed
    done = set(session.scalars(select(DeadlineEvent.key).where(DeadlineEvent.key.in_([d.key for d in owed]))))
    return [due for due in owed if due.key not in done]


def _events(deadline: Deadline, entered: datetime, due: datetime, now: datetime) -> list[str]:
    if now >= due:
        if deadline.on_expiry:
            return ["expire"]
        return ["escalate"] if deadline.escalate else []
    remind_at = deadline.reminder(entered, due)
    if remind_at is not None and now >= remind_at:
        return ["remind"]
    return []


def _longest_reminder(registry: DefinitionRegistry) -> timedelta:
    """How far ahead of their due dates documents can owe a reminder (working days stretch over weekends and
    holidays, hence the margin)."""
    longest = max(
        (state.deadline.remind_before or 0 for kind in registry.kinds()
         for state in registry.current(kind).definition.states.values() if state.deadline),
        default=0,
    )
    return timedelta(days=2 * longest + 14)


def _act(session: Session, runtime: Runtime, due: _Due, now: datetime, swept: Swept) -> None:
    """Do one event and record it, in one transaction; nothing if the document moved on or its due date moved
    meanwhile, or another sweep got there first."""
    with session.begin():
        document = session.get(Document, due.document_id)
        if (
            document is None
            or document.state != due.state
            or as_utc(document.state_entered_at) != due.entered_at
            or document.due_at is None
            or as_utc(document.due_at) != due.due_at
        ):
            return
        event = DeadlineEvent(key=due.key, document_id=document.id, event=due.event, state=due.state,
                              due_at=due.due_at, at=now)
        try:
            with session.begin_nested():
                session.add(event)
                session.flush()
        except IntegrityError:
            return  # another sweep recorded it: it did the work
        deadline = runtime.registry.get(document.kind, document.definition_version, session).state(due.state).deadline
        assert deadline is not None
        context = _context(runtime, document, due, session)
        if due.event == "remind":
            told = tell(session, runtime.settings, document, roles=list(deadline.remind), template="deadline_reminder",
                        key=due.key, now=now, extra=context)
            event.outcome = f"reminded {told}"
            swept.reminded += 1
        elif due.event == "escalate":
            told = tell(session, runtime.settings, document, roles=list(deadline.escalate),
                        template="deadline_overdue", key=due.key, now=now, extra=context)
            event.outcome = f"told {told} it is overdue"
            swept.escalated += 1
        else:
            assert deadline.on_expiry is not None
            _expire(session, runtime, document, deadline, due, event, now, swept)


def _expire(session: Session, runtime: Runtime, document: Document, deadline: Deadline, due: _Due,
            event: DeadlineEvent, now: datetime, swept: Swept) -> None:
    """Fire the automatic move; if the engine refuses it (a guard no longer holds), say so to those who answer
    for the deadline instead, and keep the refusal on the event."""
    trigger = deadline.on_expiry
    assert trigger is not None
    try:
        with session.begin_nested():
            fire(session, document, trigger, Actor.system(), now=now,
                 comment=f"the deadline of {due.due_at:%Y-%m-%d %H:%M} UTC passed")
    except WorkflowError as refusal:
        session.refresh(document)
        reason = f"document {document.id} ({document.kind}): {trigger} refused: {refusal}"
        event.outcome = reason
        swept.refused.append(reason)
        if deadline.escalate:
            tell(session, runtime.settings, document, roles=list(deadline.escalate), template="deadline_overdue",
                 key=due.key, now=now, extra=_context(runtime, document, due, session))
        return
    event.outcome = f"fired {trigger}"
    swept.moved += 1


def _context(runtime: Runtime, document: Document, due: _Due, session: Session) -> dict[str, object]:
    """What a reminder or an overdue notice says: which state's deadline, and when it is (was) due."""
    compiled = runtime.registry.get(document.kind, document.definition_version, session)
    return {"due_at": due.due_at, "state": due.state, "state_title": compiled.state(due.state).title}
