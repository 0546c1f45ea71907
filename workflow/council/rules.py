"""The names the shipped definitions use: the council's roles, guards, effects and consequences, in one catalog.

Guards return None when the move may go ahead, or a sentence that tells the person why not.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ScalarSelect, func, select

from workflow.definitions.catalog import Catalog, GuardContext
from workflow.engine.models import AuditEntry, Document
from workflow.people import Actor

CATALOG = Catalog()

# --- roles held council-wide (granted to a person, possibly for a committee or a department) -----------------
for _name, _description in {
    "admin": "manages users, roles, committees and definitions",
    "secretary": "the council secretary: prepares sessions, the agenda, votes and the protocol",
    "mayor": "the council head: signs adopted decisions or vetoes them",
    "deputy": "a deputy of the council",
    "staff": "department staff who write draft decisions",
    "reviewer": "a reviewer of a department (legal, finance) who gives visas",
    "committee_chair": "the chair of a standing committee",
    "committee_member": "a member of a standing committee",
    "committee_secretary": "the secretary of a standing committee",
    "citizen": "a registered member of the public",
    Actor.SYSTEM_ROLE: "the scheduler and the tasks, where the law makes a move automatic",
}.items():
    CATALOG.global_role(_name, _description)


# --- roles relative to one document --------------------------------------------------------------------------
@CATALOG.relative_role("author", "the person who wrote the document (the initiator of a draft)")
def _is_author(document: Document, actor: Actor) -> bool:
    return actor.id is not None and document.author_id == actor.id


@CATALOG.relative_role("department_reviewer", "a reviewer of the department the visa is asked from")
def _reviews_for_department(document: Document, actor: Actor) -> bool:
    return actor.holds_for("reviewer", document.fields.get("department_id"))


@CATALOG.relative_role("committee_chair_here", "the chair of the committee that wrote this conclusion")
def _chairs_committee(document: Document, actor: Actor) -> bool:
    return actor.holds_for("committee_chair", document.fields.get("committee_id"))


@CATALOG.relative_role("committee_member_here", "a member of the committee that writes this conclusion")
def _member_of_committee(document: Document, actor: Actor) -> bool:
    committee = document.fields.get("committee_id")
    return actor.holds_for("committee_member", committee) or actor.holds_for("committee_chair", committee)


@CATALOG.relative_role("committee_secretary_here", "the secretary of the committee that writes this conclusion")
def _committee_secretary(document: Document, actor: Actor) -> bool:
    return actor.holds_for("committee_secretary", document.fields.get("committee_id"))


@CATALOG.relative_role(
    "session_chair", "who chairs the sitting: the mayor, or a deputy delegated to chair this session"
)
def _chairs_session(document: Document, actor: Actor) -> bool:
    # a session is its own subject; its agenda items and its protocol are its children
    return (
        actor.holds("mayor")
        or actor.holds_for("session_chair", document.id)
        or actor.holds_for("session_chair", document.parent_id)
    )


@CATALOG.relative_role("lead_committee_chair", "the chair of the lead committee on the amended draft")
def _chairs_lead_committee(document: Document, actor: Actor) -> bool:
    return actor.holds_for("committee_chair", document.fields.get("lead_committee_id"))


@CATALOG.relative_role("addressee", "the deputy a citizen's message is addressed to", person_field="deputy_id")
def _is_addressee(document: Document, actor: Actor) -> bool:
    return actor.id is not None and document.fields.get("deputy_id") == actor.id


@CATALOG.relative_role("delegate", "the person a delegation gives the role to", person_field="person_id")
def _is_delegate(document: Document, actor: Actor) -> bool:
    return actor.id is not None and document.fields.get("person_id") == actor.id


# --- guards --------------------------------------------------------------------------------------------------
@CATALOG.guard("has_text", "the draft has a title and a text")
def _has_text(ctx: GuardContext) -> str | None:
    missing = [
        what
        for what, value in (("a title", ctx.document.title), ("a text", ctx.document.fields.get("body")))
        if not (isinstance(value, str) and value.strip())
    ]
    return f"the draft has no {' and no '.join(w.removeprefix('a ') for w in missing)}" if missing else None


def round_started(document_id: int, round_starts_with: str) -> ScalarSelect[int]:
    """The version of the document's latest move `round_starts_with`: where its current round began, by the log's
    order (clocks can repeat a moment or go back; versions cannot)."""
    return (
        select(func.max(AuditEntry.version))
        .where(AuditEntry.document_id == document_id, AuditEntry.trigger == round_starts_with)
        .scalar_subquery()
    )


def _children_states(ctx: GuardContext, kind: str, round_starts_with: str) -> Counter[str]:
    """States of the document's children of `kind` asked for in the current round: made since the latest move
    `round_starts_with` (a draft returned for revision and submitted again needs new visas, new conclusions)."""
    rows = ctx.session.execute(
        select(Document.state, func.count())
        .where(Document.parent_id == ctx.document.id, Document.kind == kind,
               Document.parent_version >= round_started(ctx.document.id, round_starts_with))
        .group_by(Document.state)
    ).all()
    return Counter(dict(rows))


@CATALOG.guard("all_visas_given", "every visa asked for the draft is given, and at least one was asked")
def _all_visas_given(ctx: GuardContext) -> str | None:
    states = _children_states(ctx, "visa", round_starts_with="submit")
    asked = states["requested"] + states["given"] + states["returned"]
    if asked == 0:
        return "no visa has been asked for yet"
    if states["returned"]:
        # a return sends the draft back in the same transaction; this holds even for a draft it did not reach
        verb = "was" if states["returned"] == 1 else "were"
        return f"{states['returned']} of {asked} visas {verb} returned with remarks"
    if states["requested"]:
        return f"{states['requested']} of {asked} visas are still awaited"
    return None


@CATALOG.guard(
    "all_committee_conclusions_signed", "every committee assigned to the draft has signed its conclusion"
)
def _all_conclusions_signed(ctx: GuardContext) -> str | None:
    states = _children_states(ctx, "committee_conclusion", round_starts_with="send_to_committees")
    assigned = sum(count for state, count in states.items() if state != "cancelled")
    if assigned == 0:
        return "no committee has been assigned to review the draft"
    if states["signed"] < assigned:
        return f"{assigned - states['signed']} of {assigned} committee conclusions are not signed yet"
    return None


RECOMMENDATIONS = ("support", "support_with_amendments", "reject")


@CATALOG.guard("has_recommendation", "the conclusion states its recommendation and its text")
def _has_recommendation(ctx: GuardContext) -> str | None:
    recommendation = ctx.document.fields.get("recommendation")
    if recommendation not in RECOMMENDATIONS:
        return f"the conclusion has no recommendation (one of: {', '.join(RECOMMENDATIONS)})"
    body = ctx.document.fields.get("body")
    if not (isinstance(body, str) and body.strip()):
        return "the conclusion has no text"
    return None


# --- effects: recorded in the outbox by the engine, carried out by the tasks ---------------------------------
class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NotifyParams(_Params):
    #: who is told: roles as in transitions (global or relative to the document)
    roles: list[str] = Field(min_length=1)
    #: the message template (e-mail and in-app), by name
    template: str = Field(min_length=1)


class RenderParams(_Params):
    #: the Word template in templates_docx/, without .docx
    template: str = Field(min_length=1)


class FireParentParams(_Params):
    #: the trigger to fire on the parent document, as the system
    trigger: str = Field(min_length=1)


CATALOG.effect("notify", "tell people what happened and what is expected of them", NotifyParams)
CATALOG.effect("render_docx", "render a Word document from a template and attach it", RenderParams)

# The council's rules about sessions, votes and the law's deadlines, and the consequences in its own data
# (`fire_parent`, `assign_number`: run in the move's transaction), and the decisive records kept under the
# chain register themselves into CATALOG.
from workflow.council import records  # noqa: E402

for _spec in records.SPECS:
    CATALOG.record(_spec)

from workflow.council import consequences as _consequences  # noqa: E402, F401
from workflow.council import guards as _guards  # noqa: E402, F401
