"""Delegating a role for a period, with the reason: a deputy chairing a sitting in the mayor's absence, an acting
head of a department. Each delegation is a `delegation` document, so who gave it, when and why stays in its
audit log; the time-bound RoleGrant it creates points back at it, and `load_actor` honours the period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.organisation.models import Committee, Department
from workflow.council.organisation.roles import COUNCIL_ROLES
from workflow.engine import Fired, create_document, fire
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotAllowed
from workflow.i18n import N_, Spoken
from workflow.people import Actor, Person, RoleGrant
from workflow.timeutil import as_utc, utcnow

#: roles held for one object, and what that object is; a delegation of one of them names it (scope_id)
SCOPED_ROLES = {
    "committee_chair": "committee",
    "committee_member": "committee",
    "committee_secretary": "committee",
    "reviewer": "department",
    "session_chair": "session",
}
#: a mandate is personal (and a citizen is nobody's office): these are never delegated
PERSONAL_ROLES = ("deputy", "citizen", Actor.SYSTEM_ROLE)
#: how a delegated role is named to people, in Ukrainian and English
ROLE_TITLES = {
    "admin": {"uk": "адміністратор системи", "en": "system administrator"},
    "secretary": {"uk": "секретар ради", "en": "council secretary"},
    "mayor": {"uk": "міський голова", "en": "mayor"},
    "staff": {"uk": "працівник виконавчого органу", "en": "staff member"},
    "reviewer": {"uk": "візувальник відділу", "en": "department reviewer"},
    "committee_chair": {"uk": "голова постійної комісії", "en": "standing committee chair"},
    "committee_member": {"uk": "член постійної комісії", "en": "standing committee member"},
    "committee_secretary": {"uk": "секретар постійної комісії", "en": "standing committee secretary"},
    "session_chair": {"uk": "головуючий на пленарному засіданні", "en": "chair of the plenary sitting"},
}


def delegable_roles() -> tuple[str, ...]:
    """The council-wide roles, and chairing a sitting, less the personal ones."""
    names = set(COUNCIL_ROLES) | {"session_chair"}
    return tuple(sorted(names - set(PERSONAL_ROLES)))


def _may_delegate(grantor: Actor, role: str, scope_id: int | None) -> bool:
    """An administrator delegates any role; anyone else only an authority of their own (the mayor's own
    includes chairing the council's sittings)."""
    if grantor.holds("admin"):
        return True
    if role == "session_chair":
        return grantor.holds("mayor")
    return grantor.holds(role) if scope_id is None else grantor.holds_for(role, scope_id)


def delegate_role(
    session: Session,
    grantor: Actor,
    person: Person,
    role: str,
    *,
    scope_id: int | None = None,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    now: datetime | None = None,
) -> Document:
    """Give `person` the `role` (for `scope_id`) from `starts_at` until `ends_at`, for `reason`.

    Returns the delegation document; its RoleGrant carries `delegation_id`. Everything is checked before
    anything is written.
    """
    now = utcnow() if now is None else as_utc(now)
    starts, ends = as_utc(starts_at), as_utc(ends_at)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(
            "delegation.say_why_role_delegated",
            N_("say why the role is delegated: the reason is empty"),
        )
    _check_role(session, role, scope_id)
    if ends <= starts:
        raise InvalidInput(
            "delegation.period_must_end_after",
            N_("the period must end after it starts: from {starts} to {ends}"),
            starts=moment(starts),
            ends=moment(ends),
        )
    if ends <= now:
        raise InvalidInput(
            "delegation.period_ended_ends_before",
            N_("the period ended on {ends}, before the delegation is given"),
            ends=moment(ends),
        )
    if grantor.id is not None and grantor.id == person.id:
        raise InvalidInput(
            "delegation.role_delegated_someone_else",
            N_("a role is delegated to someone else, not to oneself"),
        )
    if not _may_delegate(grantor, role, scope_id):
        raise NotAllowed(
            "delegation.only_someone_who_holds",
            N_("only someone who holds the role '{role}' (or an administrator) can delegate it"),
            role=role,
        )
    delegation = create_document(
        session,
        "delegation",
        grantor,
        title=f"{role}: {person.full_name}",
        comment=reason,
        now=now,
        fields={
            "role": role,
            "scope_id": scope_id,
            "person_id": person.id,
            "starts_at": starts.isoformat(),
            "ends_at": ends.isoformat(),
            "reason": reason,
        },
    )
    session.add(
        RoleGrant(
            person_id=person.id,
            role=role,
            scope_id=scope_id,
            starts_at=starts,
            ends_at=ends,
            reason=reason,
            granted_by_id=grantor.id,
            delegation_id=delegation.id,
        )
    )
    session.flush()
    return delegation


def revoke_delegation(
    session: Session, delegation: Document, actor: Actor, reason: str, *, now: datetime | None = None
) -> Fired:
    """Revoke the delegation (its author or an admin, saying why) and end its grant at once."""
    now = utcnow() if now is None else as_utc(now)
    if delegation.kind != "delegation":
        raise InvalidInput(
            "delegation.document_id_not_delegation",
            N_("document {id} is not a delegation"),
            id=delegation.id,
        )
    fired = fire(session, delegation, "revoke", actor, comment=reason, now=now)
    for role_grant in grants_of(session, delegation):
        if role_grant.ends_at is None or as_utc(role_grant.ends_at) > now:
            starts = now if role_grant.starts_at is None else as_utc(role_grant.starts_at)
            # a delegation revoked before its period began ends where it would have started: never in effect
            role_grant.ends_at = max(now, starts)
    session.flush()
    return fired


def grants_of(session: Session, delegation: Document) -> list[RoleGrant]:
    return list(
        session.scalars(select(RoleGrant).where(RoleGrant.delegation_id == delegation.id).order_by(RoleGrant.id))
    )


def moment(value: datetime) -> Spoken:
    """A delegation's period's ends, written at length in the reader's language ('17 March 2026, 11:00')."""
    return Spoken(value)


def _check_role(session: Session, role: str, scope_id: int | None) -> None:
    if role in PERSONAL_ROLES:
        raise InvalidInput(
            "delegation.role_role_personal_cannot",
            N_("the role '{role}' is personal and cannot be delegated"),
            role=role,
        )
    if role not in delegable_roles():
        raise InvalidInput(
            "delegation.unknown_role_role_delegation",
            N_("unknown role '{role}': a delegation gives one of {value}"),
            role=role,
            value=", ".join(delegable_roles()),
        )
    scope = SCOPED_ROLES.get(role)
    if scope is None:
        if scope_id is not None:
            raise InvalidInput(
                "delegation.role_role_held_council",
                N_("the role '{role}' is held council-wide: its delegation names no scope_id"),
                role=role,
            )
        return
    if scope_id is None:
        raise InvalidInput(
            "delegation.role_role_held_one",
            N_("the role '{role}' is held for one {scope}: say which (scope_id)"),
            role=role,
            scope=scope,
        )
    if scope == "committee":
        found = session.get(Committee, scope_id) is not None
    elif scope == "department":
        found = session.get(Department, scope_id) is not None
    else:
        document = session.get(Document, scope_id)
        found = document is not None and document.kind == "session"
    if not found:
        raise InvalidInput(
            "delegation.there_no_scope_scope",
            N_("there is no {scope} {scope_id} to hold the role '{role}' for"),
            scope=scope,
            scope_id=scope_id,
            role=role,
        )
