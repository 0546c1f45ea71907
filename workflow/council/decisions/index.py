"""Keeping the registry's index current: `index_decision` runs in the transaction of every change of a draft
decision (the engine tells it: `Catalog.on_change`), and of every file attached to one, so the index never shows a
decision that is no longer public nor misses one that has become so. `rebuild` makes it anew (`radaflow search
rebuild`).

What is indexed is only what the law makes public: a draft decision in a state its definition marks public, once
the council has voted on it (the registry's states); its title, number, text and the text of its files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, func, literal_column, select, text, update
from sqlalchemy.orm import Session

from workflow.council.decisions.extract import text_of
from workflow.council.decisions.models import FTS_TABLE, DecisionEntry, DecisionLink
from workflow.council.decisions.words import terms
from workflow.council.drafts.drafts import lead_committee_id
from workflow.council.law import KYIV
from workflow.council.sittings.models import AgendaItem, Decision, PlenarySession
from workflow.definitions.registry import registry_of
from workflow.engine.models import Document
from workflow.files import DocumentFile, list_files
from workflow.timeutil import as_utc, utcnow

KIND = "decision_draft"
#: PostgreSQL's text search configuration over our own terms: no stemming of its own, no stop words
SIMPLE = text("'simple'::regconfig")
#: the states of a draft decision the registry lists: the council has voted on it (each is public by definition)
DECISION_STATES = ("adopted", "vetoed", "signed", "published", "in_force", "rejected", "dropped")
#: the fields by which a decision names the earlier decisions (their documents' ids) it amends or repeals
AMENDS, REPEALS = "amends", "repeals"


def is_listed(session: Session, document: Document) -> bool:
    """Whether the registry shows the document: a decision the council voted on, in a state the law makes public."""
    if document.kind != KIND or document.state not in DECISION_STATES:
        return False
    compiled = registry_of(session).get(document.kind, document.definition_version, session)
    return compiled.state(document.state).public


def index_decision(session: Session, document: Document, now: datetime | None = None) -> DecisionEntry | None:
    """Bring the document's entry in line with the document: made or updated while it is listed, removed when it is
    not; flushes, never commits. The entry's terms are made again only when its words changed."""
    now = utcnow() if now is None else as_utc(now)
    entry = session.get(DecisionEntry, document.id)
    if not is_listed(session, document):
        if entry is not None:
            session.execute(delete(DecisionLink).where(DecisionLink.document_id == document.id))
            session.delete(entry)
            session.flush()
            _forget_terms(session, document.id)
        return None
    files = _latest_files(session, document.id)
    files_key = ",".join(stored.sha256 for stored in files)
    if entry is not None and entry.files_key == files_key:
        files_text = entry.files_text
    else:
        files_text = "\n\n".join(
            part for stored in files if (part := text_of(stored.content, stored.media_type, stored.filename))
        )
    number = session.scalar(select(Decision.official_number).where(Decision.draft_id == document.id))
    body = _body(document)
    content_key = hashlib.sha256(
        "\x00".join((document.title, number or "", body, files_key)).encode("utf-8")
    ).hexdigest()
    session_id, decided_on = _when_decided(session, document)
    initiator = document.fields.get("initiator_id")
    values = {
        "document_version": document.version,
        "status": document.state,
        "official_number": number,
        "decided_on": decided_on,
        "session_id": session_id,
        "committee_id": lead_committee_id(session, document),
        "initiator_id": initiator if isinstance(initiator, int) else document.author_id,
        "effect": effect_of(document),
        "files_text": files_text,
        "files_key": files_key,
        "indexed_at": now,
    }
    words_changed = entry is None or entry.content_key != content_key
    if entry is None:
        entry = DecisionEntry(document_id=document.id, content_key=content_key, **values)
        session.add(entry)
    else:
        for name, value in values.items():
            setattr(entry, name, value)
        entry.content_key = content_key
    session.flush()
    _link(session, document)
    if words_changed:
        _write_terms(session, document.id, f"{document.title} {number or ''}", body, files_text)
    return entry


