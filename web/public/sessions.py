"""The council's sessions for the public: `/sessions`, a calendar by month and the list of every session, and
`/sessions/<id>`, a session's agenda, attendance, roll calls and papers to download."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from babel.dates import get_day_names
from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from web.database import db
from web.i18n import current
from web.public import bp
from web.public.presenting import helpers, month
from workflow import i18n
from workflow.council.law import KYIV
from workflow.council.public.sessions import SessionSummary, public_session, public_sessions, session_sheet
from workflow.i18n import local_date
from workflow.timeutil import as_utc, utcnow

#: the months a calendar is shown for (years the council could have met in)
FIRST_YEAR, LAST_YEAR = 1991, 2200


@dataclass(frozen=True)
class Day:
    day: date
    in_month: bool
    sessions: list[SessionSummary]


def _month_asked() -> date | None:
    """The month of `?month=YYYY-MM`, this month in Kyiv when absent, None when it is not a month."""
    asked = request.args.get("month")
    if asked is None:
        return local_date(utcnow()).replace(day=1)
    try:
        year, month = (int(part) for part in asked.split("-"))
        if not FIRST_YEAR <= year <= LAST_YEAR or len(asked) != 7:
            return None
        return date(year, month, 1)
    except ValueError:
        return None


def _kyiv_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=KYIV)


def _weeks(first: date, summaries: list[SessionSummary]) -> list[list[Day]]:
    by_day: dict[date, list[SessionSummary]] = {}
    for summary in summaries:
        by_day.setdefault(local_date(summary.plenary.starts_at), []).append(summary)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [[Day(d, d.month == first.month, by_day.get(d, [])) for d in week] for week in weeks]


@bp.get("/sessions")
def sessions() -> ResponseReturnValue:
    first = _month_asked()
    if first is None:
        message = _("The month is written as year and month, e.g. %(example)s.", example="2026-03")
        return render_template("message.html", title=_("No such month"), message=message), 422
    after = (first + timedelta(days=32)).replace(day=1)
    before = (first - timedelta(days=1)).replace(day=1)
    session = db()
    in_month = public_sessions(session, start=_kyiv_midnight(first), end=_kyiv_midnight(after))
    every = public_sessions(session)
    now = utcnow()
    upcoming = [s for s in every if as_utc(s.plenary.starts_at) >= now or s.document.state == "in_progress"]
    coming = {s.id for s in upcoming}
    past = [s for s in reversed(every) if s.id not in coming]
    names = get_day_names("abbreviated", locale=i18n.babel_locale(current()))
    long_names = get_day_names("wide", locale=i18n.babel_locale(current()))
    return render_template(
        "public/sessions.html",
        first=first,
        month_title=month(first),
        weeks=_weeks(first, in_month),
        in_month=in_month,
        weekdays=[(names[n], long_names[n]) for n in range(7)],
        previous=before if before.year >= FIRST_YEAR else None,
        next=after if after.year <= LAST_YEAR else None,
        upcoming=upcoming,
        past=past,
        today=local_date(now),
        **helpers(),
    )


@bp.get("/sessions/<id:document_id>")
def session_page(document_id: int) -> ResponseReturnValue:
    summary = public_session(db(), document_id)
    if summary is None:
        abort(404)
    return render_template("public/session.html", sheet=session_sheet(db(), summary), s=summary, **helpers())
