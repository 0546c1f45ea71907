"""A draft decision's way to the session: submitted with visas asked from the legal and finance departments,
edited (which makes the visas given no longer valid, as attaching a file does), sent to its committees."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.drafts import versions
from workflow.council.drafts.versions import Particulars
from workflow.council.organisation.models import Committee, Department
from workflow.council.sittings.models import AgendaItem
from workflow.engine import Fired, create_document, edit_document, fire
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotFound
from workflow.i18n import N_
from workflow.people import SYSTEM, Actor


def write_draft(
    session: Session,
    author: Actor,
    title: str,
    body: str,
    *,
    now: datetime | None = None,
    fields: Mapping[str, Any] | None = None,
    particulars: Particulars | None = None,
) -> Document:
    """A new draft in drafting, kept as its first version with what it proposes about itself."""
    particulars = Particulars() if particulars is None else versions.checked(session, particulars)
    draft = create_document(
        session, "decision_draft", author, title=title, fields={"body": body, **(fields or {})}, now=now
    )
    versions.record_version(session, draft, author, particulars, now=now)
    return draft


def children(session: Session, document: Document, kind: str, states: Iterable[str] | None = None) -> list[Document]:
    query = select(Document).where(Document.parent_id == document.id, Document.kind == kind).order_by(Document.id)
    if states is not None:
        query = query.where(Document.state.in_(list(states)))
    return list(session.scalars(query))


def submit_draft(session: Session, draft: Document, author: Actor, *, now: datetime | None = None) -> list[Document]:
    """Submit the draft and ask every legal and finance department for its visa; returns the visas asked."""
    departments = session.scalars(
        select(Department)
        .where(Department.kind.in_(("legal", "finance")), Department.retired_at.is_(None))
        .order_by(Department.id)
    ).all()
    kinds = {d.kind for d in departments}
    if kinds != {"legal", "finance"}:
        raise NotFound(
            "drafts.council_no_legal_no",
            N_("the council has no legal or no finance department to give visas"),
        )
    fire(session, draft, "submit", author, now=now)
    # visas still awaited from an earlier round are for a text that was sent back: no longer asked for
    for visa in children(session, draft, "visa", states=("requested",)):
        fire(session, visa, "cancel", SYSTEM, now=now)
    return [
        create_document(
            session,
            "visa",
            SYSTEM,
            parent=draft,
            title=department.name,
            fields={"department_id": department.id, "department_kind": department.kind},
            now=now,
        )
        for department in departments
    ]


def edit_draft(
    session: Session,
    draft: Document,
    author: Actor,
    *,
    title: str | None = None,
    body: str | None = None,
    particulars: Particulars | None = None,
    now: datetime | None = None,
) -> int:
    """Edit the draft's text (and what it proposes about itself); visas given to an earlier text lose their force.
    Returns how many did. A save that changed something is kept as the draft's next version."""
    before = versions.particulars_of(session, draft)
    particulars = before if particulars is None else versions.checked(session, particulars)
    version = draft.version
    # asks the state's editors even when the text stays as it was: particulars are edited by the same people
    edit_document(session, draft, author, title=title, fields=None if body is None else {"body": body}, now=now)
    text_changed = draft.version != version
    voided = void_visas(session, draft, "the text of the draft was changed", now=now) if text_changed else 0
    if text_changed or particulars != before:
        versions.record_version(session, draft, author, particulars, chained=particulars != before, now=now)
    return voided


def void_visas(session: Session, draft: Document, why: str, *, now: datetime | None = None) -> int:
    """The visas given to the draft as it stood lose their force, and those still asked for are asked no more:
    the reviewers signed off the whole draft, its text and its files. Returns how many given visas were voided."""
    given = children(session, draft, "visa", states=("given",))
    for visa in given:
        fire(session, visa, "invalidate", SYSTEM, comment=why, now=now)
    for visa in children(session, draft, "visa", states=("requested",)):
        fire(session, visa, "cancel", SYSTEM, now=now)
    return len(given)


def withdraw_draft(
    session: Session, draft: Document, author: Actor, reason: str, *, now: datetime | None = None
) -> Fired:
    """The author withdraws the draft, saying why; the visas and committee conclusions still awaited for it are
    no longer asked for, so nobody is reminded of a draft that is gone."""
    fired = fire(session, draft, "withdraw", author, comment=reason, now=now)
    _ask_no_more(session, draft, "the draft was withdrawn", now)
    return fired


def return_for_revision(
    session: Session,
    draft: Document,
    actor: Actor,
    reason: str,
    *,
    now: datetime | None = None,
    data: Mapping[str, Any] | None = None,
) -> Fired:
    """Send the draft back to its author for revision, saying why. What was asked for the text sent back (visas
    awaited, committee conclusions under way, its place on an agenda) is asked no more: the revised text is
    submitted again and asks anew."""
    fired = fire(session, draft, "return_for_revision", actor, comment=reason, data=data, now=now)
    _ask_no_more(session, draft, "the draft was returned for revision", now)
    return fired


def _ask_no_more(session: Session, draft: Document, why: str, now: datetime | None) -> None:
    """Cancel the visas still requested, the conclusions and amendments still open for the draft, and take its
    open agenda item off the agenda, so that nobody is asked, reminded or kept waiting for a text that is gone."""
    for visa in children(session, draft, "visa", states=("requested",)):
        fire(session, visa, "cancel", SYSTEM, comment=why, now=now)
    for conclusion in children(session, draft, "committee_conclusion", states=("prepared", "discussed")):
        fire(session, conclusion, "cancel", SYSTEM, comment=why, now=now)
    for amendment in children(session, draft, "amendment", states=("drafted", "submitted", "committee_opinion")):
        fire(session, amendment, "cancel", SYSTEM, comment=why, now=now)
    items = session.scalars(
        select(Document)
        .join(AgendaItem, AgendaItem.document_id == Document.id)
        .where(AgendaItem.draft_id == draft.id, Document.state.in_(("proposed", "included")))
        .order_by(Document.id)
    ).all()
    for item in items:
        fire(session, item, "remove", SYSTEM, comment=why, now=now)


def send_to_committees(
    session: Session,
    draft: Document,
    secretary: Actor,
    lead: Committee,
    advisory: Iterable[Committee] = (),
    *,
    now: datetime | None = None,
) -> list[Document]:
    """Send the draft to its lead committee and any advisory ones; each writes a conclusion."""
    advisory = [c for c in advisory if c.id != lead.id]
    if len({c.id for c in advisory}) != len(advisory):
        raise InvalidInput("drafts.committee_named_twice", N_("a committee is named twice"))
    fire(session, draft, "send_to_committees", secretary, data={"lead_committee_id": lead.id}, now=now)
    return [
        create_document(
            session,
            "committee_conclusion",
            SYSTEM,
            parent=draft,
            title=committee.name,
            fields={"committee_id": committee.id, "lead": committee.id == lead.id},
            now=now,
        )
        for committee in [lead, *advisory]
    ]


def lead_committee_id(session: Session, draft: Document) -> int | None:
    for conclusion in children(session, draft, "committee_conclusion"):
        if conclusion.fields.get("lead"):
            committee_id = conclusion.fields.get("committee_id")
            return committee_id if isinstance(committee_id, int) else None
    return None
