"""Who the council's deputies are now, the committees each sits on, and how often each registered at the
sittings held during their mandate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from workflow.council.organisation.models import Committee
from workflow.council.organisation.queries import COMMITTEE_ROLES, holders
from workflow.council.sittings.models import Attendance, PlenarySession
from workflow.engine.models import Document
from workflow.errors import NotFound
from workflow.i18n import N_
from workflow.people import Person, RoleGrant
from workflow.timeutil import as_utc, utcnow

DEPUTY_ROLE = "deputy"
#: the states of a session whose sitting took place (or is taking place): attendance counts from them
SAT_STATES = ("in_progress", "closed")


@dataclass(frozen=True, slots=True)
class Seat:
    """A deputy's place on a standing committee."""

    committee_id: int
    name: str
    name_en: str
    #: committee_chair, committee_secretary or committee_member
    role: str


@dataclass(frozen=True, slots=True)
class Deputy:
    id: int
    full_name: str
    seats: tuple[Seat, ...]


@dataclass(frozen=True, slots=True)
class AttendanceRate:
    """Registrations over the sittings held while the deputy held the mandate."""

    sittings: int
    registered: int

    @property
    def rate(self) -> float | None:
        """0.0 .. 1.0; None when no sitting was held yet."""
        return None if self.sittings == 0 else self.registered / self.sittings


def list_deputies(session: Session, *, now: datetime | None = None) -> list[Deputy]:
    """The council's deputies now, by name, each with their committees (two queries)."""
    now = utcnow() if now is None else as_utc(now)
    ids = holders(session, (DEPUTY_ROLE,), None, now)
    if not ids:
        return []
    people = session.execute(select(Person.id, Person.full_name).where(Person.id.in_(ids))).all()
    seats = _seats(session, ids, now)
    return sorted(
        (Deputy(pid, name, tuple(seats.get(pid, ()))) for pid, name in people),
        key=lambda d: (d.full_name.casefold(), d.id),
    )


def deputy_ids(session: Session, *, now: datetime | None = None) -> frozenset[int]:
    """The persons who are deputies of the council now, each of whom has a page (one query): a roll call or an
    attendance sheet names the mayor and former deputies too, who have none."""
    now = utcnow() if now is None else as_utc(now)
    return frozenset(holders(session, (DEPUTY_ROLE,), None, now))


def get_deputy(session: Session, person_id: int, *, now: datetime | None = None) -> Deputy:
    """A deputy of the council now, with their committees; anyone else (the mayor, staff, a citizen, a former
    deputy) is not found, as a page about them does not exist."""
    now = utcnow() if now is None else as_utc(now)
    person = session.get(Person, person_id)
    held = select(RoleGrant.id).where(*_holding(person_id, now, (DEPUTY_ROLE,))).limit(1)
    if person is None or session.scalar(held) is None:
        raise NotFound("deputies.no_deputy", N_("there is no deputy {id}"), id=person_id)
    return Deputy(person.id, person.full_name, tuple(_seats(session, [person.id], now).get(person.id, ())))


def mandate_began(session: Session, person_id: int, now: datetime) -> datetime | None:
    """When the deputy's current mandate began (None: from the beginning of the records)."""
    starts = session.scalars(select(RoleGrant.starts_at).where(*_holding(person_id, now, (DEPUTY_ROLE,)))).all()
    if not starts or any(start is None for start in starts):
        return None
    return min(as_utc(start) for start in starts if start is not None)


def attendance(session: Session, person_id: int, *, now: datetime | None = None) -> AttendanceRate:
    """How many sittings were held during the mandate, and at how many of them the deputy registered (one
    query)."""
    now = utcnow() if now is None else as_utc(now)
    began = mandate_began(session, person_id, now)
    registered = (
        select(Attendance.id)
        .where(Attendance.session_id == PlenarySession.document_id, Attendance.person_id == person_id)
        .where(Attendance.present.is_(True))
        .exists()
    )
    query = (
        select(func.count(), func.count().filter(registered))
        .select_from(PlenarySession)
        .join(Document, Document.id == PlenarySession.document_id)
        .where(Document.state.in_(SAT_STATES), PlenarySession.starts_at <= now)
    )
    if began is not None:
        query = query.where(PlenarySession.starts_at >= began)
    sittings, present = session.execute(query).one()
    return AttendanceRate(int(sittings), int(present))


def _holding(person_id: int, now: datetime, roles: tuple[str, ...]) -> tuple[ColumnElement[bool], ...]:
    """A person's own grants of `roles` valid at `now` (never a delegated authority)."""
    return (
        RoleGrant.person_id == person_id,
        RoleGrant.role.in_(roles),
        RoleGrant.delegation_id.is_(None),
        or_(RoleGrant.starts_at.is_(None), RoleGrant.starts_at <= now),
        or_(RoleGrant.ends_at.is_(None), RoleGrant.ends_at > now),
    )


def _seats(session: Session, person_ids: list[int], now: datetime) -> dict[int, list[Seat]]:
    rows = session.execute(
        select(RoleGrant.person_id, RoleGrant.role, Committee.id, Committee.name, Committee.name_en)
        .join(Committee, Committee.id == RoleGrant.scope_id)
        .where(
            RoleGrant.person_id.in_(person_ids),
            RoleGrant.role.in_(COMMITTEE_ROLES),
            RoleGrant.delegation_id.is_(None),
            or_(RoleGrant.starts_at.is_(None), RoleGrant.starts_at <= now),
            or_(RoleGrant.ends_at.is_(None), RoleGrant.ends_at > now),
        )
        .order_by(Committee.name, Committee.id)
    ).all()
    seats: dict[int, list[Seat]] = {}
    for person_id, role, committee_id, name, name_en in rows:
        seats.setdefault(person_id, []).append(Seat(committee_id, name, name_en or name, role))
    return seats
