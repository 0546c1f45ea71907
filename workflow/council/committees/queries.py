"""What a committee's workplace shows: the committees a person works in, the drafts referred to a committee with
their due dates, and its meetings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.committees.models import CommitteeMeeting
from workflow.council.organisation.models import Committee
from workflow.council.organisation.queries import COMMITTEE_ROLES
from workflow.engine.models import Document
from workflow.people import Actor


def committees_of(session: Session, actor: Actor) -> list[tuple[Committee, str]]:
    """The committees the actor chairs, is the secretary of or is a member of, with that role (chair first)."""
    found: dict[int, str] = {}
    for role in COMMITTEE_ROLES:  # chair, secretary, member: the first one held is the one shown
        for scope in actor.scopes.get(role, ()):
            found.setdefault(scope, role)
    if not found:
        return []
    committees = session.scalars(select(Committee).where(Committee.id.in_(list(found))).order_by(Committee.id))
    return [(committee, found[committee.id]) for committee in committees]


def role_in(actor: Actor, committee_id: int) -> str | None:
    """The actor's role in the committee: committee_chair, committee_secretary, committee_member or None."""
    return next((role for role in COMMITTEE_ROLES if actor.holds_for(role, committee_id)), None)


@dataclass(frozen=True)
class Referred:
    """A draft referred to the committee: its conclusion (with its state and due date) and the draft."""

    conclusion: Document
    draft: Document | None
    lead: bool


def referred_drafts(session: Session, committee_id: int, *, finished: bool = False) -> list[Referred]:
    """The committee's conclusions on drafts referred to it: those still under way (or, with `finished`, the
    signed ones too), the soonest due first."""
    states = ["prepared", "discussed", *(["signed"] if finished else [])]
    conclusions = [
        conclusion
        for conclusion in session.scalars(
            select(Document)
            .where(Document.kind == "committee_conclusion", Document.state.in_(states))
            .order_by(Document.due_at.is_(None), Document.due_at, Document.id)
        )
        if conclusion.fields.get("committee_id") == committee_id
    ]
    parents = {conclusion.parent_id for conclusion in conclusions if conclusion.parent_id is not None}
    drafts = (
        {draft.id: draft for draft in session.scalars(select(Document).where(Document.id.in_(list(parents))))}
        if parents
        else {}
    )
    return [
        Referred(
            conclusion,
            drafts.get(conclusion.parent_id) if conclusion.parent_id is not None else None,
            bool(conclusion.fields.get("lead")),
        )
        for conclusion in conclusions
    ]


def meetings_of(session: Session, committee_id: int) -> list[tuple[CommitteeMeeting, Document]]:
    """The committee's meetings, the latest first."""
    rows = session.execute(
        select(CommitteeMeeting, Document)
        .join(Document, Document.id == CommitteeMeeting.document_id)
        .where(CommitteeMeeting.committee_id == committee_id)
        .order_by(CommitteeMeeting.starts_at.desc(), Document.id.desc())
    ).all()
    return [(detail, document) for detail, document in rows]
