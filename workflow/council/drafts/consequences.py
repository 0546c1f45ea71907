"""A consequence in the council's own data, run by the engine in the move's transaction (never by a worker
later), so that no state of the council waits on the outbox: `fire_parent` moves the parent document when a
child asks for it (a reviewer's returned visa sends the draft back). Definitions list it among a transition's
effects; the catalog says it is a consequence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from workflow.council.drafts import drafts
from workflow.definitions.catalog import Catalog, ConsequenceContext, GuardContext
from workflow.definitions.registry import registry_of
from workflow.engine import fire
from workflow.engine.models import Document
from workflow.errors import WrongState
from workflow.i18n import N_, Message, message
from workflow.people import Actor


class FireParentParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: the trigger to fire on the parent document, as the system
    trigger: str = Field(min_length=1)


_NO_PARENT = message("consequences.no_parent", N_("the document has no parent document to move"))


def _parent_and_move(session: Session, child: Document, trigger: str) -> tuple[Document | None, Message | None]:
    """The parent and, when it cannot make the move `trigger`, why not."""
    parent = session.get(Document, child.parent_id) if child.parent_id is not None else None
    if parent is None:
        return None, _NO_PARENT
    compiled = registry_of(session).get(parent.kind, parent.definition_version, session)
    if compiled.move(parent.state, trigger) is None:
        return parent, message(
            "consequences.parent_cannot_move",
            N_("«{title}» is in the state '{state}', where it cannot be moved by '{trigger}'"),
            title=parent.title,
            state=compiled.state(parent.state).title,
            trigger=trigger,
        )
    return parent, None


def _parent_can_move(ctx: GuardContext, params: Mapping[str, Any]) -> Message | None:
    return _parent_and_move(ctx.session, ctx.document, str(params["trigger"]))[1]


def fire_parent(ctx: ConsequenceContext) -> None:
    """Fire `trigger` on the parent as the system, with the child's comment (a reviewer's remarks) passed on; a
    parent that cannot make that move refuses the child's move too (checked with its guards), so the two never
    part."""
    session, child, trigger = ctx.session, ctx.document, str(ctx.params["trigger"])
    parent, impossible = _parent_and_move(session, child, trigger)
    if parent is None or impossible is not None:
        raise WrongState(impossible or _NO_PARENT)
    comment = f"{child.title}: {ctx.comment}" if ctx.comment else None
    if parent.kind == "decision_draft" and trigger == "return_for_revision":
        # a reviewer's returned visa: what else was asked for that text is asked no more
        drafts.return_for_revision(
            session,
            parent,
            Actor.system(),
            comment or "returned by a reviewer",
            data={"because_of": child.id},
            now=ctx.now,
        )
        return
    fire(session, parent, trigger, Actor.system(), comment=comment, data={"because_of": child.id}, now=ctx.now)


def register(catalog: Catalog) -> None:
    catalog.consequence(
        "fire_parent",
        "move the parent document when this one reaches a state",
        FireParentParams,
        check=_parent_can_move,
    )(fire_parent)
