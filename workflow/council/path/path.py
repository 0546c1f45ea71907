"""A decision's whole path as the public reads it, from the draft's first text to its publication: who initiated
it, the visas that let it be published, the public discussion with its comments counted, the committees'
conclusions, the council's vote with every member's ballot, the mayor's signature or veto (and the override),
publication and entry into force.

Built from the draft's audit log in the order of its versions (never by timestamps), and only from what is
public: visas appear once the draft is published (the round that led to the publication, never a remark or a
visa still awaited), a conclusion's content once its chair signed it, and no comment said on any move. The
caller decides whether the reader may read the draft at all (`workflow.council.access.may_read`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.discussion.discussion import Period, Tally, period_of, tally
from workflow.council.organisation.models import Committee, Department
from workflow.council.sittings.models import AgendaItem, Ballot, Decision, PlenarySession, Vote
from workflow.engine.audit import CREATE
from workflow.engine.models import AuditEntry, Document
from workflow.people import Person
from workflow.timeutil import as_utc, utcnow

#: the moves of a draft that make a step of its public path, by trigger
_STEPS = {
    "publish_for_discussion": "discussion",
    "send_to_committees": "committees",
    "put_on_agenda": "agenda",
    "postpone": "postponed",
    "adopt": "adopted",
    "reject": "rejected",
    "sign": "signed",
    "veto_period_ends": "signed_by_law",
    "veto": "vetoed",
    "override_veto": "override",
    "revise_after_veto": "returned",
    "return_for_revision": "returned",
    "drop": "dropped",
    "publish": "published",
    "enter_into_force": "in_force",
}


@dataclass(frozen=True, slots=True)
class RollCall:
    """A roll-call vote as published: the question, the arithmetic, and every member's ballot by the name they
    voted under (person id, name, choice: for, against, abstain, not_voted, absent)."""

    id: int
    purpose: str
    question: str
    held_at: datetime
    result: str
    threshold: str
    total_composition: int
    required: int
    registered: int
    votes_for: int
    against: int
    abstained: int
    not_voted: int
    absent: int
    ballots: tuple[tuple[int, str, str], ...]

    @property
    def counts(self) -> tuple[tuple[str, int], ...]:
        """Each choice with how many members made it, in the protocol's order."""
        return (
            ("for", self.votes_for),
            ("against", self.against),
            ("abstain", self.abstained),
            ("not_voted", self.not_voted),
            ("absent", self.absent),
        )

    @property
    def members(self) -> int:
        return sum(count for _choice, count in self.counts)


def roll_call(session: Session, vote: Vote) -> RollCall:
    """The published form of a recorded vote (for any vote: a session's page shows them too)."""
    return roll_calls(session, [vote])[vote.id]


def roll_calls(session: Session, votes: Sequence[Vote]) -> dict[int, RollCall]:
    """Each vote's published form by its id, every member's ballot by the name they voted under in the Ukrainian
    alphabet's order: one query for all (a session's page shows every vote of the sitting)."""
    ballots: dict[int, list[tuple[int, str, str]]] = {vote.id: [] for vote in votes}
    if votes:
        for vote_id, person_id, full, name, choice in session.execute(
            select(Ballot.vote_id, Ballot.person_id, Person.full_name, Ballot.name, Ballot.choice)
            .join(Person, Person.id == Ballot.person_id)
            .where(Ballot.vote_id.in_(list(ballots)))
        ):
            ballots[vote_id].append((person_id, name or full, choice))
    return {
        vote.id: RollCall(
            id=vote.id,
            purpose=vote.purpose,
            question=vote.question,
            held_at=as_utc(vote.held_at),
            result=vote.result,
            threshold=vote.threshold,
            total_composition=vote.total_composition,
            required=vote.required,
            registered=vote.registered,
            votes_for=vote.votes_for,
            against=vote.votes_against,
            abstained=vote.abstained,
            not_voted=vote.not_voted,
            absent=vote.absent,
            ballots=tuple(sorted(ballots[vote.id], key=lambda b: (_alphabetical(b[1]), b[0]))),
        )
        for vote in votes
    }


#: the Ukrainian alphabet, by which a roll call lists the members (code points put І, Є, Ї before А)
_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"


def _alphabetical(name: str) -> tuple[int, ...]:
    return tuple(
        _ALPHABET.index(letter) if letter in _ALPHABET else len(_ALPHABET) + ord(letter) for letter in name.casefold()
    )


