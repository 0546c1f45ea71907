"""The public discussion's table: citizens' comments on a draft open for discussion, and their moderation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base
from workflow.timeutil import utcnow


class DiscussionComment(Base):
    """A citizen's comment on a draft in public discussion: for, against or neutral, under the name the citizen
    chose to show. Never deleted and never rewritten (migration 0009): the secretary hides one with a reason, and
    the hiding is recorded in the draft's audit chain."""

    __tablename__ = "discussion_comments"
    __table_args__ = (Index("ix_discussion_comments_draft", "draft_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: the citizen who wrote it (never shown: the public reads `shown_name`)
    author_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    #: the name the citizen chose to be shown under
    shown_name: Mapped[str] = mapped_column(String(100))
    #: "for", "against" or "neutral"
    position: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: the draft's version when the comment was posted: which stay in discussion it belongs to, by the log
    draft_version: Mapped[int]
    #: set once, when the secretary hides the comment; the reason is shown in its place
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    #: the version of the draft's audit entry that records the hiding
    audit_version: Mapped[int | None]
