"""The council's plenary sessions as the public reads them: the calendar, and each session's agenda,
attendance, roll calls and papers to download.

A session is public once it is convened (its agenda announced): the definition's public states. One cancelled
before it was ever convened was never announced, so it is not listed either: there is nothing to withdraw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from workflow.council.access import may_read
from workflow.council.organisation.queries import council_members
from workflow.council.path.path import RollCall
from workflow.council.path.path import roll_calls as path_roll_calls
from workflow.council.sittings.models import AgendaItem, Decision, PlenarySession, Vote
from workflow.council.sittings.papers import name_key
from workflow.council.sittings.sessions import agenda
from workflow.council.sittings.votes import presence
from workflow.engine.models import AuditEntry, Document
from workflow.files import DocumentFile
from workflow.people import Person
from workflow.timeutil import as_utc

#: the states of a session the public sees (as `session.yaml` makes them public)
LISTED_STATES = ("convened", "in_progress", "closed", "cancelled")
#: the papers of a sitting a citizen downloads, by the document they are attached to
AGENDA_PAPER, PROTOCOL_PAPER, EXTRACT_PAPER = "agenda", "protocol", "protocol_extract"


@dataclass(frozen=True)
class SessionSummary:
    document: Document
    plenary: PlenarySession

    @property
    def id(self) -> int:
        return self.document.id

    @property
    def cancelled(self) -> bool:
        return self.document.state == "cancelled"


@dataclass(frozen=True)
class PublicVote:
    vote: Vote
    #: the vote as published, as the decision's page shows it too (public/_roll_call.html)
    roll_call: RollCall


@dataclass
class PublicItem:
    """An agenda item, with the draft it considers when the public may read it, and its votes."""

    number: int
    document: Document
    draft: Document | None
    decision: Decision | None
    votes: list[PublicVote] = field(default_factory=list)
    extract: DocumentFile | None = None


@dataclass(frozen=True)
class Presence:
    person_id: int
    name: str
    present: bool


@dataclass
class SessionSheet:
    summary: SessionSummary
    items: list[PublicItem]
    #: votes on the sitting itself (approving the agenda) and those no item owns
    procedural: list[PublicVote]
    #: every member with their registration; empty until the sitting opens
    attendance: list[Presence]
    agenda_file: DocumentFile | None
    protocol_file: DocumentFile | None


# --- the calendar ----------------------------------------------------------------------------------------------
def public_sessions(
    session: Session, *, start: datetime | None = None, end: datetime | None = None
) -> list[SessionSummary]:
    """The sessions the public sees, by their start (from `start`, before `end`)."""
    query = (
        select(Document, PlenarySession)
        .join(PlenarySession, PlenarySession.document_id == Document.id)
        .where(Document.kind == "session", Document.state.in_(LISTED_STATES))
        .order_by(PlenarySession.starts_at, PlenarySession.number)
    )
    if start is not None:
        query = query.where(PlenarySession.starts_at >= as_utc(start))
    if end is not None:
        query = query.where(PlenarySession.starts_at < as_utc(end))
    rows = session.execute(query).all()
    announced = _ever_convened(session, [d.id for d, _ in rows if d.state == "cancelled"])
    return [
        SessionSummary(document, plenary)
        for document, plenary in rows
        if may_read(session, document, None) and (document.state != "cancelled" or document.id in announced)
    ]


def _ever_convened(session: Session, ids: Sequence[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        session.scalars(
            select(AuditEntry.document_id).where(AuditEntry.document_id.in_(ids), AuditEntry.to_state == "convened")
        )
    )


def public_session(session: Session, document_id: int) -> SessionSummary | None:
    """The session, if the public sees it."""
    document = session.get(Document, document_id)
    if document is None or document.kind != "session" or document.state not in LISTED_STATES:
        return None
    plenary = session.get(PlenarySession, document_id)
    if plenary is None or not may_read(session, document, None):
        return None
    if document.state == "cancelled" and not _ever_convened(session, [document.id]):
        return None
    return SessionSummary(document, plenary)


def next_session(session: Session, now: datetime) -> SessionSummary | None:
    """The session under way, else the next convened one (read by their state, never the whole calendar)."""
    under_way = _first_readable(session, _in_state("in_progress"))
    if under_way is not None:
        return under_way
    return _first_readable(session, _in_state("convened").where(PlenarySession.starts_at >= as_utc(now)))


def _in_state(state: str) -> Select[Document, PlenarySession]:
    return (
        select(Document, PlenarySession)
        .join(PlenarySession, PlenarySession.document_id == Document.id)
        .where(Document.kind == "session", Document.state == state)
        .order_by(PlenarySession.starts_at, PlenarySession.number)
    )


def _first_readable(session: Session, query: Select[Document, PlenarySession]) -> SessionSummary | None:
    for document, plenary in session.execute(query):
        if may_read(session, document, None):
            return SessionSummary(document, plenary)
    return None


def agenda_titles(session: Session, summary: SessionSummary) -> list[Document]:
    """The items still on the session's agenda, in order."""
    return [doc for _item, doc in agenda(session, summary.document) if doc.state != "removed"]


