"""Roll-call votes: the quorum checked first, a ballot for every member, the result computed by rule.

The council adopts by a majority of its total composition (more than half of it, the mayor included), or by
two thirds of it where the decision needs that (overriding a veto); a committee by a majority of its own
members. Nobody types a result in: it follows from the ballots, and the rule used is stored with it.

A vote is recorded under the lock of its session (of its conclusion, for a committee), in that document's hash
chain (`workflow.council.sittings.records`). The council votes once on a question: a second vote on it is refused unless
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
from workflow.council.organisation.models import Council
from workflow.council.organisation.queries import committee_members, council_members, the_council
from workflow.council.sittings.conflicts import conflicted
from workflow.council.sittings.models import Attendance, Ballot, Vote
from workflow.council.sittings.records import record_vote
from workflow.engine import lock_document
from workflow.engine.models import AuditEntry, Document
from workflow.errors import GuardFailed, InvalidInput, NotAllowed, WrongState
from workflow.i18n import N_, Message, message
from workflow.people import Actor, Person
from workflow.timeutil import as_utc, utcnow

CHOICES = ("for", "against", "abstain", "not_voted", "absent")
THRESHOLDS = ("majority", "two_thirds")
#: `revote`: the procedural decision to vote again on the question last voted about the same subject
COUNCIL_PURPOSES = ("approve_agenda", "add_item", "decision", "veto_override", "amendment", "revote")


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
        return reason_message(
            adopted=self.adopted,
            votes_for=self.choices["for"],
            against=self.choices["against"],
            abstained=self.choices["abstain"],
            not_voted=self.choices["not_voted"],
            absent=self.choices["absent"],
            threshold=self.threshold,
            total=self.total,
            required=self.required,
        )


def reason_message(
    *,
    adopted: bool,
    votes_for: int,
    against: int,
    abstained: int,
    not_voted: int,
    absent: int,
    threshold: str,
    total: int,
    required: int,
) -> Message:
    """Why a vote came out as it did, with its arithmetic (stored with the vote in English, shown in any)."""
    return message(
        "votes.reason",
        N_(
            "{outcome}: {votes_for} for, {against} against, {abstained} abstained, {not_voted} did not vote, "
            "{absent} absent; {rule} of the total composition of {total} is {required} votes for"
        ),
        outcome=message("votes.adopted", N_("adopted")) if adopted else message("votes.not_adopted", N_("not adopted")),
        votes_for=votes_for,
        against=against,
        abstained=abstained,
        not_voted=not_voted,
        absent=absent,
        rule=message("votes.more_than_half", N_("more than half"))
        if threshold == "majority"
        else message("votes.two_thirds", N_("two thirds")),
        total=total,
        required=required,
    )


def vote_reason(vote: Vote) -> Message:
    """A recorded vote's reason, from its own counts."""
    return reason_message(
        adopted=vote.result == "adopted",
        votes_for=vote.votes_for,
        against=vote.votes_against,
        abstained=vote.abstained,
        not_voted=vote.not_voted,
        absent=vote.absent,
        threshold=vote.threshold,
        total=vote.total_composition,
        required=vote.required,
    )


def required_for(threshold: str, total: int) -> int:
    """Votes "for" needed: more than half of `total`, or at least two thirds of it."""
    if threshold == "majority":
        return total // 2 + 1
    if threshold == "two_thirds":
        return math.ceil(2 * total / 3)
    raise InvalidInput(
        "votes.unknown_threshold_threshold_majority",
        N_("unknown threshold '{threshold}': majority or two_thirds"),
        threshold=threshold,
    )


def quorum_for(total: int) -> int:
    """Members who must be registered for the council (or a committee) to decide: more than half."""
    return total // 2 + 1


def presence(session: Session, plenary_id: int) -> dict[int, bool]:
    """Each member's latest registration at the sitting: present, or left. Rows are appended, never changed;
    the latest is the one the session's log recorded last (rows from before the log recorded them come first)."""
    rows = session.execute(
        select(Attendance.person_id, Attendance.present)
        .where(Attendance.session_id == plenary_id)
        .order_by(func.coalesce(Attendance.audit_version, 0), Attendance.id)
    ).all()
    return {person_id: bool(present) for person_id, present in rows}


