"""The versions of a draft decision's text and particulars, append-only: every save that changed something, and
every adopted amendment applied to it, is a new version; nothing is overwritten."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base, JSONType
from workflow.timeutil import utcnow


class DraftVersion(Base):
    """One version of a draft: its title and text, who initiates it, the committees proposed for it and the
    majority it needs, as they stood after one save (or one amendment applied)."""

    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: 1, 2, ... per draft
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    #: who initiates the draft (the mayor, a deputy, the executive committee, ...), as written on its title page
    initiator: Mapped[str] = mapped_column(String(300), default="")
    #: "majority" (of the total composition) or "two_thirds"
    majority: Mapped[str] = mapped_column(String(16), default="majority")
    #: the committees proposed to consider it: the lead one and advisory ones (the secretary decides on sending)
    lead_committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"))
    advisory_committee_ids: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    #: the draft's document version once this version was saved: the text a given version of the draft had is
    #: that of its latest DraftVersion with audit_version at most that one
    audit_version: Mapped[int] = mapped_column(Integer)
    #: the adopted amendment this version applied, if any
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    #: the version of the draft's audit entry that puts this version under the draft's chain: set when the save
    #: changed the draft's particulars (a change of the text is under the chain by its own `edit` entry)
    record_version: Mapped[int | None] = mapped_column(Integer)
