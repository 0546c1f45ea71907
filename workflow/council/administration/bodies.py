"""The council's committees and departments as an administrator keeps them: created, renamed (in Ukrainian and
English) and retired. A committee or department is never deleted: drafts, conclusions, meetings and visas name it.
A retired one is kept with its date, offered for no new work, and the grants of those who sat in it end; it is
refused while it still has work under way (a conclusion being written, a meeting not closed), and a department
is refused when it is the last of the legal or the finance ones, whose visas every draft needs. Who sits where is
granted on the people's pages; here it is read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from workflow.council.administration.admin import require_admin
from workflow.council.committees.queries import meetings_of, referred_drafts
from workflow.council.organisation.models import Committee, Council, Department
from workflow.council.organisation.queries import COMMITTEE_ROLES
from workflow.council.organisation.setup import DEPARTMENT_KINDS
from workflow.errors import InvalidInput, WrongState
from workflow.i18n import N_, message
from workflow.people import Actor, Person, RoleGrant

NAME_LIMIT = 300  # Committee.name, Department.name
#: the grants a department's people hold in it
DEPARTMENT_ROLES = ("reviewer",)
#: the departments whose visas every draft needs: the last of each kind is not retired
REQUIRED_KINDS = ("legal", "finance")
#: the meeting states after which a meeting has nothing left to do
MEETING_DONE = ("closed", "cancelled")


def _names(name: str, name_en: str) -> tuple[str, str]:
    name, name_en = " ".join(name.split()), " ".join(name_en.split())
    if not name:
        raise InvalidInput("administration.body_name_required", N_("give the name in Ukrainian"))
    if len(name) > NAME_LIMIT or len(name_en) > NAME_LIMIT:
        raise InvalidInput(
            "administration.body_name_long", N_("a name is at most {limit} characters"), limit=NAME_LIMIT
        )
    return name, name_en


def _taken(session: Session, model: type[Committee] | type[Department], name: str, but: int | None) -> None:
    """Refuse a name another serving one has, whatever its letters' case (compared here: SQLite's lower() knows
    only ASCII)."""
    serving = session.execute(select(model.id, model.name).where(model.retired_at.is_(None))).all()
    if any(other.casefold() == name.casefold() and ident != but for ident, other in serving):
        raise InvalidInput(
            "administration.body_name_taken", N_("«{name}» is the name of another one already"), name=name
        )


# --- committees ------------------------------------------------------------------------------------------------
def create_committee(session: Session, actor: Actor, council: Council, name: str, name_en: str = "") -> Committee:
    """A standing committee with no members yet (they are granted on the people's pages). The caller commits."""
    require_admin(actor)
    name, name_en = _names(name, name_en)
    _taken(session, Committee, name, None)
    committee = Committee(council_id=council.id, name=name, name_en=name_en)
    session.add(committee)
    session.flush()
    return committee


def rename_committee(session: Session, actor: Actor, committee: Committee, name: str, name_en: str) -> None:
    require_admin(actor)
    _not_retired(committee.retired_at)
    name, name_en = _names(name, name_en)
    _taken(session, Committee, name, committee.id)
    committee.name, committee.name_en = name, name_en
    session.flush()


def retire_committee(session: Session, actor: Actor, committee: Committee, *, now: datetime) -> int:
    """Retire a committee with no work under way, ending its people's grants; how many grants ended."""
    require_admin(actor)
    _not_retired(committee.retired_at)
    conclusions = len(referred_drafts(session, committee.id))
    meetings = sum(1 for _, meeting in meetings_of(session, committee.id) if meeting.state not in MEETING_DONE)
    if conclusions or meetings:
        raise WrongState(
            "administration.committee_busy",
            N_(
                "the committee still has work under way ({conclusions} conclusion(s) being prepared, {meetings} "
                "meeting(s) not closed): retire it once they are done"
            ),
            conclusions=conclusions,
            meetings=meetings,
        )
    committee.retired_at = now
    return _end_grants(session, COMMITTEE_ROLES, committee.id, now)


# --- departments -----------------------------------------------------------------------------------------------
def create_department(
    session: Session, actor: Actor, council: Council, name: str, name_en: str, kind: str
) -> Department:
    require_admin(actor)
    name, name_en = _names(name, name_en)
    if kind not in DEPARTMENT_KINDS:
        raise InvalidInput("administration.department_kind", N_("choose what the department reviews"))
    _taken(session, Department, name, None)
    department = Department(council_id=council.id, name=name, name_en=name_en, kind=kind)
    session.add(department)
    session.flush()
    return department


def rename_department(session: Session, actor: Actor, department: Department, name: str, name_en: str) -> None:
    require_admin(actor)
    _not_retired(department.retired_at)
    name, name_en = _names(name, name_en)
    _taken(session, Department, name, department.id)
    department.name, department.name_en = name, name_en
    session.flush()


def retire_department(session: Session, actor: Actor, department: Department, *, now: datetime) -> int:
    """Retire a department, ending its reviewers' grants; how many ended. The last legal or finance one stays."""
    require_admin(actor)
    _not_retired(department.retired_at)
    if department.kind in REQUIRED_KINDS:
        others = session.scalar(
            select(func.count())
            .select_from(Department)
            .where(Department.kind == department.kind, Department.retired_at.is_(None), Department.id != department.id)
        )
        if not others:
            raise WrongState(
                "administration.last_required_department",
                N_(
                    "every draft needs a visa of a department of this kind ({kind}), and this is the last one: "
                    "add another first"
                ),
                kind=message("administration.legal", N_("legal"))
                if department.kind == "legal"
                else message("administration.finance", N_("finance")),
            )
    department.retired_at = now
    return _end_grants(session, DEPARTMENT_ROLES, department.id, now)


def _not_retired(retired_at: datetime | None) -> None:
    if retired_at is not None:
        raise WrongState("administration.body_retired", N_("it was retired on {at}"), at=retired_at)


def _end_grants(session: Session, roles: tuple[str, ...], scope_id: int, now: datetime) -> int:
    grants = session.scalars(
        select(RoleGrant).where(
            RoleGrant.role.in_(roles),
            RoleGrant.scope_id == scope_id,
            or_(RoleGrant.ends_at.is_(None), RoleGrant.ends_at > now),
        )
    ).all()
    for grant in grants:
        grant.ends_at = now if grant.starts_at is None or grant.starts_at < now else grant.starts_at
    session.flush()
    return len(grants)


# --- who sits where -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seat:
    person_id: int
    name: str
    role: str


def people_in(session: Session, roles: tuple[str, ...], scope_id: int, now: datetime) -> list[Seat]:
    """Who holds one of `roles` for the committee or department now, in the order of `roles`, then by name."""
    rows = session.execute(
        select(Person.id, Person.full_name, RoleGrant.role)
        .join(RoleGrant, RoleGrant.person_id == Person.id)
        .where(
            RoleGrant.role.in_(roles),
            RoleGrant.scope_id == scope_id,
            RoleGrant.delegation_id.is_(None),
            or_(RoleGrant.starts_at.is_(None), RoleGrant.starts_at <= now),
            or_(RoleGrant.ends_at.is_(None), RoleGrant.ends_at > now),
        )
        .distinct()
    ).all()
    seats = [Seat(person_id, name, role) for person_id, name, role in rows]
    return sorted(seats, key=lambda seat: (roles.index(seat.role), seat.name, seat.person_id))


def committees(session: Session) -> list[Committee]:
    """Every committee, those serving first, by name."""
    return list(session.scalars(select(Committee).order_by(Committee.retired_at.is_not(None), Committee.name)))


def departments(session: Session) -> list[Department]:
    return list(session.scalars(select(Department).order_by(Department.retired_at.is_not(None), Department.name)))
