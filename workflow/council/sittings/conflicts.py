"""Conflicts of interest at a sitting (Law "On Local Self-Government", art. 59-1): a member declares a real or
potential conflict on a question before it is voted; the member then does not vote on it (a ballot "for",
"against" or "abstain" of theirs is refused, whichever way it comes in), and the protocol says so.

The declaration is the member's own, said at the sitting or from their cabinet; the secretary records one said
aloud in the hall."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import limits
from workflow.council.organisation.queries import council_members
from workflow.council.sittings.console_models import ConflictDeclaration
from workflow.council.sittings.console_records import record_conflict
from workflow.council.sittings.models import AgendaItem
from workflow.engine import lock_document
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotAllowed, WrongState
from workflow.i18n import N_
from workflow.people import Actor, Person
from workflow.timeutil import as_utc, utcnow

#: items still to be voted on: a conflict is declared before the vote
OPEN_ITEM_STATES = ("proposed", "included", "considering")


def declare_conflict(
    session: Session,
    plenary: Document,
    actor: Actor,
    subject: Document,
    member: Person,
    statement: str,
    *,
    now: datetime | None = None,
) -> ConflictDeclaration:
    """Record that `member` declared a conflict of interest on `subject` (an item of this sitting's agenda, or a
    vetoed decision whose override the council votes on), by the member or by the secretary for them."""
    now = utcnow() if now is None else as_utc(now)
    if not (actor.holds("secretary") or actor.id == member.id):
        raise NotAllowed(
            "conflicts.declared_by_member_or_secretary",
            N_("a conflict of interest is declared by the member, or recorded by the secretary"),
        )
    statement = statement.strip()
    if not statement:
        raise InvalidInput(
            "conflicts.statement_required",
            N_("say what the conflict of interest is: the protocol records it"),
        )
    if len(statement) > limits.COMMENT:
        raise InvalidInput(
            "conflicts.statement_too_long",
            N_("the statement has {length} characters; at most {limit} are kept"),
            length=len(statement),
            limit=limits.COMMENT,
        )
    lock_document(session, plenary)
    if plenary.kind != "session" or plenary.state != "in_progress":
        raise WrongState(
            "conflicts.sitting_not_in_progress",
            N_("a conflict of interest is declared at the sitting, while it is in progress"),
        )
    if member.id not in council_members(session, now):
        raise InvalidInput(
            "conflicts.not_a_member",
            N_("{full_name} is not a member of the council"),
            full_name=member.full_name,
        )
    _check_subject(session, plenary, subject)
    if conflicted(session, subject.id).get(member.id) is not None:
        raise InvalidInput(
            "conflicts.already_declared",
            N_("{full_name} has already declared a conflict of interest on «{title}»"),
            full_name=member.full_name,
            title=subject.title,
        )
    row = ConflictDeclaration(
        session_id=plenary.id,
        subject_id=subject.id,
        person_id=member.id,
        name=member.full_name,
        statement=statement,
        declared_at=now,
        recorded_by_id=actor.id,
    )
    record_conflict(session, row, plenary, actor, now)
    return row


def _check_subject(session: Session, plenary: Document, subject: Document) -> None:
    if subject.kind == "agenda_item":
        detail = session.get(AgendaItem, subject.id)
        if detail is None or detail.session_id != plenary.id:
            raise InvalidInput(
                "conflicts.not_on_agenda",
                N_("«{title}» is not on the agenda of this session"),
                title=subject.title,
            )
        if subject.state not in OPEN_ITEM_STATES:
            raise WrongState(
                "conflicts.item_decided",
                N_("«{title}» is no longer to be voted on: a conflict of interest is declared before the vote"),
                title=subject.title,
            )
        return
    if subject.kind == "decision_draft" and subject.state == "vetoed":
        return
    raise InvalidInput(
        "conflicts.not_a_question",
        N_("«{title}» is not a question of this sitting"),
        title=subject.title,
    )


def conflicted(session: Session, subject_id: int) -> dict[int, ConflictDeclaration]:
    """The members who declared a conflict of interest on the subject, with their declarations."""
    rows = session.scalars(select(ConflictDeclaration).where(ConflictDeclaration.subject_id == subject_id))
    return {row.person_id: row for row in rows}


def declarations_at(session: Session, plenary_id: int) -> dict[int, list[ConflictDeclaration]]:
    """Every declaration made at the sitting, by subject, in the order made."""
    found: dict[int, list[ConflictDeclaration]] = {}
    for row in session.scalars(
        select(ConflictDeclaration).where(ConflictDeclaration.session_id == plenary_id).order_by(ConflictDeclaration.id)
    ):
        found.setdefault(row.subject_id, []).append(row)
    return found