@dataclass(frozen=True, slots=True)
class Visa:
    department: str
    given_at: datetime


@dataclass(frozen=True, slots=True)
class Conclusion:
    committee_id: int
    committee: str
    lead: bool
    #: whether the committee's chair signed it; only then are the recommendation and the text public
    signed: bool
    signed_at: datetime | None = None
    #: "support", "support_with_amendments" or "reject"
    recommendation: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the path: `kind` says which (initiated, visas, discussion, committees, agenda, postponed,
    adopted, rejected, signed, signed_by_law, vetoed, override, returned, dropped, published, in_force), `version`
    the draft's audit version it comes from (the path's order), `at` when it happened; the rest belongs to some
    kinds only."""

    kind: str
    version: int
    at: datetime
    #: who did it, by name, where the public is told (the initiator, the mayor)
    by: str | None = None
    by_id: int | None = None
    visas: tuple[Visa, ...] = ()
    period: Period | None = None
    tally: Tally | None = None
    conclusions: tuple[Conclusion, ...] = ()
    session_number: int | None = None
    session_on: datetime | None = None
    vote: RollCall | None = None
    number: str | None = None
    adopted_on: date | None = None


@dataclass(frozen=True, slots=True)
class DecisionPath:
    draft_id: int
    title: str
    state: str
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def of(self, kind: str) -> list[Step]:
        return [step for step in self.steps if step.kind == kind]


def decision_path(session: Session, draft: Document, now: datetime | None = None) -> DecisionPath:
    """The draft's public path, step by step in the order of its audit log."""
    now = utcnow() if now is None else as_utc(now)
    entries = list(
        session.scalars(select(AuditEntry).where(AuditEntry.document_id == draft.id).order_by(AuditEntry.version))
    )
    names = _names(session, {e.actor_id for e in entries if e.actor_id is not None} | _author(draft))
    children = list(session.scalars(select(Document).where(Document.parent_id == draft.id).order_by(Document.id)))
    steps: list[Step] = []
    last_submit: int | None = None
    published = False
    for entry in entries:
        at = as_utc(entry.at)
        if entry.trigger == CREATE:
            author = draft.author_id
            steps.append(Step("initiated", entry.version, at, by=names.get(author) if author else None, by_id=author))
            continue
        if entry.trigger == "submit":
            last_submit = entry.version
            continue
        kind = _STEPS.get(entry.trigger)
        if kind is None or (kind == "returned" and not published):
            continue  # drafting, edits, records, and returns before the draft was ever public stay inside
        if kind == "discussion":
            published = True
            steps.append(Step("visas", entry.version, at, visas=_visas(session, children, last_submit)))
            steps.append(Step(kind, entry.version, at, period=period_of(at, now), tally=tally(session, draft.id)))
        elif kind == "committees":
            steps.append(Step(kind, entry.version, at, conclusions=_conclusions(session, children, entry.version)))
        elif kind == "agenda":
            plenary = _plenary(session, entry.data.get("session_id"))
            steps.append(
                Step(
                    kind,
                    entry.version,
                    at,
                    session_number=None if plenary is None else plenary.number,
                    session_on=None if plenary is None else as_utc(plenary.starts_at),
                )
            )
        elif kind in ("adopted", "rejected"):
            vote = _vote(session, entry.data.get("vote_id")) or _item_vote(session, draft.id)
            steps.append(Step(kind, entry.version, at, vote=None if vote is None else roll_call(session, vote)))
        elif kind == "override":
            vote = _override_vote(session, draft.id, entry.version)
            steps.append(Step(kind, entry.version, at, vote=None if vote is None else roll_call(session, vote)))
        elif kind in ("signed", "signed_by_law", "vetoed"):
            by = names.get(entry.actor_id) if entry.actor_id is not None and kind != "signed_by_law" else None
            steps.append(Step(kind, entry.version, at, by=by, by_id=entry.actor_id if by else None))
        else:
            steps.append(Step(kind, entry.version, at))
    return DecisionPath(draft.id, draft.title, draft.state, tuple(_numbered(session, draft, steps)))


def _numbered(session: Session, draft: Document, steps: Sequence[Step]) -> list[Step]:
    """The decision's official number and date, on the step whose move gave it (the number is recorded in the
    draft's chain right after the move that signs: the latest signing step before that record)."""
    decision = session.scalar(select(Decision).where(Decision.draft_id == draft.id))
    signing = [
        i
        for i, step in enumerate(steps)
        if step.kind in ("signed", "signed_by_law", "override")
        and (decision is None or decision.audit_version is None or step.version < decision.audit_version)
    ]
    if decision is None or not signing:
        return list(steps)
    out = list(steps)
    out[signing[-1]] = replace(out[signing[-1]], number=decision.official_number, adopted_on=decision.adopted_on)
    return out


