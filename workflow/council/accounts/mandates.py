"""Mandates and roles with their dates, as the administrator grants and ends them: deputies and the mayor,
committee chairs, secretaries and members (each for one committee), department reviewers (for one department),
the council's secretary, staff and administrators.

A grant is checked before anything is written: the role is one the catalog knows and a person may be given, its
scope (a committee, a department) exists and is the kind the role is held for, it ends after it starts, the person
does not hold the same role for the same scope in an overlapping period, and a role one person holds at a time
(the mayor, the council's secretary, a committee's chair) is not held by someone else meanwhile. Ending a grant
records when, why and by whom; nothing is deleted, so who held what when stays as it was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from workflow.council.accounts.accounts import check_admin
from workflow.council.accounts.history import record
from workflow.council.catalog import CATALOG
from workflow.council.organisation.models import Committee, Council, Department
from workflow.errors import InvalidInput, NotFound
from workflow.i18n import N_, Term, message
from workflow.people import Actor, Person, RoleGrant
from workflow.timeutil import as_utc

COMMITTEE, DEPARTMENT = "committee", "department"
#: the roles an administrator grants, with what each is held for (None: council-wide), in the order offered
GRANTABLE: dict[str, str | None] = {
    "deputy": None,
    "mayor": None,
    "secretary": None,
    "committee_chair": COMMITTEE,
    "committee_secretary": COMMITTEE,
    "committee_member": COMMITTEE,
    "reviewer": DEPARTMENT,
    "staff": None,
    "admin": None,
}
#: roles one person holds at a time (for a committee: one chair of each)
ONE_HOLDER = frozenset({"mayor", "secretary", "committee_chair"})
#: the longest reason kept
MAX_REASON_LENGTH = 2000


def role_term(role: str) -> Term:
    """A role as a reader is told it: its title in their language."""
    return Term(role, CATALOG.role_titles.get(role))


def _check_role(role: str) -> str | None:
    spec = CATALOG.roles.get(role)
    if role not in GRANTABLE or spec is None or spec.resolver is not None:
        raise InvalidInput(
            "mandates.no_such_role",
            N_("«{role}» is not a role an administrator grants; the roles are: {roles}"),
            role=role,
            roles=[role_term(name) for name in GRANTABLE],
        )
    return GRANTABLE[role]


def _check_scope(session: Session, role: str, kind: str | None, scope_id: int | None, given: str | None) -> None:
    term = role_term(role)
    if scope_id is not None and (kind is None or (given is not None and given != kind)):
        if kind is None:
            raise InvalidInput(
                "mandates.scope_does_not_fit", N_("«{role}» is held council-wide, not for one body"), role=term
            )
        if kind == COMMITTEE:
            raise InvalidInput(
                "mandates.scope_does_not_fit", N_("«{role}» is held for a committee, not a department"), role=term
            )
        raise InvalidInput(
            "mandates.scope_does_not_fit", N_("«{role}» is held for a department, not a committee"), role=term
        )
    if kind is None:
        return
    if scope_id is None:
        if kind == COMMITTEE:
            raise InvalidInput("mandates.scope_needed", N_("«{role}» is held for a committee: choose which"), role=term)
        raise InvalidInput("mandates.scope_needed", N_("«{role}» is held for a department: choose which"), role=term)
    body: Committee | Department | None = (
        session.get(Committee, scope_id) if kind == COMMITTEE else session.get(Department, scope_id)
    )
    if body is None and kind == COMMITTEE:
        raise InvalidInput("mandates.no_such_scope", N_("there is no committee {id}"), id=scope_id)
    if body is None:
        raise InvalidInput("mandates.no_such_scope", N_("there is no department {id}"), id=scope_id)
    if body.retired_at is not None:
        raise InvalidInput(
            "mandates.retired_scope", N_("«{name}» was retired: no one is granted a role in it"), name=body.name
        )


def _overlapping(
    session: Session, role: str, scope_id: int | None, starts_at: datetime, ends_at: datetime | None
) -> list[RoleGrant]:
    """Grants of `role` (for `scope_id`) held in their own right whose period meets [starts_at, ends_at)."""
    query = select(RoleGrant).where(
        RoleGrant.role == role,
        RoleGrant.delegation_id.is_(None),
        RoleGrant.scope_id.is_(None) if scope_id is None else RoleGrant.scope_id == scope_id,
        or_(RoleGrant.ends_at.is_(None), RoleGrant.ends_at > starts_at),
    )
    if ends_at is not None:
        query = query.where(or_(RoleGrant.starts_at.is_(None), RoleGrant.starts_at < ends_at))
    # a grant ended before it began (ends_at == starts_at) never held
    return [g for g in session.scalars(query.order_by(RoleGrant.id)) if g.ends_at is None or g.starts_at != g.ends_at]


def grant_role(
    session: Session,
    actor: Actor,
    person: Person,
    role: str,
    *,
    scope_id: int | None = None,
    scope_kind: str | None = None,
    starts_at: datetime,
    ends_at: datetime | None = None,
    reason: str = "",
    now: datetime,
) -> RoleGrant:
    """Give `person` the role from `starts_at` (now or later: the past stays as it was) until `ends_at` (or until
    it is ended), after every check. `scope_kind` ("committee", "department"): what `scope_id` names, when the
    caller knows it."""
    check_admin(actor)
    kind = _check_role(role)
    _check_scope(session, role, kind, scope_id, scope_kind)
    starts_at = as_utc(starts_at)
    if starts_at < as_utc(now):
        raise InvalidInput("mandates.no_start_in_past", N_("a role starts now or later: what was held stays as it was"))
    ends_at = None if ends_at is None else as_utc(ends_at)
    if ends_at is not None and ends_at <= starts_at:
        raise InvalidInput(
            "mandates.ends_before_start",
            N_("a role ends after it starts ({starts} — {ends})"),
            starts=starts_at,
            ends=ends_at,
        )
    reason = reason.strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(
            "mandates.reason_too_long", N_("a reason is at most {max} characters"), max=MAX_REASON_LENGTH
        )
    if person.deactivated_at is not None:
        raise InvalidInput(
            "people.account_deactivated", N_("{full_name}'s account is deactivated"), full_name=person.full_name
        )
    _lock_holders(session, person, role, scope_id)
    held = _overlapping(session, role, scope_id, starts_at, ends_at)
    mine = [g for g in held if g.person_id == person.id]
    if mine:
        raise InvalidInput(
            "mandates.held_already",
            N_("{full_name} holds «{role}» already in that period (since {since})"),
            full_name=person.full_name,
            role=role_term(role),
            since=_since(mine[0]),
        )
    others = [g for g in held if g.person_id != person.id]
    if role in ONE_HOLDER and others:
        holder = session.get(Person, others[0].person_id)
        raise InvalidInput(
            "mandates.one_holder",
            N_("«{role}» is held by one person at a time, and {holder} holds it in that period: end theirs first"),
            role=role_term(role),
            holder="" if holder is None else holder.full_name,
        )
    grant = RoleGrant(
        person_id=person.id,
        role=role,
        scope_id=scope_id,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason or None,
        granted_by_id=actor.id,
    )
    session.add(grant)
    session.flush()
    record(
        session,
        person,
        actor,
        "role_granted",
        now,
        grant_id=grant.id,
        role=role,
        scope_id=scope_id,
        starts_at=starts_at.isoformat(),
        ends_at=None if ends_at is None else ends_at.isoformat(),
        reason=reason or None,
    )
    return grant


def _lock_holders(session: Session, person: Person, role: str, scope_id: int | None) -> None:
    """Two administrators granting at once: the second waits for the first and then sees its grant (PostgreSQL's
    row locks; SQLite has one writer at a time). The person's row orders grants to the person; the committee's
    or the council's row orders grants of a role one person holds at a time."""
    session.execute(select(Person.id).where(Person.id == person.id).with_for_update())
    if role not in ONE_HOLDER:
        return
    if scope_id is not None:
        session.execute(select(Committee.id).where(Committee.id == scope_id).with_for_update())
    else:
        session.execute(select(Council.id).order_by(Council.id).limit(1).with_for_update())


