"""Atom feeds (RFC 4287, written by feedgen): new decisions, drafts opened for public discussion, and a deputy's
public answers. Each entry's id is a tag URI (RFC 4151) built from the site's host, the day the document was
made and what the entry announces, so it stays the same however often the feed is read and wherever the pages
move; `updated` is the moment of the move it announces."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator
from flask import Response, abort, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from web.database import db
from web.extension import radaflow
from web.i18n import current
from web.public import bp
from web.public.people import document_link
from workflow.council.deputies.profiles import get_deputy
from workflow.council.feeds import drafts_opened, new_decisions
from workflow.council.messages.answers import public_answers
from workflow.council.organisation.queries import the_council
from workflow.errors import NotFound

ATOM = "application/atom+xml"
#: the `updated` of a feed with no entry yet: fixed, so an empty feed reads the same every time
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    link: str
    updated: datetime
    content: str


def tag(made: datetime, specific: str) -> str:
    """`tag:rada.example,2026-03-02:radaflow/decision/12`: the site's host, the day the thing was made."""
    host = urlsplit(radaflow().settings.base_url).hostname or "localhost"
    return f"tag:{host},{made:%Y-%m-%d}:radaflow/{specific}"


def atom(feed_id: str, title: str, page: str, entries: Iterable[Entry]) -> Response:
    listed = list(entries)
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.language(current())
    feed.link(href=request.url, rel="self", type=ATOM)
    feed.link(href=page, rel="alternate", type="text/html")
    try:
        feed.author({"name": the_council(db()).name})
    except NotFound:
        feed.author({"name": "Radaflow"})
    feed.updated(max((e.updated for e in listed), default=EPOCH))
    for entry in listed:
        item = feed.add_entry(order="append")
        item.id(entry.id)
        item.title(entry.title)
        item.link(href=entry.link, rel="alternate", type="text/html")
        item.updated(entry.updated)
        item.content(entry.content, type="text")
    return Response(feed.atom_str(pretty=True), mimetype=ATOM)


@bp.get("/feeds/decisions.atom")
def decisions_feed() -> ResponseReturnValue:
    entries = (
        Entry(
            id=tag(d.created_at, f"decision/{d.document_id}"),
            title=f"{d.number} {d.title}".strip(),
            link=document_link("public.decision", d.document_id, external=True),
            updated=d.at,
            content=d.text,
        )
        for d in new_decisions(db())
    )
    home = url_for("public.index", _external=True)
    return atom(tag(EPOCH, "decisions"), _("New decisions of the council"), home, entries)


@bp.get("/feeds/drafts.atom")
def drafts_feed() -> ResponseReturnValue:
    entries = (
        Entry(
            id=tag(d.created_at, f"draft/{d.document_id}/opened/{d.version}"),
            title=d.title,
            link=document_link("public.draft", d.document_id, external=True),
            updated=d.at,
            content=d.text,
        )
        for d in drafts_opened(db())
    )
    home = url_for("public.index", _external=True)
    return atom(tag(EPOCH, "drafts"), _("Drafts opened for public discussion"), home, entries)


@bp.get("/deputies/<id:person_id>/answers.atom")
def deputy_answers_feed(person_id: int) -> ResponseReturnValue:
    try:
        deputy = get_deputy(db(), person_id)
    except NotFound:
        abort(404)
    page = url_for("public.deputy", person_id=person_id, _external=True)
    entries = (
        Entry(
            id=tag(a.asked_at, f"answer/{a.message_id}"),
            title=a.subject,
            link=f"{page}#answer-{a.message_id}",
            updated=a.answered_at,
            content=f"{a.question}\n\n— {a.answer}",
        )
        for a in public_answers(db(), person_id, limit=50)
    )
    title = _("Public answers of %(name)s", name=deputy.full_name)
    return atom(tag(EPOCH, f"deputy/{person_id}/answers"), title, page, entries)
