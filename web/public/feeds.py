"""The iCalendar feeds (RFC 5545) a citizen subscribes to: `/sessions.ics`, every public plenary session and
every committee's meeting, and `/committees/<id>.ics`, a committee's calendar
(`workflow.council.public.events.committee_events`: the sessions that consider its drafts, and its meetings).

Every event keeps its UID for good, so a subscribed calendar updates it in place; a cancelled session or meeting
stays in the feed with STATUS:CANCELLED and a higher SEQUENCE. Times are written in Europe/Kyiv with its
VTIMEZONE.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, abort, request
from flask_babel import gettext as _
from icalendar import Calendar, Event, vText
from sqlalchemy import select

from web.database import db
from web.i18n import current
from web.public import bp
from web.public.presenting import session_kind
from workflow.council.law import KYIV
from workflow.council.organisation.models import Committee
from workflow.council.organisation.queries import the_council
from workflow.council.public.events import COMMITTEE_MEETING, CalendarEvent, committee_events, council_events
from workflow.errors import NotFound
from workflow.timeutil import as_utc

#: the domain part of every UID: the same for the life of the data, whatever host serves the feed
UID_DOMAIN = "radaflow"
PRODID = "-//Radaflow//Council sessions//UK"
MEDIA_TYPE = "text/calendar; charset=utf-8"


def uid(event: CalendarEvent, council_id: int) -> str:
    return f"{event.key}.council-{council_id}@{UID_DOMAIN}"


def calendar_of(events: Sequence[CalendarEvent], name: str) -> bytes:
    council = _council_id()
    committees = _committee_names({event.committee_id for event in events if event.committee_id is not None})
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Kyiv")
    for event in events:
        entry = Event()
        entry.add("uid", uid(event, council))
        # no METHOD: DTSTAMP is when the event's information last changed in the council's record
        entry.add("dtstamp", as_utc(event.changed_at))
        entry.add("last-modified", as_utc(event.changed_at))
        entry.add("dtstart", as_utc(event.starts_at).astimezone(KYIV))
        entry.add("dtend", as_utc(event.ends_at).astimezone(KYIV))
        entry.add("summary", _summary(event, committees))
        entry.add("location", vText(event.place))
        entry.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
        entry.add("sequence", event.sequence)
        entry.add("url", request.url_root.rstrip("/") + event.path)
        if event.agenda:
            agenda = "\n".join(f"{n}. {title}" for n, title in enumerate(event.agenda, start=1))
            entry.add("description", f"{_('Agenda')}:\n{agenda}")
        calendar.add_component(entry)
    if events:  # the zone's rules over the years the events span (a year either side), not since 1970
        first = min(event.starts_at for event in events).date()
        last = max(event.ends_at for event in events).date()
        calendar.add_missing_timezones(
            first_date=first.replace(year=first.year - 1, day=1), last_date=last.replace(year=last.year + 1, day=1)
        )
    return bytes(calendar.to_ical())


def _summary(event: CalendarEvent, committees: dict[int, str]) -> str:
    if event.kind == COMMITTEE_MEETING and event.committee_id is not None:
        summary = _("Committee meeting: %(committee)s", committee=committees.get(event.committee_id, ""))
    else:
        summary = _("Session № %(number)s (%(kind)s)", number=event.number, kind=session_kind(event.kind))
    return str(_("Cancelled: %(summary)s", summary=summary)) if event.status == "cancelled" else str(summary)


def _committee_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    found = db().scalars(select(Committee).where(Committee.id.in_(ids)))
    return {committee.id: _name(committee) for committee in found}


def _name(committee: Committee) -> str:
    """The committee's name in the reader's language (Ukrainian where it has no English one)."""
    return committee.name_en if current() == "en" and committee.name_en else committee.name


def _council_id() -> int:
    try:
        return the_council(db()).id
    except NotFound:
        return 0


def _feed(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = MEDIA_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/sessions.ics")
def sessions_feed() -> Response:
    body = calendar_of(council_events(db()), _("Sessions of the council"))
    return _feed(body, "sessions.ics")


@bp.get("/committees/<id:committee_id>.ics")
def committee_feed(committee_id: int) -> Response:
    committee = db().get(Committee, committee_id)
    if committee is None:
        abort(404)
    body = calendar_of(committee_events(db(), committee_id), _name(committee))
    return _feed(body, f"committee-{committee_id}.ics")
