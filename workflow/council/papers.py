"""What the council's Word documents say: the decision, the agenda, the protocol, the committee's conclusion and
an extract from the protocol, each read from the database into a plain dict (strings, numbers, lists of dicts).

The templates in templates_docx/ receive these dicts as they are; templates_docx/README.md lists their keys for
whoever edits the templates. Nothing here renders or stores a file: that is the tasks' job.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from workflow.council.guards import local_date
from workflow.council.law import KYIV
from workflow.council.models import (
    AgendaItem,
    Ballot,
    Committee,
    Council,
    Decision,
    PlenarySession,
    Vote,
)
from workflow.council.numbering import roman
from workflow.council.sessions import agenda
from workflow.council.votes import council_members, holders, latest_vote, presence, quorum_for, the_council
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotFound, WrongState
from workflow.people import Person, RoleGrant
from workflow.timeutil import as_utc

Context = dict[str, Any]

MONTHS = (
    "січня", "лютого", "березня", "квітня", "травня", "червня",
    "липня", "серпня", "вересня", "жовтня", "листопада", "грудня",
)
#: a ballot's choice as the protocol writes it
CHOICES_UK = {
    "for": "за", "against": "проти", "abstain": "утримався", "not_voted": "не голосував", "absent": "відсутній",
}
VOTE_RESULTS_UK = {"adopted": "прийнято", "rejected": "не прийнято"}
THRESHOLDS_UK = {
    "majority": "більшість від загального складу", "two_thirds": "дві третини від загального складу",
}
#: what became of an agenda item, by its state
ITEM_RESULTS_UK = {
    "proposed": "не розглядалося", "included": "не розглядалося", "considering": "розглядається",
    "adopted": "рішення прийнято", "rejected": "рішення не прийнято", "postponed": "розгляд перенесено",
    "removed": "знято з розгляду",
}
SESSION_KINDS_UK = {"regular": "чергова", "extraordinary": "позачергова"}
RECOMMENDATIONS_UK = {
    "support": "підтримати проєкт рішення",
    "support_with_amendments": "підтримати проєкт рішення з поправками",
    "reject": "відхилити проєкт рішення",
}
#: the Ukrainian alphabet, for lists of names in the order a Ukrainian reader expects (і, ї, є, ґ in place)
ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}


# --- words and numbers as the papers write them -----------------------------------------------------------------
def date_uk(value: date | datetime) -> str:
    """'19 березня 2026 року' (a moment is taken in Kyiv)."""
    day = local_date(value) if isinstance(value, datetime) else value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year} року"


def time_uk(moment: datetime) -> str:
    return as_utc(moment).astimezone(KYIV).strftime("%H:%M")


def name_key(name: str) -> tuple[tuple[int, int], ...]:
    """Sort key for names in Ukrainian alphabetical order, whatever the database's collation."""
    return tuple((_LETTER_RANK.get(ch, len(ALPHABET)), ord(ch)) for ch in name.lower())


def paragraphs(text: object) -> list[str]:
    """A text field split into its paragraphs (blank lines dropped)."""
    if not isinstance(text, str):
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def _council_header(council: Council) -> Context:
    return {"name": council.name, "convocation": council.convocation, "convocation_roman": roman(council.convocation)}


def _expect(document: Document, kind: str, what: str) -> None:
    if document.kind != kind:
        raise InvalidInput(f"document {document.id} is a {document.kind}, not {what}")


def _names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    return dict(session.execute(select(Person.id, Person.full_name).where(Person.id.in_(wanted))).all())


def _holder_name(session: Session, role: str, scope_id: int | None, at: datetime) -> str:
    """The name of who holds `role` at `at` in their own right (the first one, if several), or ''."""
    ids = holders(session, (role,), scope_id, at)
    return _names(session, ids[:1]).get(ids[0], "") if ids else ""


# --- votes ------------------------------------------------------------------------------------------------------
def _votes_context(session: Session, votes: Sequence[Vote]) -> dict[int, Context]:
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


# --- the decision -----------------------------------------------------------------------------------------------
def decision_context(session: Session, draft: Document) -> Context:
    """The signed decision: the council's header, its official number and date, title, text and the mayor."""
    _expect(draft, "decision_draft", "a draft decision")
    decision = session.scalar(select(Decision).where(Decision.draft_id == draft.id))
    if decision is None:
        raise WrongState(f"«{draft.title}» has no official number yet: a decision is rendered once it is signed")
    council = session.get(Council, decision.council_id)
    if council is None:
        raise NotFound(f"the council of decision {decision.official_number} is gone")
    return {
        "council": _council_header(council),
        "session_number": decision.session_number,
        "number": decision.official_number,
        "date": date_uk(decision.adopted_on),
        "title": draft.title,
        "body": paragraphs(draft.fields.get("body")),
        "mayor": _holder_name(session, "mayor", None, as_utc(decision.numbered_at)),
    }


# --- the agenda -------------------------------------------------------------------------------------------------
def _plenary(session: Session, document: Document) -> PlenarySession:
    _expect(document, "session", "a plenary session")
    plenary = session.get(PlenarySession, document.id)
    if plenary is None:
        raise NotFound(f"session document {document.id} has no session detail")
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
    drafts = {
        d.id: d for d in session.scalars(
            select(Document).where(Document.id.in_([item.draft_id for item, _ in rows if item.draft_id]))
        )
    } if rows else {}
    people = {item.reporter_id for item, _ in rows if item.reporter_id}
    people |= {d.author_id for d in drafts.values() if d.author_id}
    names = _names(session, people)
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
        "council": _council_header(the_council(session)),
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
    names = _names(session, members)
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
            {"number": number, "name": names.get(person, f"#{person}"),
             "presence": "присутній" if present.get(person) else "відсутній"}
            for number, person in enumerate(listed, start=1)
        ],
    }


