"""People and the roles they hold: global (`secretary`), scoped (`committee_chair` of committee 3), and
delegated for a period with a reason. `load_actor` turns them into the `Actor` the engine checks.

A person's account: the password (argon2-hashed), and a session epoch that every signed-in session carries;
signing out, a new password and deactivation move the epoch on, which ends every session of that person."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import DateTime, ForeignKey, Index, String, Text, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflow.db import Base
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.i18n import N_
from workflow.timeutil import utcnow

_hasher = PasswordHasher()

#: a password shorter than this is refused when it is set (the sign-in form takes what it is given)
MIN_PASSWORD_LENGTH = 10
#: and a longer one too: argon2 hashes any length, but nobody types more
MAX_PASSWORD_LENGTH = 1000


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    #: where notifications go; unique among those who have one
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    #: "uk" or "en": the language of the person's interface and messages
    locale: Mapped[str] = mapped_column(String(8), default="uk")
    #: argon2 hash of the password; None for a person who cannot sign in (e.g. a citizen who only wrote once)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    #: "immediate" or "digest": how the person wants e-mail notifications
    email_mode: Mapped[str] = mapped_column(String(16), default="immediate", server_default="immediate")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: moved on by signing out, a password change and deactivation: a session signed in under an earlier epoch
    #: is no longer valid (see `end_sessions`)
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    #: when an administrator closed the account; a deactivated person cannot sign in
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: when the person proved the e-mail address is theirs; None while a citizen who registered themself has not
    #: followed the confirmation link yet (accounts the council makes are taken as confirmed when made)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=utcnow)


class RoleGrant(Base):
    """A role held by a person, possibly for one object (a committee, a department) and for a period."""

    __tablename__ = "role_grants"
    __table_args__ = (Index("ix_role_grants_person", "person_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(64))
    #: the committee, department, ... the role is held for; None for a role held council-wide
    scope_id: Mapped[int | None]
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: why the role was granted (e.g. "acting head during the head's leave"), for delegations
    reason: Mapped[str | None] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    #: the delegation document whose audit log records this grant, when it was delegated for a period
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    #: who ended the grant before its time, and why (an administrator ending a mandate); the grant itself stays
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    end_reason: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, with the roles they hold at that moment; built once per request or task."""

    id: int | None
    roles: frozenset[str]
    #: role -> the objects it is held for (committee ids for committee_chair, department ids for reviewer)
    scopes: Mapping[str, frozenset[int]] = field(default_factory=dict)

    SYSTEM_ROLE = "system"

    @classmethod
    def system(cls) -> Actor:
        """The scheduler and the tasks, acting where the law makes a move automatic."""
        return cls(id=None, roles=frozenset({cls.SYSTEM_ROLE}))

    def holds(self, role: str) -> bool:
        return role in self.roles

    def holds_for(self, role: str, scope_id: object) -> bool:
        return isinstance(scope_id, int) and scope_id in self.scopes.get(role, frozenset())


def load_actor(session: Session, person_id: int, now: datetime | None = None) -> Actor:
    """The actor for a person, with the grants valid at `now` (delegations included)."""
    now = now or utcnow()
    rows = session.execute(
        select(RoleGrant.role, RoleGrant.scope_id).where(
            RoleGrant.person_id == person_id,
            or_(RoleGrant.starts_at.is_(None), RoleGrant.starts_at <= now),
            or_(RoleGrant.ends_at.is_(None), RoleGrant.ends_at > now),
        )
    ).all()
    roles: set[str] = set()
    scopes: dict[str, set[int]] = defaultdict(set)
    for role, scope_id in rows:
        roles.add(role)
        if scope_id is not None:
            scopes[role].add(scope_id)
    return Actor(
        id=person_id,
        roles=frozenset(roles),
        scopes={role: frozenset(ids) for role, ids in scopes.items()},
    )


#: the scheduler and the tasks, acting where the law makes a move automatic
SYSTEM = Actor.system()


# --- accounts ------------------------------------------------------------------------------------------------
#: the role of those who manage users
ADMIN_ROLE = "admin"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_new_password(password: str) -> None:
    """The rules a new password keeps (its length); refused with the reason otherwise."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            "people.password_length",
            N_("a password has from {min} to {max} characters (this one has {length})"),
            min=MIN_PASSWORD_LENGTH,
            max=MAX_PASSWORD_LENGTH,
            length=len(password),
        )


def check_password(person: Person, password: str) -> bool:
    if person.password_hash is None:
        return False
    try:
        return _hasher.verify(person.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def may_sign_in(person: Person) -> bool:
    """Whether the person has an account that is open: a password, and not deactivated."""
    return person.password_hash is not None and person.deactivated_at is None


def end_sessions(session: Session, person: Person) -> int:
    """End every signed-in session of the person (signing out everywhere); returns the new epoch.

    The epoch moves on in one UPDATE, so two ends at once never lose one."""
    session.execute(
        update(Person)
        .where(Person.id == person.id)
        .values(session_epoch=Person.session_epoch + 1)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    session.refresh(person, ["session_epoch"])
    return person.session_epoch


def change_password(
    session: Session,
    actor: Actor,
    person: Person,
    new_password: str,
    *,
    current_password: str | None = None,
) -> None:
    """Set a new password: by the person themself (who gives the current one), or by an administrator. Every
    session of the person ends, so one who learned the old password is signed out too."""
    if actor.id == person.id:
        if current_password is None or not check_password(person, current_password):
            raise NotAllowed("people.wrong_current_password", N_("the current password is not right"))
    elif not actor.holds(ADMIN_ROLE):
        raise NotAllowed(
            "people.password_changed_by",
            N_("only the person themself or an administrator may change a password"),
        )
    if person.deactivated_at is not None:
        raise InvalidInput(
            "people.account_deactivated", N_("{full_name}'s account is deactivated"), full_name=person.full_name
        )
    check_new_password(new_password)
    person.password_hash = hash_password(new_password)
    session.flush()
    end_sessions(session, person)


def deactivate_person(session: Session, actor: Actor, person: Person, *, now: datetime | None = None) -> None:
    """Close a person's account (an administrator's act): they can no longer sign in, and every session of theirs
    ends at once. Their roles and their part in the records stay as they are."""
    if not actor.holds(ADMIN_ROLE):
        raise NotAllowed("people.deactivated_by_admin", N_("only an administrator may deactivate an account"))
    if actor.id == person.id:
        raise InvalidInput("people.deactivate_self", N_("an administrator cannot deactivate their own account"))
    if person.deactivated_at is not None:
        raise InvalidInput(
            "people.already_deactivated", N_("{full_name}'s account is deactivated already"), full_name=person.full_name
        )
    person.deactivated_at = utcnow() if now is None else now
    session.flush()
    end_sessions(session, person)


def get_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("people.no_person", N_("there is no person {id}"), id=person_id)
    return person
