"""Searching the public registry of decisions: words (their Ukrainian forms), filters, order, pages.

Whatever a reader types is only ever read as words (`words.terms_of`): letters and digits, lemmatised; no
character of it reaches a database's query syntax, so quotes, `%`, `_`, `*`, `-`, NEAR, AND or an FTS5 column
filter are plain words or nothing. A query's words must all be found (in the title, the number, the text or a file),
each in any of its forms; the first `MOST_WORDS` are searched and the reader is told of the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Float, Integer, Select, desc, func, select, text
from sqlalchemy.orm import Session

from workflow.council.decisions.index import SIMPLE
from workflow.council.decisions.models import FTS_TABLE, DecisionEntry
from workflow.council.decisions.snippets import Part, highlighted, snippet
from workflow.council.decisions.words import words
from workflow.engine.models import Document

#: the words of a query searched at most; the rest are ignored (and the reader is told)
MOST_WORDS = 20
#: decisions on one page of results
PER_PAGE = 20
#: the pages a reader may ask for at most (beyond it, the last page there is)
MOST_PAGES = 10_000
SORTS = ("relevance", "date")
EFFECTS = ("new", "amends", "repeals")
#: FTS5's bm25 weights of the columns title (with the number), body, files; PostgreSQL weighs A, B, C likewise
BM25 = "bm25(decision_terms, 10.0, 3.0, 1.0)"


@dataclass(frozen=True, slots=True)
class Query:
    """What a reader asks of the registry; every filter optional."""

    text: str = ""
    date_from: date | None = None
    date_to: date | None = None
    session_id: int | None = None
    committee_id: int | None = None
    initiator_id: int | None = None
    effect: str | None = None
    status: str | None = None
    #: "relevance" (only with words; else by date) or "date" (newest first)
    sort: str = "relevance"
    page: int = 1


@dataclass(frozen=True, slots=True)
class Hit:
    document_id: int
    official_number: str | None
    decided_on: date | None
    status: str
    effect: str
    title: tuple[Part, ...]
    #: a passage of the text (or of a file) around the first word found, the words found marked
    snippet: tuple[Part, ...]
    #: where the snippet comes from: "body" or "files"
    snippet_from: str


@dataclass(frozen=True, slots=True)
class Results:
    hits: list[Hit]
    total: int
    page: int
    pages: int
    #: the words searched, as the reader typed them
    searched: tuple[str, ...] = ()
    #: how many words of the query were left out (beyond MOST_WORDS)
    ignored: int = 0
    sort: str = "date"
    terms: tuple[frozenset[str], ...] = field(default=(), repr=False)


def query_words(text_: str) -> tuple[list[tuple[str, frozenset[str]]], int]:
    """The query's distinct words (as typed, with their terms) up to MOST_WORDS, and how many more there were."""
    seen: set[frozenset[str]] = set()
    found: list[tuple[str, frozenset[str]]] = []
    extra = 0
    normal = text_
    for word in words(normal):
        if not word.terms or word.terms in seen:
            continue
        if len(found) >= MOST_WORDS:
            extra += 1
            continue
        seen.add(word.terms)
        found.append((normal[word.start : word.end], word.terms))
    return found, extra


def search(session: Session, query: Query) -> Results:
    """One page of the decisions that match, with the total count; the newest first unless ranked by words."""
    found, extra = query_words(query.text)
    terms = tuple(term_set for _typed, term_set in found)
    sort = query.sort if terms and query.sort in SORTS else "date"
    statement = _filtered(select(DecisionEntry, Document.title, Document.fields), query)
    sqlite = session.get_bind().dialect.name == "sqlite"
    rank: Any = None
    if terms:
        if sqlite:
            matches = (
                text(f"SELECT rowid AS document_id, {BM25} AS rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match")
                .bindparams(match=fts5_expression(terms))
                .columns(document_id=Integer, rank=Float)
                .subquery("matches")
            )
            statement = statement.join(matches, matches.c.document_id == DecisionEntry.document_id)
            rank = matches.c.rank  # lower is better
        else:
            tsquery = func.to_tsquery(SIMPLE, tsquery_expression(terms))
            statement = statement.where(DecisionEntry.terms.op("@@")(tsquery))
            rank = desc(func.ts_rank(DecisionEntry.terms, tsquery))
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, query.page), pages, MOST_PAGES)
    newest = (desc(DecisionEntry.decided_on), desc(DecisionEntry.document_id))
    order = (rank, *newest) if sort == "relevance" and rank is not None else newest
    rows = session.execute(statement.order_by(*order).limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    hits = [_hit(entry, title, fields, terms) for entry, title, fields in rows]
    return Results(
        hits=hits,
        total=total,
        page=page,
        pages=pages,
        searched=tuple(typed for typed, _terms in found),
        ignored=extra,
        sort=sort,
        terms=terms,
    )


def fts5_expression(terms: Sequence[frozenset[str]]) -> str:
    """An FTS5 MATCH expression: every word, each in any of its forms; each term a quoted string (terms are
    letters and digits, so nothing in them is FTS5 syntax)."""
    return " AND ".join("(" + " OR ".join(f'"{term}"' for term in sorted(forms)) + ")" for forms in terms)


def tsquery_expression(terms: Sequence[frozenset[str]]) -> str:
    """A `to_tsquery` expression of the same meaning, each term quoted."""
    return " & ".join("(" + " | ".join(f"'{term}'" for term in sorted(forms)) + ")" for forms in terms)


def _filtered(statement: Select[Any], query: Query) -> Select[Any]:
    statement = statement.join(Document, Document.id == DecisionEntry.document_id)
    conditions = []
    if query.date_from is not None:
        conditions.append(DecisionEntry.decided_on >= query.date_from)
    if query.date_to is not None:
        conditions.append(DecisionEntry.decided_on <= query.date_to)
    for column, value in (
        (DecisionEntry.session_id, query.session_id),
        (DecisionEntry.committee_id, query.committee_id),
        (DecisionEntry.initiator_id, query.initiator_id),
        (DecisionEntry.effect, query.effect),
        (DecisionEntry.status, query.status),
    ):
        if value is not None:
            conditions.append(column == value)
    return statement.where(*conditions) if conditions else statement


def _hit(entry: DecisionEntry, title: str, fields: dict[str, Any], terms: Sequence[frozenset[str]]) -> Hit:
    body = fields.get("body") if isinstance(fields.get("body"), str) else ""
    passage, where = snippet(body or "", terms), "body"
    if terms and not any(part.found for part in passage) and entry.files_text:
        from_files = snippet(entry.files_text, terms)
        if any(part.found for part in from_files):
            passage, where = from_files, "files"
    return Hit(
        document_id=entry.document_id,
        official_number=entry.official_number,
        decided_on=entry.decided_on,
        status=entry.status,
        effect=entry.effect,
        title=highlighted(title, terms),
        snippet=passage,
        snippet_from=where,
    )


def listed_sessions(session: Session) -> list[tuple[int, int]]:
    """(session document id, count of decisions) of the sessions the registry has decisions of."""
    rows = session.execute(
        select(DecisionEntry.session_id, func.count())
        .where(DecisionEntry.session_id.is_not(None))
        .group_by(DecisionEntry.session_id)
    ).all()
    return [(int(session_id), int(count)) for session_id, count in rows if session_id is not None]


def listed_values(session: Session, column: Any) -> list[Any]:
    """The distinct values one column of the index holds (the filters offer only those)."""
    return list(session.scalars(select(column).where(column.is_not(None)).distinct()))
