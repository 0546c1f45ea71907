"""What a person does to a document from its page, carried out the way the council's rules require.

Most actions are one move of the engine. Some take more, and go through their domain function: submitting a
draft asks the departments for visas, withdrawing it cancels what was still asked for, answering a citizen
stores the answer, revoking a delegation ends its grant. Actions that need a workplace of their own (the
agenda, votes, sending a draft to committees, closing a sitting, a committee's discussion at its meeting) are
not done from the document page: `get` returns None for them, and the page says where they are done. How the
page names an action's inputs, and which guards its form satisfies, is the page's (`web`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from workflow.council.delegation.delegation import revoke_delegation
from workflow.council.drafts import drafts
from workflow.council.messages import messages
from workflow.definitions.registry import registry_of
from workflow.engine import Fired, fire
from workflow.engine.firing import no_action
from workflow.engine.models import Document
from workflow.errors import InvalidInput, WrongState
from workflow.i18n import N_
from workflow.people import Actor

#: runs the action: (session, document, actor, comment, inputs, now)
Run = Callable[[Session, Document, Actor, "str | None", Mapping[str, str], datetime], object]


@dataclass(frozen=True, slots=True)
class Operation:
    run: Run
    #: what the action takes besides the comment, by name
    inputs: tuple[str, ...]
    #: whether the form asks for a comment (when the definition allows one); False where none would be kept
    takes_comment: bool = True


def _move(trigger: str) -> Operation:
    def run(
        session: Session,
        document: Document,
        actor: Actor,
        comment: str | None,
        _inputs: Mapping[str, str],
        now: datetime,
    ) -> Fired:
        return fire(session, document, trigger, actor, comment=comment, now=now)

    return Operation(run, ())


def _submit(
    session: Session, draft: Document, author: Actor, _comment: str | None, _inputs: Mapping[str, str], now: datetime
) -> object:
    return drafts.submit_draft(session, draft, author, now=now)


def _return(
    session: Session, draft: Document, actor: Actor, comment: str | None, _inputs: Mapping[str, str], now: datetime
) -> object:
    return drafts.return_for_revision(session, draft, actor, comment or "", now=now)


def _withdraw(
    session: Session, draft: Document, author: Actor, comment: str | None, _inputs: Mapping[str, str], now: datetime
) -> object:
    return drafts.withdraw_draft(session, draft, author, comment or "", now=now)


def _answer(public: bool) -> Operation:
    def run(
        session: Session,
        message: Document,
        deputy: Actor,
        _comment: str | None,
        inputs: Mapping[str, str],
        now: datetime,
    ) -> Fired:
        return messages.answer(session, message, deputy, inputs.get("answer", ""), public=public, now=now)

    return Operation(run, ("answer",), takes_comment=False)


def _revoke(
    session: Session, delegation: Document, actor: Actor, comment: str | None, _inputs: Mapping[str, str], now: datetime
) -> object:
    return revoke_delegation(session, delegation, actor, comment or "", now=now)


_PLAIN = {
    "decision_draft": (
        "publish_for_discussion",
        "sign",
        "veto",
        "override_veto",
        "revise_after_veto",
        "drop",
        "publish",
        "enter_into_force",
    ),
    "visa": ("give", "return", "cancel", "invalidate"),
    # the discussion is recorded by the committee's vote at its meeting (workflow.council.committees)
    "committee_conclusion": ("sign", "send_back", "cancel"),
    "session": ("convene", "open"),
    "session_protocol": ("check", "send_back", "sign", "publish"),
    "amendment": ("withdraw", "cancel"),
    "citizen_message": ("read", "close"),
}

OPERATIONS: dict[tuple[str, str], Operation] = {
    **{(kind, trigger): _move(trigger) for kind, triggers in _PLAIN.items() for trigger in triggers},
    ("decision_draft", "submit"): Operation(_submit, (), takes_comment=False),
    ("decision_draft", "withdraw"): Operation(_withdraw, ()),
    ("decision_draft", "return_for_revision"): Operation(_return, ()),
    ("citizen_message", "answer_publicly"): _answer(public=True),
    ("citizen_message", "answer_privately"): _answer(public=False),
    ("delegation", "revoke"): Operation(_revoke, ()),
}


def get(kind: str, trigger: str) -> Operation | None:
    """The operation behind an action on the document page; None for one done at a workplace of its own."""
    return OPERATIONS.get((kind, trigger))


def perform(
    session: Session,
    document: Document,
    trigger: str,
    actor: Actor,
    *,
    comment: str | None,
    inputs: Mapping[str, str],
    now: datetime,
) -> None:
    """Do the action, or raise a WorkflowError saying why not (in the caller's transaction, which then rolls back)."""
    operation = get(document.kind, trigger)
    if operation is None:
        compiled = registry_of(session).get(document.kind, document.definition_version, session)
        if trigger not in compiled.triggers():
            raise WrongState(no_action(compiled, trigger))
        raise InvalidInput(
            "operations.trigger_not_done_from",
            N_("'{trigger}' is not done from the document page but at its own workplace"),
            trigger=trigger,
        )
    operation.run(session, document, actor, comment, inputs, now)
