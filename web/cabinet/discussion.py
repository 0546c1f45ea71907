"""The public discussion beside the draft in the cabinet: on a draft's document page, the lead committee's chair,
secretary and members and the council's secretary read the citizens' comments (the partial
`cabinet/_discussion.html`), and the secretary hides one that breaks the rules, saying why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from web.auth.views import signed_in
from web.cabinet import bp
from web.database import db
from workflow.council.discussion import discussion
from workflow.council.discussion.models import DiscussionComment
from workflow.council.drafts.drafts import lead_committee_id
from workflow.council.organisation.queries import COMMITTEE_ROLES
from workflow.engine.models import Document
from workflow.people import Actor
from workflow.timeutil import utcnow


@dataclass(frozen=True)
class Beside:
    """What the cabinet shows of a draft's discussion to one reader."""

    comments: list[DiscussionComment]
    tally: discussion.Tally
    #: whether the reader moderates (the secretary): then each comment has its form to hide it
    moderates: bool
    limit: int = discussion.MAX_TEXT


def discussion_beside(document: Document) -> Beside | None:
    """The draft's comments for a reader of the lead committee or the secretary; None for anyone else, and for
    a draft that was never discussed."""
    user = signed_in()
    if user is None or document.kind != discussion.DRAFT:
        return None
    actor = user.actor()
    if not (actor.holds(discussion.MODERATOR) or _in_lead_committee(document, actor)):
        return None
    session = db()
    if discussion.published_at(session, document) is None:
        return None
    return Beside(
        discussion.comments_of(session, document.id),
        discussion.tally(session, document.id),
        moderates=actor.holds(discussion.MODERATOR),
    )


def _in_lead_committee(document: Document, actor: Actor) -> bool:
    lead = document.fields.get("lead_committee_id")
    if not isinstance(lead, int):
        lead = lead_committee_id(db(), document)
    return lead is not None and any(actor.holds_for(role, lead) for role in COMMITTEE_ROLES)


@bp.context_processor
def _beside() -> dict[str, Any]:
    return {"discussion_beside": discussion_beside}


@bp.post("/documents/<id:document_id>/comments/<id:comment_id>/hide")
@login_required  # type: ignore[untyped-decorator]
def hide(document_id: int, comment_id: int) -> ResponseReturnValue:
    """The secretary hides a comment with a reason; a refusal is said with the reason and changes nothing."""
    user = signed_in()
    assert user is not None
    session = db()
    draft = session.get(Document, document_id)
    if draft is None or draft.kind != discussion.DRAFT:
        abort(404)
    comment = discussion.get_comment(session, draft, comment_id)
    discussion.hide_comment(session, draft, comment, user.actor(), request.form.get("reason", ""), now=utcnow())
    flash(_("The comment is hidden; the public sees the reason."))
    return redirect(url_for("cabinet.document", document_id=document_id, _anchor="discussion"))
