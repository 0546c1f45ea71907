"""Where a document's page sends the person for what it does not do itself: the action done at a workplace of its
own (sending a draft to committees, closing a sitting, an agenda item's moves at the console), and the sitting's
workplaces a session's page leads to — the secretary's session page and console, a member's own page of the
sitting, where they see the question held open for them and declare a conflict of interest."""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for
from flask_babel import gettext as _

from web.auth.views import signed_in
from web.cabinet import bp
from web.database import db
from workflow.council.organisation.queries import council_members
from workflow.council.sittings.models import AgendaItem
from workflow.engine.models import Document
from workflow.timeutil import utcnow

#: a session's stages in which its sitting's workplaces are open
SITTING_STATES = ("convened", "in_progress")


def _console_of_item(item: Document) -> str | None:
    detail = db().get(AgendaItem, item.id)
    return None if detail is None else url_for("cabinet.sitting", document_id=detail.session_id)


def _committee_of_conclusion(conclusion: Document) -> str | None:
    committee_id = conclusion.fields.get("committee_id")
    return url_for("cabinet.committee", committee_id=committee_id) if isinstance(committee_id, int) else None


#: per (kind, trigger) — a trigger of None: every action of the kind — the address of the workplace it is done at
WORKPLACES: dict[tuple[str, str | None], Callable[[Document], str | None]] = {
    ("decision_draft", "send_to_committees"): lambda d: url_for("cabinet.referral", document_id=d.id),
    ("decision_draft", "put_on_agenda"): lambda _d: url_for("cabinet.sessions"),
    ("amendment", "give_opinion"): lambda d: url_for("cabinet.amendment_change", document_id=d.id),
    ("committee_conclusion", "discuss"): _committee_of_conclusion,
    ("session", "close"): lambda d: url_for("cabinet.session_page", session_id=d.id, _anchor="close"),
    ("agenda_item", None): _console_of_item,
}


@bp.app_template_global()
def workplace_of(document: Document, trigger: str) -> str | None:
    """Where an action the document page does not do is done, if the cabinet has a workplace for it."""
    address = WORKPLACES.get((document.kind, trigger)) or WORKPLACES.get((document.kind, None))
    return None if address is None else address(document)


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
