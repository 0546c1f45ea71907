"""Where a document's page sends the person for what it does not do itself — the action done at a workplace of
its own (sending a draft to committees, what the sitting decides at its console, a committee meeting's moves) —
and the sitting's workplaces a session's page leads to: the secretary's session page and console, a member's own
page of the sitting, where they see the question held open for them and declare a conflict of interest."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from web.auth.views import signed_in
from web.cabinet import bp
from web.database import db
from workflow.council.committees.models import MeetingPaper
from workflow.council.organisation.queries import council_members
from workflow.council.sittings.models import AgendaItem
from workflow.engine.models import Document
from workflow.timeutil import utcnow

#: a session's stages in which its sitting's workplaces are open
SITTING_STATES = ("convened", "in_progress")

#: actions done at a workplace of the document itself: (kind, trigger) -> the endpoint, given the document's id
OWN = {
    ("decision_draft", "send_to_committees"): "cabinet.referral",
    ("amendment", "give_opinion"): "cabinet.amendment_change",
    ("amendment", "submit"): "cabinet.amendment_change",
    ("committee_meeting", "open"): "cabinet.meeting",
    ("committee_meeting", "close"): "cabinet.meeting",
    ("committee_meeting", "cancel"): "cabinet.meeting",
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
    if document.kind == "session" and trigger == "close":  # the sitting is closed from the session's page
        return url_for("cabinet.session_page", session_id=document.id, _anchor="close")
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
        if meeting is not None:
            return url_for("cabinet.meeting", document_id=meeting)
        committee_id = document.fields.get("committee_id")  # not on a meeting yet: the committee plans one
        return url_for("cabinet.committee", committee_id=committee_id) if isinstance(committee_id, int) else None
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


@bp.app_template_global()
def sitting_links(document: Document) -> list[tuple[str, str]]:
    """The sitting's workplaces a session's page leads to, for its reader: (label, address)."""
    user = signed_in()
    if user is None or document.kind != "session":
        return []
    links: list[tuple[str, str]] = []
    if user.actor().holds("secretary"):
        links.append(
            (_("The session's agenda, closing and protocol"), url_for("cabinet.session_page", session_id=document.id))
        )
        if document.state in SITTING_STATES:
            links.append((_("The sitting's console"), url_for("cabinet.sitting", document_id=document.id)))
    if document.state in SITTING_STATES and user.id in council_members(db(), utcnow()):
        links.append((_("My vote at the sitting"), url_for("cabinet.my_vote", document_id=document.id)))
    return links
