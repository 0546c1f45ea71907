"""People and the roles they hold: global (`secretary`), scoped (`committee_chair` of committee 3), and
delegated for a period with a reason. `load_actor` turns them into the `Actor` the engine checks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflow.db import Base
from workflow.timeutil import utcnow


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
