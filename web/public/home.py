"""The front page: what a citizen looks for first — the next session with its agenda, the latest decisions, the
drafts open for public discussion with the working days left, and a search of the decisions."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from web.database import db
from web.public import bp
from web.public.presenting import helpers
from workflow.council.organisation.models import Council
from workflow.council.public.front import latest_decisions, open_for_discussion
from workflow.council.public.sessions import agenda_titles, next_session
from workflow.timeutil import utcnow

#: the drafts in public discussion the front page lists, the soonest to close first (all of them are on /drafts)
DISCUSSED_SHOWN = 10


@bp.get("/")
def index() -> str:
    session = db()
    now = utcnow()
    coming = next_session(session, now)
    return render_template(
        "public/home.html",
        council=session.scalar(select(Council).order_by(Council.id).limit(1)),
        coming=coming,
        agenda=[] if coming is None else agenda_titles(session, coming),
        decisions=latest_decisions(session),
        discussed=open_for_discussion(session, now, limit=DISCUSSED_SHOWN + 1),
        discussed_shown=DISCUSSED_SHOWN,
        **helpers(),
    )
