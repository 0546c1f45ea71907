"""The public registry of decisions (`/decisions`: full-text search, filters, order, pages) and a decision's page
(`/decisions/<id>`: number, date, title, text, files with their SHA-256, legal status and the decisions that change
it or that it changes), with its files to download. Only what the law makes public: a decision the registry lists;
anything else is a plain 404, whoever asks."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from babel.numbers import format_decimal
from flask import Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from web.database import db
from web.extension import radaflow
from web.i18n import current as current_language
from web.i18n import say
from web.ids import parse_ids
from web.public import bp
from web.public.path import path_for
from workflow import i18n
from workflow.council.decisions import search as registry
from workflow.council.decisions.index import DECISION_STATES, KIND, index_decision, is_listed
from workflow.council.decisions.models import DecisionEntry
from workflow.council.decisions.status import legal_status
from workflow.council.organisation.models import Committee
from workflow.council.sittings.models import PlenarySession
from workflow.engine.models import Document
from workflow.files import DocumentFile, list_files
from workflow.people import Person

#: the characters of a query read at most (a longer one is cut there; its words beyond MOST_WORDS are ignored)
QUERY_CHARS = 10_000
#: the id filters, by the query-string name they go by
ID_FILTERS = ("session", "committee", "initiator")


@bp.get("/decisions")
def decisions() -> ResponseReturnValue:
    query, errors, typed = _query(request.args)
    session = db()
    results = None if errors else registry.search(session, query)
    page = render_template(
        "public/decisions.html",
        typed=typed,
        errors=errors,
        results=results,
        query=query,
        options=_options(),
        state_titles=_state_titles(),
        effect_titles=effect_titles(),
        most_words=registry.MOST_WORDS,
        page_url=lambda number: url_for("public.decisions", **{**_kept(request.args), "page": number}),
        day=_day,
    )
    return (page, 422) if errors else page


@bp.get("/decisions/<id:document_id>")
def decision(document_id: int) -> ResponseReturnValue:
    session = db()
    found, entry = _listed(document_id)
    plenary = session.get(PlenarySession, entry.session_id) if entry.session_id is not None else None
    committee = session.get(Committee, entry.committee_id) if entry.committee_id is not None else None
    initiator = session.get(Person, entry.initiator_id) if entry.initiator_id is not None else None
    body = found.fields.get("body")
    return render_template(
        "public/decision.html",
        document=found,
        entry=entry,
        body=body if isinstance(body, str) else "",
        status=legal_status(session, found),
        plenary=plenary,
        committee=committee,
        initiator=initiator,
        files=list_files(session, found.id),
        path=path_for(found),
        state_titles=_state_titles(),
        day=_day,
        kilobytes=lambda size: format_decimal(round(size / 1024, 1), locale=i18n.babel_locale(current_language())),
    )


@bp.get("/decisions/<id:document_id>/files/<id:file_id>")
def decision_file(document_id: int, file_id: int) -> ResponseReturnValue:
    found, _entry = _listed(document_id)
    stored = db().get(DocumentFile, file_id)
    if stored is None or stored.document_id != found.id:
        abort(404)
    content = stored.content
    if hashlib.sha256(content).hexdigest() != stored.sha256:  # never hand out a file that is not what was stored
        message = _("The file's content does not match its checksum; tell the administrator.")
        return render_template("message.html", title=_("The file is damaged"), message=message), 500
    response = Response(content, mimetype=stored.media_type)
    fallback = f"{stored.name}-v{stored.version}{PurePosixPath(stored.filename).suffix}"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(stored.filename, safe='')}"
    )
    response.set_etag(stored.sha256)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _listed(document_id: int) -> tuple[Document, DecisionEntry]:
    """The decision, if the registry lists it; a 404 for anything else (a draft, a decision no longer public)."""
    session = db()
    found = session.get(Document, document_id)
    if found is None or found.kind != KIND or not is_listed(session, found):
        abort(404)
    entry = session.get(DecisionEntry, found.id)
    if entry is None:  # listed but not indexed yet (an index not rebuilt after an upgrade): the page still stands
        entry = index_decision(session, found)
        if entry is None:
            abort(404)
    return found, entry


def _query(args: Mapping[str, str]) -> tuple[registry.Query, list[str], dict[str, str]]:
    """The registry's query from the address, what was wrong with it (in the reader's language), and what was typed
    (to show in the form again)."""
    typed = {name: args.get(name, "")[:QUERY_CHARS] for name in ("q", "from", "to", *ID_FILTERS, "kind", "status")}
    typed["sort"] = args.get("sort", "")
    errors: list[str] = []
    values: dict[str, Any] = {"text": typed["q"]}
    for name, key, label in (("from", "date_from", _("Date from")), ("to", "date_to", _("Date to"))):
        if typed[name]:
            try:
                values[key] = date.fromisoformat(typed[name])
            except ValueError:
                errors.append(_("%(field)s: a date is written as YYYY-MM-DD, e.g. 2026-03-18.", field=label))
    if values.get("date_from") and values.get("date_to") and values["date_from"] > values["date_to"]:
        errors.append(_("The period ends before it begins: swap the dates."))
    labels = {"session": _("Session"), "committee": _("Committee"), "initiator": _("Initiator")}
    for name in ID_FILTERS:
        if typed[name]:
            ids = parse_ids([typed[name]])
            if ids is None:
                errors.append(_("%(field)s: choose one from the list.", field=labels[name]))
            else:
                values[f"{name}_id"] = ids[0]
    if typed["kind"]:
        if typed["kind"] in registry.EFFECTS:
            values["effect"] = typed["kind"]
        else:
            errors.append(_("%(field)s: choose one from the list.", field=_("Kind")))
    if typed["status"]:
        if typed["status"] in DECISION_STATES:
            values["status"] = typed["status"]
        else:
            errors.append(_("%(field)s: choose one from the list.", field=_("Status")))
    if typed["sort"] and typed["sort"] not in registry.SORTS:
        errors.append(_("%(field)s: choose one from the list.", field=_("Sort by")))
    sort = typed["sort"] or "relevance"
    page = args.get("page", "1")
    if not (page.isascii() and page.isdigit()) or len(page) > 6:
        errors.append(_("The page is a number, e.g. 2."))
    else:
        values["page"] = max(1, int(page))
    values["sort"] = sort if sort in registry.SORTS else "relevance"
    return registry.Query(**values), errors, typed


def _kept(args: Mapping[str, str]) -> dict[str, str]:
    """The query's parameters to keep in the links to other pages."""
    return {name: args[name] for name in ("q", "from", "to", *ID_FILTERS, "kind", "status", "sort") if args.get(name)}