# --- a session's page ------------------------------------------------------------------------------------------
def session_sheet(session: Session, summary: SessionSummary) -> SessionSheet:
    rows = [(item, doc) for item, doc in agenda(session, summary.document) if may_read(session, doc, None)]
    draft_ids = [item.draft_id for item, _ in rows if item.draft_id is not None]
    drafts = _public_documents(session, draft_ids)
    decisions = (
        {d.draft_id: d for d in session.scalars(select(Decision).where(Decision.draft_id.in_(draft_ids)))}
        if draft_ids
        else {}
    )
    extracts = _latest_files(session, [doc.id for _, doc in rows], EXTRACT_PAPER)
    items = [
        PublicItem(
            number=number,
            document=doc,
            draft=drafts.get(item.draft_id) if item.draft_id is not None else None,
            decision=decisions.get(item.draft_id) if item.draft_id is not None and item.draft_id in drafts else None,
            extract=extracts.get(doc.id),
        )
        for number, (item, doc) in enumerate(((i, d) for i, d in rows if d.state != "removed"), start=1)
    ]
    procedural = _place_votes(session, summary, rows, items)
    protocol = session.scalar(
        select(Document)
        .where(Document.parent_id == summary.id, Document.kind == "session_protocol")
        .order_by(Document.id.desc())
        .limit(1)
    )
    protocol_file = None
    if protocol is not None and may_read(session, protocol, None):
        protocol_file = _latest_files(session, [protocol.id], PROTOCOL_PAPER).get(protocol.id)
    return SessionSheet(
        summary=summary,
        items=items,
        procedural=procedural,
        attendance=_attendance(session, summary),
        agenda_file=_latest_files(session, [summary.id], AGENDA_PAPER).get(summary.id),
        protocol_file=protocol_file,
    )


def _public_documents(session: Session, ids: Sequence[int]) -> dict[int, Document]:
    if not ids:
        return {}
    found = session.scalars(select(Document).where(Document.id.in_(list(ids))))
    return {d.id: d for d in found if may_read(session, d, None)}


def _latest_files(session: Session, document_ids: Sequence[int], name: str) -> dict[int, DocumentFile]:
    """Each document's latest rendering of the paper `name`."""
    if not document_ids:
        return {}
    files = session.scalars(
        select(DocumentFile)
        .where(DocumentFile.document_id.in_(list(document_ids)), DocumentFile.name == name)
        .order_by(DocumentFile.version)
    )
    return {f.document_id: f for f in files}


def _place_votes(
    session: Session,
    summary: SessionSummary,
    rows: Sequence[tuple[AgendaItem, Document]],
    items: list[PublicItem],
) -> list[PublicVote]:
    """Give each item its votes (about the item, its draft or an amendment to its draft, as the protocol does);
    returns the votes no item owns."""
    votes = list(session.scalars(select(Vote).where(Vote.session_id == summary.id).order_by(Vote.id)))
    shown = roll_calls(session, votes)
    by_document = {item.document.id: item for item in items}
    owner: dict[int, PublicItem] = {}
    for detail, doc in rows:
        if doc.id in by_document:
            owner[doc.id] = by_document[doc.id]
            if detail.draft_id is not None:
                owner[detail.draft_id] = by_document[doc.id]
    drafts = [d.draft_id for d, doc in rows if d.draft_id is not None and doc.id in by_document]
    if drafts:
        for child_id, parent_id in session.execute(
            select(Document.id, Document.parent_id).where(Document.parent_id.in_(drafts))
        ):
            if parent_id in owner and child_id not in owner:
                owner[child_id] = owner[parent_id]
    procedural: list[PublicVote] = []
    for vote in votes:
        item = owner.get(vote.subject_id) if vote.subject_id is not None else None
        (item.votes if item is not None else procedural).append(shown[vote.id])
    return procedural


def roll_calls(session: Session, votes: Sequence[Vote]) -> dict[int, PublicVote]:
    """Each vote with its roll call (every member's name as they voted, and choice), in Ukrainian name order."""
    published = path_roll_calls(session, votes)
    return {vote.id: PublicVote(vote, published[vote.id]) for vote in votes}


def _attendance(session: Session, summary: SessionSummary) -> list[Presence]:
    present = presence(session, summary.id)
    if not present:
        return []
    members = set(council_members(session, as_utc(summary.plenary.starts_at))) | set(present)
    names = dict(session.execute(select(Person.id, Person.full_name).where(Person.id.in_(members))).all())
    listed = sorted(members, key=lambda person: name_key(names.get(person, "")))
    return [Presence(person, names.get(person, ""), bool(present.get(person))) for person in listed]