def _since(grant: RoleGrant) -> object:
    return message("mandates.always", N_("the start")) if grant.starts_at is None else grant.starts_at


def end_role(
    session: Session, actor: Actor, grant: RoleGrant, *, reason: str, ends_at: datetime | None = None, now: datetime
) -> None:
    """End a grant at `ends_at` (now, or a later moment), saying why; it stays in the records as it was held."""
    check_admin(actor)
    # two ends at once: the second waits, then reads the first's end and is refused
    session.refresh(grant, with_for_update=True)
    now = as_utc(now)
    ends_at = now if ends_at is None else as_utc(ends_at)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("mandates.reason_needed", N_("say why the role ends"))
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(
            "mandates.reason_too_long", N_("a reason is at most {max} characters"), max=MAX_REASON_LENGTH
        )
    if grant.delegation_id is not None:
        raise InvalidInput("mandates.delegated", N_("this role was delegated: it ends when its delegation is revoked"))
    if grant.ended_by_id is not None and grant.ends_at is not None:
        raise InvalidInput("mandates.end_set_already", N_("this role's end is set already: {ends}"), ends=grant.ends_at)
    if grant.ends_at is not None and as_utc(grant.ends_at) <= now:
        raise InvalidInput("mandates.ended_already", N_("this role ended already ({ends})"), ends=grant.ends_at)
    if ends_at < now:
        raise InvalidInput("mandates.no_end_in_past", N_("a role ends now or later: what was held stays as it was"))
    if grant.ends_at is not None and ends_at >= as_utc(grant.ends_at):
        raise InvalidInput(
            "mandates.ends_later",
            N_("the role ends already on {ends}: an end can only come sooner"),
            ends=grant.ends_at,
        )
    starts = None if grant.starts_at is None else as_utc(grant.starts_at)
    # a grant that has not begun yet and is ended now never begins: it ends as it starts
    grant.ends_at = starts if starts is not None and ends_at < starts else ends_at
    grant.ended_by_id = actor.id
    grant.end_reason = reason
    session.flush()
    person = session.get(Person, grant.person_id)
    assert person is not None
    record(
        session,
        person,
        actor,
        "role_ended",
        now,
        grant_id=grant.id,
        role=grant.role,
        scope_id=grant.scope_id,
        ends_at=as_utc(grant.ends_at).isoformat(),
        reason=reason,
    )