def _options() -> dict[str, list[tuple[int, str]]]:
    """What each id filter offers: only what the registry has decisions of (committees: the council's)."""
    session = db()
    counted = dict(registry.listed_sessions(session))
    sessions = session.scalars(
        select(PlenarySession)
        .where(PlenarySession.document_id.in_(list(counted)))
        .order_by(PlenarySession.starts_at.desc())
    ).all()
    initiators = registry.listed_values(session, DecisionEntry.initiator_id)
    english = current_language() == "en"
    return {
        "session": [
            (
                plenary.document_id,
                _("Session № %(number)s, %(day)s", number=plenary.number, day=_day(plenary.starts_at)),
            )
            for plenary in sessions
        ],
        "committee": [
            (committee.id, (committee.name_en if english and committee.name_en else committee.name))
            for committee in session.scalars(select(Committee).order_by(Committee.name))
        ],
        "initiator": [
            (person.id, person.full_name)
            for person in session.scalars(select(Person).where(Person.id.in_(initiators)).order_by(Person.full_name))
        ],
    }


def _state_titles() -> dict[str, str]:
    compiled = radaflow().registry.current(KIND)
    return {state: say(compiled.state(state).title) for state in DECISION_STATES}


def effect_titles() -> dict[str, str]:
    return {
        "new": _("New regulation"),
        "amends": _("Amends earlier decisions"),
        "repeals": _("Repeals earlier decisions"),
    }


def _day(value: Any) -> str:
    return "" if value is None else i18n.day(value, current_language())