def _author(draft: Document) -> set[int]:
    return set() if draft.author_id is None else {draft.author_id}


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Person.id, Person.full_name).where(Person.id.in_(ids))).all()
    return {int(row_id): str(name) for row_id, name in rows}


def _visas(session: Session, children: Sequence[Document], submitted: int | None) -> tuple[Visa, ...]:
    """The visas of the round that led to the publication: each department and when it gave its visa (a visa
    given then may have lost its force later, with a later text; it was given for the published one)."""
    if submitted is None:
        return ()
    visas = [
        c
        for c in children
        if c.kind == "visa" and c.parent_version == submitted and c.state in ("given", "invalidated")
    ]
    if not visas:
        return ()
    given = dict(
        session.execute(
            select(AuditEntry.document_id, AuditEntry.at).where(
                AuditEntry.document_id.in_([v.id for v in visas]), AuditEntry.trigger == "give"
            )
        ).all()
    )
    departments = _titles(session, Department, [v.fields.get("department_id") for v in visas])
    return tuple(
        Visa(departments.get(v.fields.get("department_id"), v.title), as_utc(given[v.id]))
        for v in visas
        if v.id in given
    )


def _conclusions(session: Session, children: Sequence[Document], sent: int) -> tuple[Conclusion, ...]:
    """The conclusions asked by this sending to committees, the lead committee's first."""
    asked = [
        c for c in children if c.kind == "committee_conclusion" and c.parent_version == sent and c.state != "cancelled"
    ]
    signed_at = (
        dict(
            session.execute(
                select(AuditEntry.document_id, AuditEntry.at).where(
                    AuditEntry.document_id.in_([c.id for c in asked]), AuditEntry.trigger == "sign"
                )
            ).all()
        )
        if asked
        else {}
    )
    committees = _titles(session, Committee, [c.fields.get("committee_id") for c in asked])
    out = []
    for c in asked:
        committee_id = c.fields.get("committee_id")
        signed = c.state == "signed"
        recommendation = c.fields.get("recommendation") if signed else None
        body = c.fields.get("body") if signed else None
        out.append(
            Conclusion(
                committee_id=committee_id if isinstance(committee_id, int) else 0,
                committee=committees.get(committee_id, c.title),
                lead=bool(c.fields.get("lead")),
                signed=signed,
                signed_at=as_utc(signed_at[c.id]) if signed and c.id in signed_at else None,
                recommendation=recommendation if isinstance(recommendation, str) else None,
                text=body if isinstance(body, str) else None,
            )
        )
    return tuple(sorted(out, key=lambda c: not c.lead))


def _titles(session: Session, model: type[Committee] | type[Department], ids: Sequence[object]) -> dict[object, str]:
    wanted = [i for i in ids if isinstance(i, int)]
    if not wanted:
        return {}
    rows = session.execute(select(model.id, model.name).where(model.id.in_(wanted))).all()
    return {int(row_id): str(name) for row_id, name in rows}


def _plenary(session: Session, session_id: object) -> PlenarySession | None:
    return session.get(PlenarySession, session_id) if isinstance(session_id, int) else None


def _vote(session: Session, vote_id: object) -> Vote | None:
    return session.get(Vote, vote_id) if isinstance(vote_id, int) else None


def _item_vote(session: Session, draft_id: int) -> Vote | None:
    """The council's latest vote on an agenda item considering the draft (for a move that did not name it)."""
    return session.scalar(
        select(Vote)
        .join(AgendaItem, AgendaItem.document_id == Vote.subject_id)
        .where(AgendaItem.draft_id == draft_id, Vote.purpose == "decision", Vote.committee_id.is_(None))
        .order_by(Vote.id.desc())
        .limit(1)
    )


def _override_vote(session: Session, draft_id: int, override_version: int) -> Vote | None:
    """The vote the override followed: the latest veto override voted about the draft before that move."""
    return session.scalar(
        select(Vote)
        .where(
            Vote.subject_id == draft_id,
            Vote.purpose == "veto_override",
            Vote.committee_id.is_(None),
            Vote.subject_version < override_version,
        )
        .order_by(Vote.subject_version.desc(), Vote.id.desc())
        .limit(1)
    )