def _sitting(session: Session, plenary_document: Document) -> Context:
    """Everything the protocol says, every item with its votes; the extract picks one item out of it."""
    plenary = _plenary(session, plenary_document)
    council = session.get(Council, plenary.council_id)
    if council is None:
        raise NotFound(f"the council of session № {plenary.number} is gone")
    rows = agenda(session, plenary_document)
    votes = list(session.scalars(select(Vote).where(Vote.session_id == plenary.document_id).order_by(Vote.id)))
    shown = _votes_context(session, votes)

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

    decisions = {
        d.draft_id: d for d in session.scalars(select(Decision).where(Decision.draft_id.in_(draft_ids)))
    } if draft_ids else {}
    reporters = _reporters(session, rows)
    items: list[Context] = []
    for number, (item, document) in enumerate(rows, start=1):
        decision = decisions.get(item.draft_id) if item.draft_id is not None else None
        items.append({
            "id": document.id,
            "number": number,
            "title": document.title,
            "reporter": reporters[item.document_id],
            "state": document.state,
            "result": ITEM_RESULTS_UK.get(document.state, document.state),
            "votes": by_item[document.id],
            "decision_number": decision.official_number if decision is not None else "",
            "decision_date": date_uk(decision.adopted_on) if decision is not None else "",
        })
    return {
        "council": _council_header(council),
        "session": _session_header(plenary),
        "attendance": _attendance(session, plenary, council),
        "procedural_votes": procedural,
        "items": items,
        "chair": _chair(session, plenary),
        "secretary": _holder_name(session, "secretary", None, as_utc(plenary.starts_at)),
    }


def _chair(session: Session, plenary: PlenarySession) -> str:
    """Who chaired the sitting: a deputy given the chair of this session, else the mayor."""
    at = as_utc(plenary.starts_at)
    delegated = session.scalar(
        select(Person.full_name).join(RoleGrant, RoleGrant.person_id == Person.id).where(
            RoleGrant.role == "session_chair", RoleGrant.scope_id == plenary.document_id,
            or_(RoleGrant.starts_at.is_(None), RoleGrant.starts_at <= at),
        ).order_by(RoleGrant.id).limit(1)
    )
    return delegated or _holder_name(session, "mayor", None, at)


def protocol_context(session: Session, protocol: Document) -> Context:
    """The session's protocol: attendance and quorum, every item with its roll calls and decision, signatures.

    The protocol document is the child of the session document it records (`close_session` starts it).
    """
    _expect(protocol, "session_protocol", "a session protocol")
    plenary = session.get(Document, protocol.parent_id) if protocol.parent_id is not None else None
    if plenary is None:
        raise NotFound(f"protocol {protocol.id} belongs to no session")
    return _sitting(session, plenary)


def extract_context(session: Session, item_document: Document) -> Context:
    """An extract from the protocol for one agenda item: the sitting's header and quorum, and that item."""
    _expect(item_document, "agenda_item", "an agenda item")
    detail = session.get(AgendaItem, item_document.id)
    plenary = session.get(Document, detail.session_id) if detail is not None else None
    if plenary is None:
        raise NotFound(f"agenda item {item_document.id} belongs to no session")
    sitting = _sitting(session, plenary)
    (item,) = [item for item in sitting.pop("items") if item["id"] == item_document.id]
    del sitting["procedural_votes"]
    return {**sitting, "item": item}


# --- the committee's conclusion ---------------------------------------------------------------------------------
def committee_conclusion_context(session: Session, conclusion: Document) -> Context:
    """The committee's conclusion on a draft: recommendation, text, the committee's vote and its chair."""
    _expect(conclusion, "committee_conclusion", "a committee's conclusion")
    committee_id = conclusion.fields.get("committee_id")
    committee = session.get(Committee, committee_id) if isinstance(committee_id, int) else None
    if committee is None:
        raise NotFound(f"the committee of conclusion {conclusion.id} is gone")
    council = session.get(Council, committee.council_id)
    draft = session.get(Document, conclusion.parent_id) if conclusion.parent_id is not None else None
    if council is None or draft is None:
        raise NotFound(f"conclusion {conclusion.id} has no council or no draft")
    vote = latest_vote(session, conclusion.id, "conclusion")
    at = as_utc(vote.held_at if vote is not None else conclusion.state_entered_at)
    recommendation = conclusion.fields.get("recommendation")
    return {
        "council": _council_header(council),
        "committee": {"name": committee.name},
        "date": date_uk(at),
        "draft": {"title": draft.title},
        "lead": bool(conclusion.fields.get("lead")),
        "recommendation": RECOMMENDATIONS_UK.get(str(recommendation), str(recommendation or "")),
        "body": paragraphs(conclusion.fields.get("body")),
        "vote": _votes_context(session, [vote])[vote.id] if vote is not None else None,
        "chair": _holder_name(session, "committee_chair", committee.id, at),
    }
