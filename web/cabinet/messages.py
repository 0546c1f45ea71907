"""The deputy's side of citizens' messages: the inbox of messages waiting for an answer, with their age and due
date, and a message's page to mark it read and answer it publicly (shown on the deputy's public page, without
the citizen's name or address) or privately (to the citizen only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from web.auth.views import signed_in
from web.cabinet import bp
from web.database import db
from web.extension import radaflow
from web.i18n import say
from workflow.council.messages.messages import KIND, answer, inbox, read_message
from workflow.engine.models import Document
from workflow.timeutil import as_utc, utcnow

#: the longest answer the form takes
MAX_ANSWER_LENGTH = 10000


@bp.get("/cabinet/messages")
@login_required  # type: ignore[untyped-decorator]
def messages() -> ResponseReturnValue:
    user = signed_in()
    assert user is not None
    now = utcnow()
    registry = radaflow().registry
    entries = [
        {
            "message": entry.message,
            "age_days": entry.age_days,
            "due_at": entry.due_at,
            "overdue": entry.due_at is not None and as_utc(entry.due_at) < now,
            "state": say(
                registry.get(entry.message.kind, entry.message.definition_version, db())
                .state(entry.message.state)
                .title
            ),
        }
        for entry in inbox(db(), user.id, now)
    ]
    return render_template("cabinet/messages.html", entries=entries)


@bp.get("/cabinet/messages/<id:document_id>")
@login_required  # type: ignore[untyped-decorator]
def message(document_id: int) -> ResponseReturnValue:
    return _page(_addressed(document_id))


@bp.post("/cabinet/messages/<id:document_id>/read")
@login_required  # type: ignore[untyped-decorator]
def read_citizens_message(document_id: int) -> ResponseReturnValue:
    found = _addressed(document_id)
    user = signed_in()
    assert user is not None
    read_message(db(), found, user.actor())
    return redirect(url_for("cabinet.message", document_id=document_id))


@bp.post("/cabinet/messages/<id:document_id>/answer")
@login_required  # type: ignore[untyped-decorator]
def answer_message(document_id: int) -> ResponseReturnValue:
    """The answer, public or private; the page again with the reason (nothing written) when it is refused."""
    found = _addressed(document_id)
    user = signed_in()
    assert user is not None
    text = request.form.get("answer", "")
    visibility = request.form.get("visibility", "")
    error = None
    if not text.strip():
        error = _("Write the answer.")
    elif len(text) > MAX_ANSWER_LENGTH:
        error = _("An answer is at most %(n)s characters.", n=MAX_ANSWER_LENGTH)
    elif visibility not in ("public", "private"):
        error = _("Choose whether the answer is public or private.")
    if error is not None:
        return _page(found, error=error, text=text), 422
    answer(db(), found, user.actor(), text, public=visibility == "public")
    flash(_("The answer is sent to the citizen.") if visibility == "private" else _("The answer is published."))
    return redirect(url_for("cabinet.messages"))


def _addressed(document_id: int) -> Document:
    """A citizen's message addressed to the signed-in deputy; anything else is not found."""
    user = signed_in()
    found = db().get(Document, document_id)
    if user is None or found is None or found.kind != KIND or found.fields.get("deputy_id") != user.id:
        abort(404)
    return found


def _page(found: Document, *, error: str | None = None, text: str = "") -> str:
    compiled = radaflow().registry.get(found.kind, found.definition_version, db())
    return render_template(
        "cabinet/message.html",
        message=found,
        state=say(compiled.state(found.state).title),
        age_days=(utcnow() - as_utc(found.created_at)).days,
        error=error,
        text=text,
        max_answer=MAX_ANSWER_LENGTH,
    )
