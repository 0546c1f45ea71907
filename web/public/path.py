"""The decision's path for the public pages: `path_for(document)` gives the `path` that the partial
`public/_decision_path.html` shows (the decision page includes it with `{% include "public/_decision_path.html" %}`
and `path` in its context), and `roll_call_of(vote)` the `vote` of `public/_roll_call.html`."""

from __future__ import annotations

from web.database import db
from workflow.council.path.path import DecisionPath, RollCall, decision_path, roll_call
from workflow.council.sittings.models import Vote
from workflow.engine.models import Document
from workflow.timeutil import utcnow


def path_for(document: Document) -> DecisionPath:
    """The public path of a decision (or of a draft on its way to one). The caller has checked that the public
    may read the document (`workflow.council.access.may_read` with no reader)."""
    return decision_path(db(), document, now=utcnow())


def roll_call_of(vote: Vote) -> RollCall:
    """A recorded vote as the roll-call partial shows it (a session's page shows every vote so)."""
    return roll_call(db(), vote)
