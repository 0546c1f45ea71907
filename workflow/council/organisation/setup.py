"""Setting up a council: the council itself, its people and their roles, committees and departments.

Operations take the session and the actor where one acts, flush, and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.council.organisation.models import Committee, Council, Department
from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.people import Person, RoleGrant, hash_password
from workflow.people import check_password as check_password  # passwords live with the people; kept here too
from workflow.timeutil import utcnow

DEPARTMENT_KINDS = ("legal", "finance", "other")


def create_council(
    session: Session,
    *,
    name: str,
    convocation: int,
    total_composition: int,
    name_en: str = "",
    number_pattern: str = "№ {number}-{session}-{convocation}",
) -> Council:
    if convocation < 1 or total_composition < 1:
        raise InvalidInput(
            "setup.convocation_total_composition_positive",
            N_("the convocation and the total composition are positive numbers"),
        )
    try:
        number_pattern.format(number=1, session=1, convocation="I")
    except (KeyError, IndexError, ValueError) as error:
        raise InvalidInput(
            "setup.number_pattern_may_use",
            N_("the number pattern may use {{number}}, {{session}} and {{convocation}}: {error}"),
            error=error,
        ) from None
    council = Council(
        name=name,
        name_en=name_en,
        convocation=convocation,
        total_composition=total_composition,
        number_pattern=number_pattern,
        next_decision_number=1,
    )
    session.add(council)
    session.flush()
    return council


def add_person(
    session: Session,
    full_name: str,
    *,
    email: str | None = None,
    password: str | None = None,
    roles: Iterable[str] = (),
    locale: str = "uk",
) -> Person:
    """A person, with council-wide roles and, when given a password, an account (argon2-hashed)."""
    taken = select(Person.id).where(func.lower(Person.email) == email.strip().lower()) if email else None
    if taken is not None and session.scalar(taken) is not None:
        raise InvalidInput("setup.email_already_belongs_someone", N_("{email} already belongs to someone"), email=email)
    person = Person(
        full_name=full_name,
        email=email,
        locale=locale,
        password_hash=None if password is None else hash_password(password),
    )
    session.add(person)
    session.flush()
    for role in roles:
        grant(session, person, role)
    return person


def grant(
    session: Session,
    person: Person,
    role: str,
    *,
    scope_id: int | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    reason: str | None = None,
    granted_by: Person | None = None,
    delegation_id: int | None = None,
) -> RoleGrant:
    role_grant = RoleGrant(
        person_id=person.id,
        role=role,
        scope_id=scope_id,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        granted_by_id=None if granted_by is None else granted_by.id,
        delegation_id=delegation_id,
    )
    session.add(role_grant)
    session.flush()
    return role_grant


def add_committee(
    session: Session,
    council: Council,
    name: str,
    *,
    chair: Person,
    members: Iterable[Person] = (),
    secretary: Person | None = None,
    name_en: str = "",
) -> Committee:
    """A standing committee with one chair, an optional secretary and its members."""
    committee = Committee(council_id=council.id, name=name, name_en=name_en)
    session.add(committee)
    session.flush()
    grant(session, chair, "committee_chair", scope_id=committee.id)
    if secretary is not None:
        grant(session, secretary, "committee_secretary", scope_id=committee.id)
    for member in members:
        if member.id not in (chair.id, None if secretary is None else secretary.id):
            grant(session, member, "committee_member", scope_id=committee.id)
    return committee


def add_department(
    session: Session, council: Council, name: str, kind: str, *, reviewers: Iterable[Person] = ()
) -> Department:
    if kind not in DEPARTMENT_KINDS:
        raise InvalidInput(
            "setup.department_one_value",
            N_("a department is one of: {value}"),
            value=", ".join(DEPARTMENT_KINDS),
        )
    department = Department(council_id=council.id, name=name, kind=kind)
    session.add(department)
    session.flush()
    for reviewer in reviewers:
        grant(session, reviewer, "reviewer", scope_id=department.id)
    return department


def end_grants(
    session: Session, person: Person, role: str, *, scope_id: int | None = None, now: datetime | None = None
) -> int:
    """End a person's current grants of a role (e.g. a chair who steps down); returns how many."""
    now = now or utcnow()
    grants = session.scalars(
        select(RoleGrant).where(
            RoleGrant.person_id == person.id,
            RoleGrant.role == role,
            RoleGrant.scope_id.is_(None) if scope_id is None else RoleGrant.scope_id == scope_id,
            RoleGrant.ends_at.is_(None),
        )
    ).all()
    for role_grant in grants:
        role_grant.ends_at = now
    session.flush()
    return len(grants)
