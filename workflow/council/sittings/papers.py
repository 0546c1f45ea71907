"""What the sittings' Word documents say: the agenda, the protocol and an extract from the protocol, each read
from the database into a plain dict (strings, numbers, lists of dicts); and how every paper of the council
writes its words, dates, names and votes (`workflow.council.drafts.papers` writes the decision and the
committee's conclusion with them).

The templates in templates_docx/ receive these dicts as they are; templates_docx/README.md lists their keys for
whoever edits the templates. Nothing here renders or stores a file: that is the tasks' job.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_time
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from workflow.council.law import KYIV
from workflow.council.organisation.models import Council
from workflow.council.organisation.queries import council_members, holders, the_council
from workflow.council.sittings.conflicts import declarations_at
from workflow.council.sittings.models import AgendaItem, Ballot, Decision, PlenarySession, Vote
from workflow.council.sittings.numbering import roman
from workflow.council.sittings.sessions import agenda
from workflow.council.sittings.votes import presence, quorum_for
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotFound
from workflow.i18n import N_, babel_locale, gettext, local_date
from workflow.people import Person, RoleGrant
from workflow.timeutil import as_utc

Context = dict[str, Any]

#: the council's papers are official documents in the state language, whoever asks for them
PAPERS_LOCALE = "uk"
#: how a paper writes a day (a Babel pattern, translated: '19 березня 2026 року')
DATE_PATTERN = N_("d MMMM y")
#: a ballot's choice as the protocol writes it
CHOICES = {
    "for": N_("for"),
    "against": N_("against"),
    "abstain": N_("abstained"),
    "not_voted": N_("did not vote"),
    "absent": N_("absent"),
}
VOTE_RESULTS = {"adopted": N_("adopted"), "rejected": N_("not adopted")}
THRESHOLDS = {
    "majority": N_("a majority of the total composition"),
    "two_thirds": N_("two thirds of the total composition"),
}
#: what became of an agenda item, by its state
ITEM_RESULTS = {
    "proposed": N_("not considered"),
    "included": N_("not considered"),
    "considering": N_("under consideration"),
    "adopted": N_("decision adopted"),
    "rejected": N_("decision not adopted"),
    "postponed": N_("consideration postponed"),
    "removed": N_("removed from consideration"),
}
SESSION_KINDS = {"regular": N_("regular"), "extraordinary": N_("extraordinary")}


def in_papers(words: Mapping[str, str]) -> dict[str, str]:
    """A table of words as the papers write them (in PAPERS_LOCALE)."""
    return {key: gettext(text, PAPERS_LOCALE) for key, text in words.items()}


CHOICES_UK = in_papers(CHOICES)
VOTE_RESULTS_UK = in_papers(VOTE_RESULTS)
THRESHOLDS_UK = in_papers(THRESHOLDS)
ITEM_RESULTS_UK = in_papers(ITEM_RESULTS)
SESSION_KINDS_UK = in_papers(SESSION_KINDS)
#: the Ukrainian alphabet, for lists of names in the order a Ukrainian reader expects (і, ї, є, ґ in place)
ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}


# --- words and numbers as the papers write them -----------------------------------------------------------------
def date_uk(value: date | datetime) -> str:
    """'19 березня 2026 року' (a moment is taken in Kyiv): Babel's month names, the papers' pattern."""
    day = local_date(value) if isinstance(value, datetime) else value
    return format_date(day, gettext(DATE_PATTERN, PAPERS_LOCALE), locale=babel_locale(PAPERS_LOCALE))


def time_uk(moment: datetime) -> str:
    return format_time(as_utc(moment), "HH:mm", tzinfo=KYIV, locale=babel_locale(PAPERS_LOCALE))


def name_key(name: str) -> tuple[tuple[int, int], ...]:
    """Sort key for names in Ukrainian alphabetical order, whatever the database's collation."""
    return tuple((_LETTER_RANK.get(ch, len(ALPHABET)), ord(ch)) for ch in name.lower())


def paragraphs(text: object) -> list[str]:
    """A text field split into its paragraphs (blank lines dropped)."""
    if not isinstance(text, str):
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def council_header(council: Council) -> Context:
    return {"name": council.name, "convocation": council.convocation, "convocation_roman": roman(council.convocation)}


def expect(document: Document, kind: str, what: str) -> None:
    if document.kind != kind:
        raise InvalidInput(
            "papers.document_id_kind_not",
            N_("document {id} is a {kind}, not {what}"),
            id=document.id,
            kind=document.kind,
            what=what,
        )


