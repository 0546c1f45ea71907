"""What a person does to a document from its page, carried out the way the council's rules require.

Most actions are one move of the engine. Some take more, and go through their domain function: submitting a
draft asks the departments for visas, withdrawing it cancels what was still asked for, answering a citizen
stores the answer, revoking a delegation ends its grant. Actions that need a workplace of their own (the
agenda, votes, sending a draft to committees, closing a sitting) are not done from the document page: `get`
returns None for them, and the page says where they are done.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from workflow.council import drafts, messages
from workflow.council.delegation import revoke_delegation
from workflow.engine import Fired, fire
from workflow.engine.models import Document
from workflow.errors import InvalidInput
from workflow.people import Actor

#: runs the action: (session, document, actor, comment, inputs, now)
Run = Callable[[Session, Document, Actor, "str | None", Mapping[str, str], datetime], object]


@dataclass(frozen=True, slots=True)
class Operation:
    run: Run
    #: what the form asks for besides the comment: input name -> its label
    inputs: Mapping[str, str]
    #: guards what the form asks for satisfies (the page offers the action before they hold)
    satisfies: frozenset[str] = frozenset()


def _move(trigger: str) -> Operation:
    def run(session: Session, document: Document, actor: Actor, comment: str | None, _inputs: Mapping[str, str],
            now: datetime) -> Fired:
        return fire(session, document, trigger, actor, comment=comment, now=now)

    return Operation(run, {})


def _submit(session: Session, draft: Document, author: Actor, _comment: str | None, _inputs: Mapping[str, str],
            now: datetime) -> object:
    return drafts.submit_draft(session, draft, author, now=now)


def _withdraw(session: Session, draft: Document, author: Actor, comment: str | None, _inputs: Mapping[str, str],
              now: datetime) -> object:
    return drafts.withdraw_draft(session, draft, author, comment or "", now=now)


def _answer(public: bool) -> Operation:
    def run(session: Session, message: Document, deputy: Actor, _comment: str | None, inputs: Mapping[str, str],
            now: datetime) -> Fired:
        return messages.answer(session, message, deputy, inputs.get("answer", ""), public=public, now=now)

    return Operation(run, {"answer": "Відповідь"}, frozenset({"has_answer"}))


def _revoke(session: Session, delegation: Document, actor: Actor, comment: str | None, _inputs: Mapping[str, str],
            now: datetime) -> object:
    return revoke_delegation(session, delegation, actor, comment or "", now=now)


_PLAIN = {
    "decision_draft": ("publish_for_discussion", "sign", "veto", "override_veto", "revise_after_veto", "drop",
                       "publish", "enter_into_force", "return_for_revision"),
    "visa": ("give", "return"),
    "committee_conclusion": ("discuss", "sign", "send_back"),
    "session": ("convene", "open"),
    "session_protocol": ("check", "send_back", "sign", "publish"),
    "amendment": ("withdraw",),
    "citizen_message": ("read", "close"),
}

OPERATIONS: dict[tuple[str, str], Operation] = {
    **{(kind, trigger): _move(trigger) for kind, triggers in _PLAIN.items() for trigger in triggers},
    ("decision_draft", "submit"): Operation(_submit, {}),
    ("decision_draft", "withdraw"): Operation(_withdraw, {}),
    ("citizen_message", "answer_publicly"): _answer(public=True),
    ("citizen_message", "answer_privately"): _answer(public=False),
    ("delegation", "revoke"): Operation(_revoke, {}),
}


def get(kind: str, trigger: str) -> Operation | None:
    """The operation behind an action on the document page; None for one done at a workplace of its own."""
    return OPERATIONS.get((kind, trigger))


def perform(
    session: Session, document: Document, trigger: str, actor: Actor, *, comment: str | None,
    inputs: Mapping[str, str], now: datetime,
) -> None:
    """Do the action, or raise a WorkflowError saying why not (in the caller's transaction, which then rolls back)."""
    operation = get(document.kind, trigger)
    if operation is None:
        raise InvalidInput(f"'{trigger}' is not done from the document page but at its own workplace")
    operation.run(session, document, actor, comment, inputs, now)
