"""Roll-call votes: the quorum checked first, a ballot for every member, the result computed by rule.

The council adopts by a majority of its total composition (more than half of it, the mayor included), or by
two thirds of it where the decision needs that (overriding a veto); a committee by a majority of its own
members. Nobody types a result in: it follows from the ballots, and the rule used is stored with it.

A vote is recorded under the lock of its session (of its conclusion, for a committee), in that document's hash
chain (`workflow.council.records`). The council votes once on a question: a second vote on it is refused unless
the council decided, by a procedural vote (`revote`) at the sitting after the last vote on it, to vote again;
every vote stays on record.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from workflow.calendar import add_working_days
from workflow.council.law import LAW
from workflow.council.models import Attendance, Ballot, Council, Vote
from workflow.council.records import record_vote
from workflow.engine import lock_document
from workflow.engine.models import AuditEntry, Document
from workflow.errors import GuardFailed, InvalidInput, NotAllowed, NotFound, WrongState
from workflow.people import Actor, Person, RoleGrant
from workflow.timeutil import as_utc, utcnow

CHOICES = ("for", "against", "abstain", "not_voted", "absent")
THRESHOLDS = ("majority", "two_thirds")
#: `revote`: the procedural decision to vote again on the question last voted about the same subject
COUNCIL_PURPOSES = ("approve_agenda", "add_item", "decision", "veto_override", "amendment", "revote")
#: the roles that make a person a member of the council, with a vote
MEMBER_ROLES = ("deputy", "mayor")
COMMITTEE_ROLES = ("committee_chair", "committee_secretary", "committee_member")


@dataclass(frozen=True, slots=True)
class Count:
    """The arithmetic of one vote."""

    total: int
    threshold: str
    registered: int
    choices: Counter[str]

    @property
    def required(self) -> int:
        return required_for(self.threshold, self.total)

    @property
    def adopted(self) -> bool:
        return self.choices["for"] >= self.required

    def reason(self) -> str:
        rule = {"majority": "more than half", "two_thirds": "two thirds"}[self.threshold]
        outcome = "adopted" if self.adopted else "not adopted"
        return (
            f"{outcome}: {self.choices['for']} for, {self.choices['against']} against, "
            f"{self.choices['abstain']} abstained, {self.choices['not_voted']} did not vote, "
            f"{self.choices['absent']} absent; {rule} of the total composition of {self.total} "
            f"is {self.required} votes for"
        )


def required_for(threshold: str, total: int) -> int:
    """Votes "for" needed: more than half of `total`, or at least two thirds of it."""
    if threshold == "majority":
        return total // 2 + 1
    if threshold == "two_thirds":
        return math.ceil(2 * total / 3)
    raise InvalidInput(f"unknown threshold {threshold!r}: majority or two_thirds")


def quorum_for(total: int) -> int:
    """Members who must be registered for the council (or a committee) to decide: more than half."""
    return total // 2 + 1


def council_members(session: Session, at: datetime) -> list[int]:
    """Ids of the persons holding a deputy's or the mayor's mandate at `at`."""
    return holders(session, MEMBER_ROLES, None, at)


def committee_members(session: Session, committee_id: int, at: datetime) -> list[int]:
    return holders(session, COMMITTEE_ROLES, committee_id, at)


def holders(session: Session, roles: tuple[str, ...], scope_id: int | None, at: datetime) -> list[int]:
    """Ids of the persons holding one of `roles` (for `scope_id`) as their own mandate at `at`."""
    query = (
        select(RoleGrant.person_id)
        .where(
            RoleGrant.role.in_(roles),
            RoleGrant.delegation_id.is_(None),  # a delegated authority is not a mandate: it does not vote
            or_(RoleGrant.starts_at.is_(None), RoleGrant.starts_at <= at),
            or_(RoleGrant.ends_at.is_(None), RoleGrant.ends_at > at),
        )
        .distinct()
        .order_by(RoleGrant.person_id)
    )
    if scope_id is not None:
        query = query.where(RoleGrant.scope_id == scope_id)
    return list(session.scalars(query))


def presence(session: Session, plenary_id: int) -> dict[int, bool]:
    """Each member's latest registration at the sitting: present, or left. Rows are appended, never changed;
    the latest is the one the session's log recorded last (rows from before the log recorded them come first)."""
    rows = session.execute(
        select(Attendance.person_id, Attendance.present).where(Attendance.session_id == plenary_id)
        .order_by(func.coalesce(Attendance.audit_version, 0), Attendance.id)
    ).all()
    return {person_id: bool(present) for person_id, present in rows}


def registered_members(session: Session, plenary_id: int) -> set[int]:
    return {person for person, present in presence(session, plenary_id).items() if present}


def the_council(session: Session) -> Council:
    council = session.scalar(select(Council).order_by(Council.id).limit(1))
    if council is None:
        raise NotFound("no council is set up yet")
    return council


