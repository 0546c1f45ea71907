"""The council's own tables: the council, its committees and departments.

Who sits where is not duplicated here: committee chairs and members, department reviewers, deputies and the
mayor are role grants (`workflow.people.RoleGrant`, scoped to a committee or a department), so the engine's
role checks and the council's lists read one source.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base


class Council(Base):
    __tablename__ = "councils"
    __table_args__ = (CheckConstraint("total_composition > 0", name="total_composition_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: e.g. "Славутицька міська рада"
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    #: the convocation (скликання), e.g. 8 for the VIII convocation
    convocation: Mapped[int]
    #: deputies plus the mayor, who counts and votes: the base of quorum and majority
    total_composition: Mapped[int]
    #: how an adopted decision's official number is written; fields: number, session, convocation (roman)
    number_pattern: Mapped[str] = mapped_column(String(100), default="№ {number}-{session}-{convocation}")
    #: the next running number of decisions in this convocation: taken under a row lock, never reused
    next_decision_number: Mapped[int] = mapped_column(Integer, default=1)


class Committee(Base):
    """A standing committee (постійна комісія); its chair, secretary and members are role grants."""

    __tablename__ = "committees"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"))
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    #: when the council dissolved it: kept for the drafts, conclusions and meetings that name it, offered for none
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Department(Base):
    """A department of the executive whose reviewers give visas (legal, finance, ...)."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"))
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    #: "legal", "finance" or "other": legal and finance visas are required on every draft
    kind: Mapped[str] = mapped_column(String(16))
    #: when it stopped giving visas: kept for the visas it gave, asked for none
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