def names_of(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    return dict(session.execute(select(Person.id, Person.full_name).where(Person.id.in_(wanted))).all())


def holder_name(session: Session, role: str, scope_id: int | None, at: datetime) -> str:
    """The name of who holds `role` at `at` in their own right (the first one, if several), or ''."""
    ids = holders(session, (role,), scope_id, at)
    return names_of(session, ids[:1]).get(ids[0], "") if ids else ""


# --- votes ------------------------------------------------------------------------------------------------------
def votes_context(session: Session, votes: Sequence[Vote]) -> dict[int, Context]:
    """Each vote as the papers show it, with its roll call: every member's name and choice, in one query."""
    roll_calls: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if votes:
        rows = session.execute(
            select(Ballot.vote_id, func.coalesce(Ballot.name, Person.full_name), Ballot.choice)
            .join(Person, Person.id == Ballot.person_id)
            .where(Ballot.vote_id.in_([vote.id for vote in votes]))
        )
        for vote_id, name, choice in rows:
            roll_calls[vote_id].append((name, choice))
    out: dict[int, Context] = {}
    for vote in votes:
        ballots = sorted(roll_calls[vote.id], key=lambda ballot: name_key(ballot[0]))
        out[vote.id] = {
            "question": vote.question,
            "time": time_uk(vote.held_at),
            "date": date_uk(vote.held_at),
            "threshold": THRESHOLDS_UK.get(vote.threshold, vote.threshold),
            "total": vote.total_composition,
            "required": vote.required,
            "registered": vote.registered,
            "votes_for": vote.votes_for,
            "votes_against": vote.votes_against,
            "abstained": vote.abstained,
            "not_voted": vote.not_voted,
            "absent": vote.absent,
            "adopted": vote.result == "adopted",
            "result": VOTE_RESULTS_UK.get(vote.result, vote.result),
            "ballots": [
                {"number": number, "name": name, "choice": CHOICES_UK.get(choice, choice)}
                for number, (name, choice) in enumerate(ballots, start=1)
            ],
        }
    return out


# --- the agenda -------------------------------------------------------------------------------------------------
def _plenary(session: Session, document: Document) -> PlenarySession:
    expect(document, "session", "a plenary session")
    plenary = session.get(PlenarySession, document.id)
    if plenary is None:
        raise NotFound(
            "papers.session_document_id_no",
            N_("session document {id} has no session detail"),
            id=document.id,
        )
    return plenary


def _session_header(plenary: PlenarySession) -> Context:
    return {
        "number": plenary.number,
        "kind": SESSION_KINDS_UK.get(plenary.kind, plenary.kind),
        "date": date_uk(plenary.starts_at),
        "time": time_uk(plenary.starts_at),
        "place": plenary.place,
    }


def _reporters(session: Session, rows: Sequence[tuple[AgendaItem, Document]]) -> dict[int, str]:
    """Who reports each item: the reporter named on the agenda, else the draft's initiator."""
    drafts = (
        {
            d.id: d
            for d in session.scalars(
                select(Document).where(Document.id.in_([item.draft_id for item, _ in rows if item.draft_id]))
            )
        }
        if rows
        else {}
    )
    people = {item.reporter_id for item, _ in rows if item.reporter_id}
    people |= {d.author_id for d in drafts.values() if d.author_id}
    names = names_of(session, people)
    out: dict[int, str] = {}
    for item, _document in rows:
        draft = drafts.get(item.draft_id) if item.draft_id else None
        who = item.reporter_id or (draft.author_id if draft is not None else None)
        out[item.document_id] = names.get(who, "") if who else ""
    return out


def agenda_context(session: Session, plenary_document: Document) -> Context:
    """The session's agenda as convened: number, date, place and the items still on it, numbered in order."""
    plenary = _plenary(session, plenary_document)
    rows = [(item, doc) for item, doc in agenda(session, plenary_document) if doc.state != "removed"]
    reporters = _reporters(session, rows)
    return {
        "council": council_header(the_council(session)),
        "session": _session_header(plenary),
        "items": [
            {"number": number, "title": doc.title, "reporter": reporters[item.document_id]}
            for number, (item, doc) in enumerate(rows, start=1)
        ],
    }


# --- the protocol and its extracts ------------------------------------------------------------------------------
def _attendance(session: Session, plenary: PlenarySession, council: Council) -> Context:
    """Every member of the council with their registration, and whether there was a quorum."""
    present = presence(session, plenary.document_id)
    members = set(council_members(session, as_utc(plenary.starts_at))) | set(present)
    names = names_of(session, members)
    listed = sorted(members, key=lambda person: name_key(names.get(person, "")))
    registered = sum(1 for person in listed if present.get(person))
    quorum = quorum_for(council.total_composition)
    return {
        "total": council.total_composition,
        "registered": registered,
        "absent": len(listed) - registered,
        "quorum": quorum,
        "has_quorum": registered >= quorum,
        "quorum_text": "кворум є" if registered >= quorum else "кворуму немає",
        "members": [
            {
                "number": number,
                "name": names.get(person, f"#{person}"),
                "presence": "присутній" if present.get(person) else "відсутній",
            }
            for number, person in enumerate(listed, start=1)
        ],
    }


def _sitting(session: Session, plenary_document: Document) -> Context:
    """Everything the protocol says, every item with its votes; the extract picks one item out of it."""
    plenary = _plenary(session, plenary_document)
    council = session.get(Council, plenary.council_id)
    if council is None:
        raise NotFound(
            "papers.council_session_number_gone",
            N_("the council of session № {number} is gone"),
            number=plenary.number,
        )
    rows = agenda(session, plenary_document)
    votes = list(session.scalars(select(Vote).where(Vote.session_id == plenary.document_id).order_by(Vote.id)))
    shown = votes_context(session, votes)

    # a vote belongs to the item it is about: the item itself, its draft, or an amendment to its draft
    owner: dict[int, int] = {}
    for item, _document in rows:
        owner[item.document_id] = item.document_id
        if item.draft_id is not None:
            owner[item.draft_id] = item.document_id
    draft_ids = [item.draft_id for item, _ in rows if item.draft_id is not None]
    if draft_ids:
        for child_id, parent_id in session.execute(
            select(Document.id, Document.parent_id).where(Document.parent_id.in_(draft_ids))
        ):
            if parent_id is not None and child_id not in owner:
                owner[child_id] = owner[parent_id]
    by_item: dict[int, list[Context]] = defaultdict(list)
    procedural: list[Context] = []
    for vote in votes:
        item_id = owner.get(vote.subject_id) if vote.subject_id is not None else None
        (by_item[item_id] if item_id is not None else procedural).append(shown[vote.id])

    decisions = (
        {d.draft_id: d for d in session.scalars(select(Decision).where(Decision.draft_id.in_(draft_ids)))}
        if draft_ids
        else {}
    )
    reporters = _reporters(session, rows)
    # art. 59-1: who declared a conflict of interest on an item, and did not vote on it
    declared = declarations_at(session, plenary_document.id)
    items: list[Context] = []
    for number, (item, document) in enumerate(rows, start=1):
        decision = decisions.get(item.draft_id) if item.draft_id is not None else None
        items.append(
            {
                "id": document.id,
                "number": number,
                "title": document.title,
                "reporter": reporters[item.document_id],
                "state": document.state,
                "result": ITEM_RESULTS_UK.get(document.state, document.state),
                "votes": by_item[document.id],
                "decision_number": decision.official_number if decision is not None else "",
                "decision_date": date_uk(decision.adopted_on) if decision is not None else "",
                "conflicts": [{"name": row.name, "statement": row.statement} for row in declared.get(document.id, [])],
            }
        )
    return {
        "council": council_header(council),
        "session": _session_header(plenary),
        "attendance": _attendance(session, plenary, council),
        "procedural_votes": procedural,
        "items": items,
        "chair": _chair(session, plenary),
        "secretary": holder_name(session, "secretary", None, as_utc(plenary.starts_at)),
    }


def _chair(session: Session, plenary: PlenarySession) -> str:
    """Who chaired the sitting: a deputy given the chair of this session, else the mayor."""
    at = as_utc(plenary.starts_at)
    delegated = session.scalar(
        select(Person.full_name)
        .join(RoleGrant, RoleGrant.person_id == Person.id)
        .where(
            RoleGrant.role == "session_chair",
            RoleGrant.scope_id == plenary.document_id,
            or_(RoleGrant.starts_at.is_(None), RoleGrant.starts_at <= at),
        )
        .order_by(RoleGrant.id)
        .limit(1)
    )
    return delegated or holder_name(session, "mayor", None, at)


def protocol_context(session: Session, protocol: Document) -> Context:
    """The session's protocol: attendance and quorum, every item with its roll calls and decision, signatures.

    The protocol document is the child of the session document it records (`close_session` starts it).
    """
    expect(protocol, "session_protocol", "a session protocol")
    plenary = session.get(Document, protocol.parent_id) if protocol.parent_id is not None else None
    if plenary is None:
        raise NotFound("papers.protocol_id_belongs_no", N_("protocol {id} belongs to no session"), id=protocol.id)
    return _sitting(session, plenary)


def extract_context(session: Session, item_document: Document) -> Context:
    """An extract from the protocol for one agenda item: the sitting's header and quorum, and that item."""
    expect(item_document, "agenda_item", "an agenda item")
    detail = session.get(AgendaItem, item_document.id)
    plenary = session.get(Document, detail.session_id) if detail is not None else None
    if plenary is None:
        raise NotFound(
            "papers.agenda_item_id_belongs",
            N_("agenda item {id} belongs to no session"),
            id=item_document.id,
        )
    sitting = _sitting(session, plenary)
    (item,) = [item for item in sitting.pop("items") if item["id"] == item_document.id]
    del sitting["procedural_votes"]
    return {**sitting, "item": item}