def check_quorum(
    session: Session, plenary: Document, *, now: datetime | None = None
) -> tuple[Council, list[int], set[int]]:
    """Refuse unless more than half of the total composition is registered at the sitting.

    Returns the council, its members and those registered, for the vote that follows.
    """
    now = utcnow() if now is None else as_utc(now)
    council = the_council(session)
    members = council_members(session, now)
    registered = registered_members(session, plenary.id) & set(members)
    quorum = quorum_for(council.total_composition)
    if len(registered) < quorum:
        raise GuardFailed(
            f"no quorum: {len(registered)} of {council.total_composition} members are registered, "
            f"at least {quorum} are needed",
            reasons=(f"{len(registered)} registered, {quorum} needed",),
        )
    return council, members, registered


def hold_vote(
    session: Session,
    plenary: Document,
    actor: Actor,
    *,
    purpose: str,
    question: str,
    ballots: Mapping[int, str],
    subject: Document | None = None,
    threshold: str = "majority",
    now: datetime | None = None,
) -> Vote:
    """Record a roll-call vote of the council at a sitting in progress, or refuse saying why.

    `ballots` maps council members to their choice; a registered member with no ballot did not vote, and a
    member not registered is absent. The quorum is checked before anything is recorded.
    """
    now = utcnow() if now is None else as_utc(now)
    if not (actor.holds("secretary") or actor.holds("mayor") or actor.holds_for("session_chair", plenary.id)):
        raise NotAllowed("votes are recorded by the secretary or the chair of the sitting")
    if plenary.kind != "session":
        raise InvalidInput(f"document {plenary.id} is not a plenary session")
    if purpose not in COUNCIL_PURPOSES:
        raise InvalidInput(f"unknown purpose {purpose!r}: one of {', '.join(COUNCIL_PURPOSES)}")
    required_for(threshold, 1)
    if purpose == "revote" and subject is None:
        raise InvalidInput("a decision to vote again names the subject voted on")
    # the session's row lock orders its votes: what was voted before is read under it
    lock_document(session, plenary)
    if plenary.state != "in_progress":
        raise WrongState("votes are held only while the sitting is in progress")
    if subject is not None:
        _refuse_a_second_vote(session, plenary, subject, purpose)
    council, members, registered = check_quorum(session, plenary, now=now)
    choices = _complete_ballots(session, ballots, members, registered)
    count = Count(council.total_composition, threshold, len(registered), Counter(choices.values()))
    return _record(
        session, count, choices, actor=actor, now=now, purpose=purpose, question=question, ledger=plenary,
        plenary_id=plenary.id, committee_id=None, subject=subject,
    )


def _stay_began(session: Session, subject: Document) -> int:
    """The version of the subject's entry that brought it into its current state: a question is asked anew when
    its subject comes back to it (a decision vetoed a second time)."""
    return session.scalar(
        select(func.max(AuditEntry.version)).where(
            AuditEntry.document_id == subject.id,
            or_(AuditEntry.from_state.is_(None), AuditEntry.from_state != AuditEntry.to_state),
        )
    ) or 1


def _votes_on(session: Session, subject: Document, purposes: Sequence[str] | None, exclude: str | None) -> list[Vote]:
    """The council's votes about the subject while it has been in its current state."""
    query = select(Vote).where(
        Vote.subject_id == subject.id, Vote.committee_id.is_(None),
        func.coalesce(Vote.subject_version, 0) >= _stay_began(session, subject),
    )
    if purposes is not None:
        query = query.where(Vote.purpose.in_(list(purposes)))
    if exclude is not None:
        query = query.where(Vote.purpose != exclude)
    return list(session.scalars(query.order_by(Vote.id)))


def _refuse_a_second_vote(session: Session, plenary: Document, subject: Document, purpose: str) -> None:
    """A question is voted once; again only after an adopted `revote` at this sitting since its last vote here."""
    if purpose == "revote":
        if not _votes_on(session, subject, None, exclude="revote"):
            raise GuardFailed(
                f"the council has not voted about «{subject.title}» yet: there is nothing to vote on again",
                reasons=("nothing to vote on again",),
            )
        return
    earlier = _votes_on(session, subject, (purpose,), exclude=None)
    if not earlier:
        return
    here = [v.audit_version or 0 for v in earlier if v.session_id == plenary.id]
    since = max(here, default=0)
    decided = [
        v for v in _votes_on(session, subject, ("revote",), exclude=None)
        if v.session_id == plenary.id and v.result == "adopted" and (v.audit_version or 0) > since
    ]
    if not decided:
        last = earlier[-1]
        raise GuardFailed(
            f"the council has already voted on this question ({last.result}: {last.reason}); it votes on it again "
            "only after deciding to, by a procedural vote to vote again",
            reasons=("already voted on; no decision to vote again",),
        )


