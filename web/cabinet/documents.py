"""The document page every notification links to (`/documents/<id>`): its stage, due date, fields, related
documents, rendered files and history, and the actions the reader may do from it. Opening a document marks the
reader's notifications about it read.

Whether a document exists is told to nobody who may not read it: a stranger is sent to sign in whatever the id,
and a signed-in reader without access gets the very answer a missing document gets (404)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

from babel.numbers import format_decimal
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from werkzeug.exceptions import NotFound as PageNotFound

from web.auth.views import login_manager, signed_in
from web.cabinet import bp
from web.cabinet.actions import assumed_guards, input_labels
from web.cabinet.presenting import children, fields, history, local, related, title_of
from web.database import db
from web.diagram import state_diagram
from web.errors import status_of
from web.extension import radaflow
from web.i18n import current as current_language
from web.i18n import say
from workflow import i18n, limits
from workflow.council import operations
from workflow.council.access import may_read, names_its_author_publicly, reads_in_full
from workflow.council.sittings.models import Decision
from workflow.engine import available_actions
from workflow.engine.models import Document
from workflow.errors import Conflict, InvalidInput, WorkflowError
from workflow.files import DocumentFile, list_files
from workflow.i18n import N_
from workflow.notifications import inbox
from workflow.notifications.models import Notification
from workflow.people import Actor, Person
from workflow.timeutil import utcnow


@bp.get("/documents/<id:document_id>")
def document(document_id: int) -> ResponseReturnValue:
    found = _readable(document_id)
    user = signed_in()
    if user is not None:  # what the reader was told about it is read now
        told = (
            db()
            .scalars(
                select(Notification.id).where(
                    Notification.person_id == user.id,
                    Notification.document_id == found.id,
                    Notification.read_at.is_(None),
                )
            )
            .all()
        )
        inbox.mark_read(db(), user.id, told, utcnow())
    return _page(found)


@bp.post("/documents/<id:document_id>/actions/<trigger>")
@login_required  # type: ignore[untyped-decorator]
def act(document_id: int, trigger: str) -> ResponseReturnValue:
    """Do one action from the document page. A refusal shows the page again with the reason and what was typed,
    and changes nothing."""
    found = _readable(document_id)
    user = signed_in()
    assert user is not None
    operation = operations.get(found.kind, trigger)
    inputs = {name: request.form.get(name, "") for name in (operation.inputs if operation else ())}
    comment = request.form.get("comment")
    try:
        if request.form.get("version") != str(found.version):
            raise Conflict(
                "cabinet.stale_page",
                N_("the document changed after you opened it: look at it again, then act"),
            )
        _check_lengths(comment, inputs)
        operations.perform(db(), found, trigger, user.actor(), comment=comment, inputs=inputs, now=utcnow())
    except WorkflowError as refusal:
        db().rollback()
        refused = db().get(Document, document_id)
        assert refused is not None
        return _page(refused, refusal=refusal, trigger=trigger, typed={"comment": comment or "", **inputs}), (
            status_of(refusal)
        )
    flash(_("Done: %(action)s.", action=_action_title(found, trigger)))
    return redirect(url_for("cabinet.document", document_id=document_id))


#: how long an input of an action's form may be (the comment: limits.COMMENT); the engine refuses longer texts
#: whoever sends them, the form says so before anything is tried
INPUT_LIMIT = limits.FIELD_TEXT


def _check_lengths(comment: str | None, inputs: Mapping[str, str]) -> None:
    if comment is not None and len(comment) > limits.COMMENT:
        raise InvalidInput(
            "cabinet.comment_too_long",
            N_("the comment has {length} characters; at most {limit} are kept"),
            length=len(comment),
            limit=limits.COMMENT,
        )
    for name, value in inputs.items():
        if len(value) > INPUT_LIMIT:
            raise InvalidInput(
                "cabinet.input_too_long",
                N_("'{name}' has {length} characters; at most {limit} are kept"),
                name=name,
                length=len(value),
                limit=INPUT_LIMIT,
            )


def _action_title(document: Document, trigger: str) -> str:
    compiled = radaflow().registry.get(document.kind, document.definition_version, db())
    return next((say(t.title) for t in compiled.definition.transitions if t.trigger == trigger), trigger)


def _page(
    found: Document,
    *,
    refusal: WorkflowError | None = None,
    trigger: str | None = None,
    typed: Mapping[str, str] | None = None,
) -> str:
    session = db()
    compiled = radaflow().registry.get(found.kind, found.definition_version, session)
    state = compiled.state(found.state)
    user = signed_in()
    actor = None if user is None else user.actor()
    # a public document's readers see what is published; what was said on its way is for those who read it in full
    full = reads_in_full(found, actor)
    return render_template(
        "cabinet/document.html",
        actions=[] if actor is None else _actions(found, actor),
        refusal=refusal,
        refused_trigger=trigger,
        typed=typed or {},
        limits={"comment": limits.COMMENT, "input": INPUT_LIMIT},
        document=found,
        kind_title=say(compiled.definition.title),
        state=state,
        number=session.scalar(select(Decision.official_number).where(Decision.draft_id == found.id)),
        author=None
        if found.author_id is None or not (full or names_its_author_publicly(found))
        else session.get(Person, found.author_id),
        due=local(found.due_at) if found.due_at is not None and not state.final else None,
        fields=fields(found),
        parent=related(found.parent_id, actor),
        children=children(found, actor),
        files=list_files(session, found.id),
        history=history(found, full=full),
        diagram=state_diagram(compiled, current_language(), found.state),
        local=local,
        kilobytes=lambda size: format_decimal(round(size / 1024, 1), locale=i18n.babel_locale(current_language())),
    )


@bp.get("/documents/<id:document_id>/files/<id:file_id>")
def file(document_id: int, file_id: int) -> ResponseReturnValue:
    found = _readable(document_id)
    stored = db().get(DocumentFile, file_id)
    if stored is None or stored.document_id != found.id:
        abort(404)
    content = stored.content
    if hashlib.sha256(content).hexdigest() != stored.sha256:  # never hand out a file that is not what was stored
        message = _("The file's content does not match its checksum; tell the administrator.")
        return render_template("message.html", title=_("The file is damaged"), message=message), 500
    response = Response(content, mimetype=stored.media_type)
    # for clients that read no UTF-8 file name: the file's kind and version, e.g. decision-v2.docx
    fallback = f"{stored.name}-v{stored.version}{PurePosixPath(stored.filename).suffix}"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{_quoted(stored.filename)}"
    )
    response.set_etag(stored.sha256)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _readable(document_id: int) -> Document:
    """The document, if the reader may read it. Otherwise, whether it exists or not, a stranger is sent to sign in
    (and back here afterwards), and a signed-in reader is told there is no such page: one answer for both."""
    session = db()
    found = session.get(Document, document_id)
    user = signed_in()
    actor: Actor | None = None if user is None else user.actor()
    if found is not None and may_read(session, found, actor):
        return found
    if user is None:
        abort(login_manager.unauthorized())
    raise PageNotFound


@dataclass(frozen=True)
class Button:
    """An action on the document page: a form when it can be done here and now, else why not or where."""

    trigger: str
    title: str
    allowed: bool
    reasons: tuple[str, ...]
    #: "required", "optional" or "none"
    comment: str
    #: inputs the form asks for besides the comment (name -> label); None when it is done at its own workplace
    inputs: Mapping[str, str] | None


def _actions(document: Document, actor: Actor) -> list[Button]:
    buttons = []
    for action in available_actions(db(), document, actor, assuming=assumed_guards(document.kind)):
        if _system_only(document, action.trigger):
            continue  # what only the system does (a deadline's automatic move) is no button of anyone's
        operation = operations.get(document.kind, action.trigger)
        if operation is not None and not operation.takes_comment and action.comment != "required":
            comment = "none"
        else:
            comment = action.comment
        buttons.append(
            Button(
                trigger=action.trigger,
                title=title_of(action),
                allowed=action.allowed,
                reasons=action.reasons,
                comment=comment,
                inputs=None if operation is None else input_labels(operation, document.kind, action.trigger),
            )
        )
    return buttons


def _system_only(document: Document, trigger: str) -> bool:
    compiled = radaflow().registry.get(document.kind, document.definition_version, db())
    return any(t.trigger == trigger and set(t.roles) == {Actor.SYSTEM_ROLE} for t in compiled.definition.transitions)


def _quoted(filename: str) -> str:
    return quote(filename, safe="")