def registered_members(session: Session, plenary_id: int) -> set[int]:
    return {person for person, present in presence(session, plenary_id).items() if present}


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
            "votes.no_quorum_registered_total",
            N_("no quorum: {registered} of {total_composition} members are registered, at least {quorum} are needed"),
            registered=len(registered),
            total_composition=council.total_composition,
            quorum=quorum,
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
    quorum: tuple[Council, list[int], set[int]] | None = None,
) -> Vote:
    """Record a roll-call vote of the council at a sitting in progress, or refuse saying why.

    `ballots` maps council members to their choice; a registered member with no ballot did not vote, and a
    member not registered is absent. The quorum is checked before anything is recorded, unless the caller checked
    it already under the session's lock at the same `now` and passes what `check_quorum` returned as `quorum`.
    """
    now = utcnow() if now is None else as_utc(now)
    if not (actor.holds("secretary") or actor.holds("mayor") or actor.holds_for("session_chair", plenary.id)):
        raise NotAllowed(
            "votes.votes_recorded_secretary_chair",
            N_("votes are recorded by the secretary or the chair of the sitting"),
        )
    if plenary.kind != "session":
        raise InvalidInput("votes.document_id_not_plenary", N_("document {id} is not a plenary session"), id=plenary.id)
    if purpose not in COUNCIL_PURPOSES:
        raise InvalidInput(
            "votes.unknown_purpose_purpose_one",
            N_("unknown purpose '{purpose}': one of {value}"),
            purpose=purpose,
            value=", ".join(COUNCIL_PURPOSES),
        )
    required_for(threshold, 1)
    if purpose == "revote" and subject is None:
        raise InvalidInput(
            "votes.revote_names_subject",
            N_("a decision to vote again names the subject voted on"),
        )
    # the session's row lock orders its votes: what was voted before is read under it
    lock_document(session, plenary)
    if plenary.state != "in_progress":
        raise WrongState("votes.votes_held_only_while", N_("votes are held only while the sitting is in progress"))
    if subject is not None:
        _refuse_a_second_vote(session, plenary, subject, purpose)
    council, members, registered = check_quorum(session, plenary, now=now) if quorum is None else quorum
    if subject is not None:
        _refuse_conflicted_ballots(session, subject, ballots)
    choices = _complete_ballots(session, ballots, members, registered)
    count = Count(council.total_composition, threshold, len(registered), Counter(choices.values()))
    return _record(
        session,
        count,
        choices,
        actor=actor,
        now=now,
        purpose=purpose,
        question=question,
        ledger=plenary,
        plenary_id=plenary.id,
        committee_id=None,
        subject=subject,
    )


def _stay_began(session: Session, subject: Document) -> int:
    """The version of the subject's entry that brought it into its current state: a question is asked anew when
    its subject comes back to it (a decision vetoed a second time)."""
    return (
        session.scalar(
            select(func.max(AuditEntry.version)).where(
                AuditEntry.document_id == subject.id,
                or_(AuditEntry.from_state.is_(None), AuditEntry.from_state != AuditEntry.to_state),
            )
        )
        or 1
    )


def _votes_on(session: Session, subject: Document, purposes: Sequence[str] | None, exclude: str | None) -> list[Vote]:
    """The council's votes about the subject while it has been in its current state."""
    query = select(Vote).where(
        Vote.subject_id == subject.id,
        Vote.committee_id.is_(None),
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
                "votes.nothing_to_revote",
                N_("the council has not voted about «{title}» yet: there is nothing to vote on again"),
                reasons=(message("votes.nothing_to_revote_reason", N_("nothing to vote on again")),),
                title=subject.title,
            )
        return
    earlier = _votes_on(session, subject, (purpose,), exclude=None)
    if not earlier:
        return
    here = [v.audit_version or 0 for v in earlier if v.session_id == plenary.id]
    since = max(here, default=0)
    decided = [
        v
        for v in _votes_on(session, subject, ("revote",), exclude=None)
        if v.session_id == plenary.id and v.result == "adopted" and (v.audit_version or 0) > since
    ]
    if not decided:
        last = earlier[-1]
        raise GuardFailed(
            "votes.already_voted",
            N_(
                "the council has already voted on this question ({result}: {reason}); it votes on it again only "
                "after deciding to, by a procedural vote to vote again"
            ),
            reasons=(message("votes.already_voted_reason", N_("already voted on; no decision to vote again")),),
            result=message("votes.adopted", N_("adopted"))
            if last.result == "adopted"
            else message("votes.rejected", N_("rejected")),
            reason=vote_reason(last),
        )


