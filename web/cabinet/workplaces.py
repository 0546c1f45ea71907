"""Where an action the document page does not do is done: the workplace it belongs to, and its address.

The document page offers as a form every action it can take itself; the others need a workplace — the session's
builder or its sitting console, a committee meeting, the draft's referral, an amendment's change — and the page
links to the one this document is at."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from web.cabinet import bp
from web.database import db
from workflow.council.committees.models import MeetingPaper
from workflow.council.sittings.models import AgendaItem
from workflow.engine.models import Document

#: actions done at a workplace of the document itself: (kind, trigger) -> the endpoint, given the document's id
OWN = {
    ("decision_draft", "send_to_committees"): "cabinet.referral",
    ("amendment", "give_opinion"): "cabinet.amendment_change",
    ("amendment", "submit"): "cabinet.amendment_change",
    ("committee_meeting", "open"): "cabinet.meeting",
    ("committee_meeting", "close"): "cabinet.meeting",
    ("committee_meeting", "cancel"): "cabinet.meeting",
    ("session", "close"): "cabinet.sitting",
}
#: what the council decides at its sitting, by the kind of the document decided on
DECIDED_AT_SITTING = {
    "agenda_item": {"consider", "adopt", "reject", "postpone", "remove"},
    "decision_draft": {"adopt", "reject", "postpone"},
    "amendment": {"adopt", "reject"},
}


@bp.app_template_global()
def workplace_of(document: Document, trigger: str) -> str | None:
    """The address of the workplace where `trigger` is done for the document, or None if it is at none yet."""
    endpoint = OWN.get((document.kind, trigger))
    if endpoint is not None:
        return url_for(endpoint, document_id=document.id)
    if document.kind == "session" and trigger == "cancel":
        return url_for("cabinet.session_page", session_id=document.id)
    if document.kind == "decision_draft" and trigger == "put_on_agenda":
        return url_for("cabinet.sessions")  # the secretary chooses the session on whose agenda it goes
    if document.kind == "agenda_item" and trigger == "include":
        plenary = _session_of_item(document.id)
        return None if plenary is None else url_for("cabinet.session_page", session_id=plenary)
    if trigger in DECIDED_AT_SITTING.get(document.kind, ()):
        plenary = _session_deciding(document)
        return None if plenary is None else url_for("cabinet.sitting", document_id=plenary)
    if document.kind == "committee_conclusion" and trigger == "discuss":
        meeting = db().scalar(
            select(MeetingPaper.meeting_id)
            .where(MeetingPaper.conclusion_id == document.id)
            .order_by(MeetingPaper.id.desc())
            .limit(1)
        )
        return None if meeting is None else url_for("cabinet.meeting", document_id=meeting)
    return None


def _session_of_item(item_id: int) -> int | None:
    return db().scalar(select(AgendaItem.session_id).where(AgendaItem.document_id == item_id))


def _session_deciding(document: Document) -> int | None:
    """The session whose sitting decides on the document: an item's own; a draft's current item's (the item of
    its latest move onto an agenda); an amendment's draft's."""
    if document.kind == "agenda_item":
        return _session_of_item(document.id)
    draft_id = document.parent_id if document.kind == "amendment" else document.id
    if draft_id is None:
        return None
    return db().scalar(
        select(AgendaItem.session_id)
        .where(AgendaItem.draft_id == draft_id)
        .order_by(AgendaItem.draft_version.desc())
        .limit(1)
    )
