"""The deadline policy: what a document's stay in a state with a deadline is owed, and when — a reminder before
the deadline, a word to those responsible once it has passed, the move the law makes automatic when the time is
up — and what each says to whom.

What to do is declared on the state (`deadline: {days, working, remind_before, remind, escalate, on_expiry}`);
when is computed from the document's `due_at` and the time it entered the state. Every event is keyed by the
document's stay in that state, so whoever carries it out (`tasks.deadlines`) does it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.definitions.registry import DefinitionRegistry
from workflow.definitions.schema import Deadline
from workflow.engine.models import DeadlineEvent, Document
from workflow.timeutil import as_utc

#: the messages a reminder and an overdue notice are written with (tasks/templates/mail)
REMINDER, OVERDUE = "deadline_reminder", "deadline_overdue"


@dataclass(frozen=True)
class Due:
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


def owed(session: Session, registry: DefinitionRegistry, now: datetime) -> list[Due]:
    """Every event due by now for documents still in a state with a deadline, not yet done."""
    horizon = now + _longest_reminder(registry)
    rows = session.execute(
        select(
            Document.id,
            Document.kind,
            Document.definition_version,
            Document.state,
            Document.state_entered_at,
            Document.due_at,
        )
        .where(Document.due_at.is_not(None), Document.due_at <= horizon)
        .order_by(Document.due_at, Document.id)
    ).all()
    owed: list[Due] = []
    for document_id, kind, version, state, entered, due in rows:
        deadline = registry.get(kind, version, session).state(state).deadline
        if deadline is None or due is None:
            continue  # the document was migrated to a version without one
        entered, due = as_utc(entered), as_utc(due)
        for event in _events(deadline, entered, due, now):
            owed.append(Due(document_id, state, entered, due, event, movable=deadline.until is not None))
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
        (
            state.deadline.remind_before or 0
            for kind in registry.kinds()
            for state in registry.current(kind).definition.states.values()
            if state.deadline
        ),
        default=0,
    )
    return timedelta(days=2 * longest + 14)


def notice(deadline: Deadline, event: str) -> tuple[list[str], str]:
    """Who a `remind` or an `escalate` event tells (the deadline's roles for it), and with which message; an
    automatic move the engine refused tells as an escalation does."""
    if event == "remind":
        return list(deadline.remind), REMINDER
    return list(deadline.escalate), OVERDUE


def expiry_comment(due: Due) -> str:
    """The comment of the automatic move made when the time is up."""
    return f"the deadline of {due.due_at:%Y-%m-%d %H:%M} UTC passed"


def notice_context(registry: DefinitionRegistry, document: Document, due: Due, session: Session) -> dict[str, object]:
    """What a reminder or an overdue notice says: which state's deadline, and when it is (was) due."""
    compiled = registry.get(document.kind, document.definition_version, session)
    return {"due_at": due.due_at, "state": due.state, "state_title": compiled.state(due.state).title}