def rebuild(session: Session, *, now: datetime | None = None) -> int:
    """The whole index made anew from the documents; returns how many decisions it lists."""
    session.execute(delete(DecisionLink))
    session.execute(delete(DecisionEntry))
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"DELETE FROM {FTS_TABLE}"))
    count = 0
    ids = session.scalars(
        select(Document.id).where(Document.kind == KIND, Document.state.in_(DECISION_STATES)).order_by(Document.id)
    ).all()
    for document_id in ids:
        document = session.get(Document, document_id)
        if document is not None and index_decision(session, document, now) is not None:
            count += 1
    return count


def effect_of(document: Document) -> str:
    """What the decision does to the council's earlier acts, by the fields that name them."""
    if related_ids(document, REPEALS):
        return "repeals"
    if related_ids(document, AMENDS):
        return "amends"
    return "new"


def related_ids(document: Document, field: str) -> list[int]:
    """The ids of the earlier decisions (their documents) the document's field names."""
    value = document.fields.get(field)
    values: Iterable[object] = value if isinstance(value, list) else [value]
    return [item for item in values if isinstance(item, int) and not isinstance(item, bool) and item > 0]


def _link(session: Session, document: Document) -> None:
    wanted = {(target, how) for how in (AMENDS, REPEALS) for target in related_ids(document, how)}
    wanted = {(target, how) for target, how in wanted if target != document.id and _is_decision(session, target)}
    links = session.scalars(select(DecisionLink).where(DecisionLink.document_id == document.id)).all()
    have = {(link.target_id, link.how) for link in links}
    for link in links:
        if (link.target_id, link.how) not in wanted:
            session.delete(link)
    session.add_all(
        DecisionLink(document_id=document.id, target_id=target, how=how) for target, how in sorted(wanted - have)
    )
    session.flush()


def _is_decision(session: Session, document_id: int) -> bool:
    found = session.get(Document, document_id)
    return found is not None and found.kind == KIND


def _body(document: Document) -> str:
    body = document.fields.get("body")
    return body if isinstance(body, str) else ""


def _latest_files(session: Session, document_id: int) -> list[DocumentFile]:
    latest: dict[str, DocumentFile] = {}
    for stored in list_files(session, document_id):
        latest[stored.name] = stored  # by name and version: the last one of a name is its latest
    return list(latest.values())


def _when_decided(session: Session, document: Document) -> tuple[int | None, date | None]:
    """The session that voted on the decision, and the date: the number's date of adoption once it has one,
    else that session's day in Kyiv."""
    row = session.execute(
        select(PlenarySession.document_id, PlenarySession.starts_at)
        .join(AgendaItem, AgendaItem.session_id == PlenarySession.document_id)
        .join(Document, Document.id == AgendaItem.document_id)
        .where(AgendaItem.draft_id == document.id, Document.state.in_(("adopted", "rejected")))
        .order_by(AgendaItem.draft_version.desc(), AgendaItem.document_id.desc())
        .limit(1)
    ).first()
    adopted_on = session.scalar(select(Decision.adopted_on).where(Decision.draft_id == document.id))
    if row is None:
        return None, adopted_on
    return row[0], adopted_on or as_utc(row[1]).astimezone(KYIV).date()


def _forget_terms(session: Session, document_id: int) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": document_id})


def _write_terms(session: Session, document_id: int, title: str, body: str, files: str) -> None:
    heading, text_terms, file_terms = (" ".join(terms(part)) for part in (title, body, files))
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": document_id})
        session.execute(
            text(f"INSERT INTO {FTS_TABLE} (rowid, title, body, files) VALUES (:id, :title, :body, :files)"),
            {"id": document_id, "title": heading, "body": text_terms, "files": file_terms},
        )
        return
    vector = (
        func.setweight(func.to_tsvector(SIMPLE, heading), literal_column("'A'"))
        .op("||")(func.setweight(func.to_tsvector(SIMPLE, text_terms), literal_column("'B'")))
        .op("||")(func.setweight(func.to_tsvector(SIMPLE, file_terms), literal_column("'C'")))
    )
    session.execute(update(DecisionEntry).where(DecisionEntry.document_id == document_id).values(terms=vector))
    entry = session.get(DecisionEntry, document_id)
    if entry is not None:
        session.expire(entry, ["terms"])