def _refuse_conflicted_ballots(session: Session, subject: Document, ballots: Mapping[int, str]) -> None:
    """A member who declared a conflict of interest on the question does not vote on it (art. 59-1): their
    ballot is "did not vote" (or "absent"), never a choice."""
    declared = conflicted(session, subject.id)
    voting = sorted(p for p, c in ballots.items() if p in declared and c not in ("not_voted", "absent"))
    if voting:
        raise InvalidInput(
            "votes.conflicted_member_voted",
            N_("{names} declared a conflict of interest on this question and do not vote on it"),
            names=_names_of(session, voting),
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
        raise InvalidInput(
            "votes.document_id_not_committee",
            N_("document {id} is not a committee's conclusion"),
            id=conclusion.id,
        )
    if not (actor.holds_for("committee_chair", committee_id) or actor.holds_for("committee_secretary", committee_id)):
        raise NotAllowed(
            "votes.committee_s_vote_recorded",
            N_("a committee's vote is recorded by its chair or its secretary"),
        )
    lock_document(session, conclusion)
    if conclusion.state != "prepared":
        raise WrongState(
            "votes.committee_votes_conclusion_while",
            N_("the committee votes on a conclusion while it is being prepared"),
        )
    members = committee_members(session, committee_id, now)
    present = {person for person, choice in ballots.items() if choice != "absent"}
    choices = _complete_ballots(session, ballots, members, present)
    quorum = quorum_for(len(members))
    if len(present) < quorum:
        raise GuardFailed(
            "votes.no_quorum_committee_present",
            N_(
                "no quorum in the committee: {present} of its {members} members are present, at least {quorum} are "
                "needed"
            ),
            present=len(present),
            members=len(members),
            quorum=quorum,
        )
    count = Count(len(members), "majority", len(present), Counter(choices.values()))
    return _record(
        session,
        count,
        choices,
        actor=actor,
        now=now,
        purpose="conclusion",
        question=question,
        ledger=conclusion,
        plenary_id=None,
        committee_id=committee_id,
        subject=conclusion,
    )


def _complete_ballots(
    session: Session, ballots: Mapping[int, str], members: list[int], present: set[int]
) -> dict[int, str]:
    """Every member's choice: the given ones checked, the missing ones filled in as the rules say."""
    strangers = sorted(set(ballots) - set(members))
    if strangers:
        names = _names_of(session, strangers)
        raise InvalidInput("votes.not_members_with_vote", N_("not members with a vote here: {names}"), names=names)
    bad = sorted({c for c in ballots.values() if c not in CHOICES})
    if bad:
        raise InvalidInput(
            "votes.unknown_choices_bad_one",
            N_("unknown choices {bad}: one of {value}"),
            bad=str(bad),
            value=", ".join(CHOICES),
        )
    voted_away = sorted(p for p, c in ballots.items() if p not in present and c not in ("absent",))
    if voted_away:
        raise InvalidInput(
            "votes.members_who_not_registered",
            N_("members who are not registered cannot vote: {names}"),
            names=_names_of(session, voted_away),
        )
    return {m: ballots.get(m, "not_voted" if m in present else "absent") for m in members}


def _names_of(session: Session, ids: list[int]) -> str:
    """The persons' names, as the secretary knows them (an id nobody has is shown as #id)."""
    names = {
        row.id: row.full_name for row in session.execute(select(Person.id, Person.full_name).where(Person.id.in_(ids)))
    }
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
        session_id=plenary_id,
        committee_id=committee_id,
        subject_id=None if subject is None else subject.id,
        subject_version=None if subject is None else subject.version,
        purpose=purpose,
        question=question,
        threshold=count.threshold,
        total_composition=count.total,
        required=count.required,
        registered=count.registered,
        votes_for=count.choices["for"],
        votes_against=count.choices["against"],
        abstained=count.choices["abstain"],
        not_voted=count.choices["not_voted"],
        absent=count.choices["absent"],
        result="adopted" if count.adopted else "rejected",
        reason=count.reason(),
        held_at=now,
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
        select(Person, Ballot.choice)
        .join(Ballot, Ballot.person_id == Person.id)
        .where(Ballot.vote_id == vote.id)
        .order_by(func.coalesce(Ballot.name, Person.full_name))
    ).all()
    return [(person, choice) for person, choice in rows]
