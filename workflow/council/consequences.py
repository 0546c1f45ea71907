"""The council's consequences: changes to its own data that a move brings with it, run by the engine in the
move's transaction (never by a worker later), so that no state of the council waits on the outbox.

`fire_parent` moves the parent document when a child asks for it (a reviewer's returned visa sends the draft
back); `assign_number` gives a signed decision its official number. Definitions list them among a transition's
effects; the catalog says they are consequences.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from workflow.council import drafts
from workflow.council.numbering import assign_number
from workflow.council.rules import CATALOG, FireParentParams
from workflow.definitions.catalog import ConsequenceContext, GuardContext
from workflow.definitions.registry import registry_of
from workflow.engine import fire
from workflow.engine.models import Document
from workflow.errors import WrongState
from workflow.people import Actor


def _parent_and_move(session: Session, child: Document, trigger: str) -> tuple[Document | None, str | None]:
    """The parent and, when it cannot make the move `trigger`, why not."""
    parent = session.get(Document, child.parent_id) if child.parent_id is not None else None
    if parent is None:
        return None, "the document has no parent document to move"
    compiled = registry_of(session).get(parent.kind, parent.definition_version, session)
    if compiled.move(parent.state, trigger) is None:
        title = compiled.state(parent.state).title.en
        return parent, f"«{parent.title}» is in the state '{title}', where it cannot be moved by {trigger!r}"
    return parent, None


def _parent_can_move(ctx: GuardContext, params: Mapping[str, Any]) -> str | None:
    return _parent_and_move(ctx.session, ctx.document, str(params["trigger"]))[1]


@CATALOG.consequence(
    "fire_parent", "move the parent document when this one reaches a state", FireParentParams, check=_parent_can_move
)
def fire_parent(ctx: ConsequenceContext) -> None:
    """Fire `trigger` on the parent as the system, with the child's comment (a reviewer's remarks) passed on; a
    parent that cannot make that move refuses the child's move too (checked with its guards), so the two never
    part."""
    session, child, trigger = ctx.session, ctx.document, str(ctx.params["trigger"])
    parent, impossible = _parent_and_move(session, child, trigger)
    if parent is None or impossible is not None:
        raise WrongState(impossible or "the document has no parent document to move")
    comment = f"{child.title}: {ctx.comment}" if ctx.comment else None
    if parent.kind == "decision_draft" and trigger == "return_for_revision":
        # a reviewer's returned visa: what else was asked for that text is asked no more
        drafts.return_for_revision(session, parent, Actor.system(), comment or "returned by a reviewer",
                                   data={"because_of": child.id}, now=ctx.now)
        return
    fire(session, parent, trigger, Actor.system(), comment=comment, data={"because_of": child.id}, now=ctx.now)


@CATALOG.consequence("assign_number", "give an adopted decision its official number and date")
def number_decision(ctx: ConsequenceContext) -> None:
    assign_number(ctx.session, ctx.document, now=ctx.now)