def hold_committee_vote(
    session: Session,
    conclusion: Document,
    actor: Actor,
    *,
    ballots: Mapping[int, str],
    question: str,
    now: datetime | None = None,
) -> Vote:
    """Record a committee's vote on its conclusion, with the committee's own quorum and majority.

    `ballots` maps the committee's members to their choice; a member with no ballot was absent.
    """
    now = utcnow() if now is None else as_utc(now)
    committee_id = conclusion.fields.get("committee_id")
    if conclusion.kind != "committee_conclusion" or not isinstance(committee_id, int):
        raise InvalidInput(f"document {conclusion.id} is not a committee's conclusion")
    if not (actor.holds_for("committee_chair", committee_id) or actor.holds_for("committee_secretary", committee_id)):
        raise NotAllowed("a committee's vote is recorded by its chair or its secretary")
    lock_document(session, conclusion)
    if conclusion.state != "prepared":
        raise WrongState("the committee votes on a conclusion while it is being prepared")
    members = committee_members(session, committee_id, now)
    present = {person for person, choice in ballots.items() if choice != "absent"}
    choices = _complete_ballots(session, ballots, members, present)
    quorum = quorum_for(len(members))
    if len(present) < quorum:
        raise GuardFailed(
            f"no quorum in the committee: {len(present)} of its {len(members)} members are present, "
            f"at least {quorum} are needed"
        )
    count = Count(len(members), "majority", len(present), Counter(choices.values()))
    return _record(
        session, count, choices, actor=actor, now=now, purpose="conclusion", question=question, ledger=conclusion,
        plenary_id=None, committee_id=committee_id, subject=conclusion,
    )


def _complete_ballots(
    session: Session, ballots: Mapping[int, str], members: list[int], present: set[int]
) -> dict[int, str]:
    """Every member's choice: the given ones checked, the missing ones filled in as the rules say."""
    strangers = sorted(set(ballots) - set(members))
    if strangers:
        names = _names_of(session, strangers)
        raise InvalidInput(f"not members with a vote here: {names}")
    bad = sorted({c for c in ballots.values() if c not in CHOICES})
    if bad:
        raise InvalidInput(f"unknown choices {bad}: one of {', '.join(CHOICES)}")
    voted_away = sorted(p for p, c in ballots.items() if p not in present and c not in ("absent",))
    if voted_away:
        raise InvalidInput(f"members who are not registered cannot vote: {_names_of(session, voted_away)}")
    return {m: ballots.get(m, "not_voted" if m in present else "absent") for m in members}


def _names_of(session: Session, ids: list[int]) -> str:
    """The persons' names, as the secretary knows them (an id nobody has is shown as #id)."""
    names = {row.id: row.full_name for row in session.execute(
        select(Person.id, Person.full_name).where(Person.id.in_(ids))
    )}
    return ", ".join(names.get(i, f"#{i}") for i in ids)


def _record(
    session: Session,
    count: Count,
    choices: Mapping[int, str],
    *,
    actor: Actor,
    now: datetime,
    purpose: str,
    question: str,
    ledger: Document,
    plenary_id: int | None,
    committee_id: int | None,
    subject: Document | None,
) -> Vote:
    vote = Vote(
        session_id=plenary_id, committee_id=committee_id, subject_id=None if subject is None else subject.id,
        subject_version=None if subject is None else subject.version, purpose=purpose,
        question=question, threshold=count.threshold, total_composition=count.total, required=count.required,
        registered=count.registered, votes_for=count.choices["for"], votes_against=count.choices["against"],
        abstained=count.choices["abstain"], not_voted=count.choices["not_voted"], absent=count.choices["absent"],
        result="adopted" if count.adopted else "rejected", reason=count.reason(), held_at=now,
        publish_by=add_working_days(now, LAW.publication_of_results_working_days),
        recorded_by_id=actor.id,
    )
    names = dict(session.execute(select(Person.id, Person.full_name).where(Person.id.in_(list(choices)))).all())
    return record_vote(session, vote, {p: (names[p], c) for p, c in choices.items()}, ledger, actor, now)


def latest_vote(session: Session, subject_id: int, purpose: str) -> Vote | None:
    """The most recent vote of `purpose` about a document (a vote again, after the council decided to, supersedes
    the earlier one). Votes on one subject are recorded one after another under their session's lock."""
    return session.scalar(
        select(Vote).where(Vote.subject_id == subject_id, Vote.purpose == purpose).order_by(Vote.id.desc()).limit(1)
    )


def ballots_of(session: Session, vote: Vote) -> list[tuple[Person, str]]:
    """The roll call: each member and their choice, by the name they voted under."""
    rows = session.execute(
        select(Person, Ballot.choice).join(Ballot, Ballot.person_id == Person.id)
        .where(Ballot.vote_id == vote.id).order_by(func.coalesce(Ballot.name, Person.full_name))
    ).all()
    return [(person, choice) for person, choice in rows]
