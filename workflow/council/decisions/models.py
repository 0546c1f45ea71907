"""The public registry's index of decisions: one row per decision the law makes public, with what it is filtered
by and its search terms.

PostgreSQL keeps the terms in a `tsvector` column under a GIN index; SQLite (the embedded default) keeps them in
the FTS5 table `decision_terms` (made by migration 0008, rowid = the decision's document id), and the column stays
empty there.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base

#: the FTS5 table of the terms on SQLite, with its shadow tables (named after it); not in the models' metadata
FTS_TABLE = "decision_terms"


class DecisionEntry(Base):
    """A decision as the public registry finds it: in sync with its document in the same transaction as every
    change of the document (`workflow.council.decisions.index`), present only while the document is public."""

    __tablename__ = "decision_entries"
    __table_args__ = (
        Index("ix_decision_entries_terms", "terms", postgresql_using="gin"),
        Index("ix_decision_entries_date", "decided_on", "document_id"),
    )

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    #: the document's version the entry was made from
    document_version: Mapped[int]
    #: the decision's state (its legal status)
    status: Mapped[str] = mapped_column(String(64))
    #: the official number, once given ("№ 123-12-VIII")
    official_number: Mapped[str | None] = mapped_column(String(64))
    #: the date of adoption, or of the vote that rejected it
    decided_on: Mapped[date | None] = mapped_column(Date)
    #: the plenary session (its document) that voted on it
    session_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    #: the lead committee that reviewed it
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"))
    #: who initiated it
    initiator_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    #: what it does to the council's acts: "new", "amends" (earlier decisions) or "repeals" (one at least)
    effect: Mapped[str] = mapped_column(String(16))
    #: the text of its attached files, as the search read them (for the snippets)
    files_text: Mapped[str] = mapped_column(Text, default="")
    #: the SHA-256 of every file read, in order: the files are read again only when these change
    files_key: Mapped[str] = mapped_column(Text, default="")
    #: a digest of the title, text and files the terms were made from: unchanged content is not lemmatised again
    content_key: Mapped[str] = mapped_column(String(64))
    #: PostgreSQL: the search terms, weighted (A title and number, B text, C files); NULL on SQLite
    terms: Mapped[str | None] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))
    indexed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DecisionLink(Base):
    """A decision that changes an earlier one (amends or repeals it), as its fields say: kept with its entry, so the
    earlier decision's page finds the later ones without reading every decision."""

    __tablename__ = "decision_links"
    __table_args__ = (Index("ix_decision_links_target", "target_id"),)

    #: the later decision (its document), listed in the registry
    document_id: Mapped[int] = mapped_column(ForeignKey("decision_entries.document_id"), primary_key=True)
    #: the earlier decision's document it changes
    target_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    #: "amends" or "repeals"
    how: Mapped[str] = mapped_column(String(16), primary_key=True)