def get_grant(session: Session, person: Person, grant_id: int) -> RoleGrant:
    grant = session.get(RoleGrant, grant_id)
    if grant is None or grant.person_id != person.id:
        raise NotFound("mandates.no_grant", N_("there is no such role of this person"))
    return grant


@dataclass(frozen=True)
class Held:
    """A grant as the person's page shows it."""

    grant: RoleGrant
    #: the committee's or department's name, "" for a council-wide role
    scope: str
    #: "current", "future" or "past"
    tense: str
    granted_by: str
    ended_by: str


def grants_of(session: Session, person: Person, now: datetime) -> list[Held]:
    """Every grant the person has or had (delegated ones too), current first, then future, then past."""
    grants = session.scalars(
        select(RoleGrant)
        .where(RoleGrant.person_id == person.id)
        .order_by(RoleGrant.starts_at.asc().nulls_first(), RoleGrant.id)
    ).all()
    committees = dict(session.execute(select(Committee.id, Committee.name)).all())
    departments = dict(session.execute(select(Department.id, Department.name)).all())
    actors = {g.granted_by_id for g in grants} | {g.ended_by_id for g in grants}
    names = dict(session.execute(select(Person.id, Person.full_name).where(Person.id.in_(actors - {None}))).all())
    now = as_utc(now)
    held = []
    for grant in grants:
        kind = GRANTABLE.get(grant.role)
        scope = (
            committees.get(grant.scope_id or 0, "")
            if kind == COMMITTEE
            else departments.get(grant.scope_id or 0, "")
            if kind == DEPARTMENT
            else ""
        )
        if grant.starts_at is not None and as_utc(grant.starts_at) > now:
            tense = "future"
        elif grant.ends_at is not None and as_utc(grant.ends_at) <= now:
            tense = "past"
        else:
            tense = "current"
        held.append(
            Held(
                grant=grant,
                scope=scope,
                tense=tense,
                granted_by=names.get(grant.granted_by_id, "") if grant.granted_by_id else "",
                ended_by=names.get(grant.ended_by_id, "") if grant.ended_by_id else "",
            )
        )
    order = {"current": 0, "future": 1, "past": 2}
    return sorted(held, key=lambda h: order[h.tense])


def committees(session: Session) -> list[Committee]:
    """The committees a role can be granted in: those not retired."""
    return list(
        session.scalars(select(Committee).where(Committee.retired_at.is_(None)).order_by(Committee.name, Committee.id))
    )


def departments(session: Session) -> list[Department]:
    """The departments a role can be granted in: those not retired."""
    return list(
        session.scalars(
            select(Department).where(Department.retired_at.is_(None)).order_by(Department.name, Department.id)
        )
    )


def current_roles(session: Session, person_ids: list[int], now: datetime) -> dict[int, list[str]]:
    """The roles each of the persons holds at `now` (delegated ones too), in the order of GRANTABLE."""
    rows = session.execute(
        select(RoleGrant.person_id, RoleGrant.role)
        .where(
            RoleGrant.person_id.in_(person_ids),
            or_(RoleGrant.starts_at.is_(None), RoleGrant.starts_at <= now),
            or_(RoleGrant.ends_at.is_(None), RoleGrant.ends_at > now),
        )
        .distinct()
    ).all()
    order = {role: i for i, role in enumerate(GRANTABLE)}
    held: dict[int, list[str]] = {}
    for person_id, role in sorted(rows, key=lambda row: (row[0], order.get(row[1], len(order)), row[1])):
        held.setdefault(person_id, []).append(role)
    return held
