"""The deadline sweep (beat runs it every minute) carries out what the deadline policy says is owed
(`workflow.notifications.deadlines`): reminders before a state's deadline, a word to those responsible once it
has passed, and the moves the law makes automatic when the time is up.

Every event is recorded as a `DeadlineEvent`, keyed by the document's stay in that state, in the same
transaction as what it did, so a sweep that runs twice (two beats, a retry) reminds once and moves once; each
event commits on its own, so one document that cannot move holds up no other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tasks.notify import tell
from workflow.definitions.schema import Deadline
from workflow.engine import fire
from workflow.engine.models import DeadlineEvent, Document
from workflow.errors import WorkflowError
from workflow.notifications.deadlines import Due, expiry_comment, notice, notice_context, owed
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


def sweep_deadlines(runtime: Runtime, *, now: datetime | None = None, limit: int = 500) -> Swept:
    now = utcnow() if now is None else as_utc(now)
    swept = Swept()
    with runtime.sessions() as session:
        due_now = owed(session, runtime.registry, now)[:limit]
    for due in due_now:
        with runtime.sessions() as session:
            _act(session, runtime, due, now, swept)
    return swept


def _act(session: Session, runtime: Runtime, due: Due, now: datetime, swept: Swept) -> None:
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
        event = DeadlineEvent(
            key=due.key, document_id=document.id, event=due.event, state=due.state, due_at=due.due_at, at=now
        )
        try:
            with session.begin_nested():
                session.add(event)
                session.flush()
        except IntegrityError:
            return  # another sweep recorded it: it did the work
        deadline = runtime.registry.get(document.kind, document.definition_version, session).state(due.state).deadline
        assert deadline is not None
        context = notice_context(runtime.registry, document, due, session)
        if due.event == "remind":
            roles, template = notice(deadline, due.event)
            told = tell(
                session, runtime.settings, document, roles=roles, template=template, key=due.key, now=now, extra=context
            )
            event.outcome = f"reminded {told}"
            swept.reminded += 1
        elif due.event == "escalate":
            roles, template = notice(deadline, due.event)
            told = tell(
                session, runtime.settings, document, roles=roles, template=template, key=due.key, now=now, extra=context
            )
            event.outcome = f"told {told} it is overdue"
            swept.escalated += 1
        else:
            assert deadline.on_expiry is not None
            _expire(session, runtime, document, deadline, due, event, now, swept)


def _expire(
    session: Session,
    runtime: Runtime,
    document: Document,
    deadline: Deadline,
    due: Due,
    event: DeadlineEvent,
    now: datetime,
    swept: Swept,
) -> None:
    """Fire the automatic move; if the engine refuses it (a guard no longer holds), say so to those who answer
    for the deadline instead, and keep the refusal on the event."""
    trigger = deadline.on_expiry
    assert trigger is not None
    try:
        with session.begin_nested():
            fire(session, document, trigger, Actor.system(), now=now, comment=expiry_comment(due))
    except WorkflowError as refusal:
        session.refresh(document)
        reason = f"document {document.id} ({document.kind}): {trigger} refused: {refusal}"
        event.outcome = reason
        swept.refused.append(reason)
        if deadline.escalate:
            roles, template = notice(deadline, "escalate")
            tell(
                session,
                runtime.settings,
                document,
                roles=roles,
                template=template,
                key=due.key,
                now=now,
                extra=notice_context(runtime.registry, document, due, session),
            )
        return
    event.outcome = f"fired {trigger}"
    swept.moved += 1
