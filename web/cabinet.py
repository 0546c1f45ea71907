"""The cabinet's first pages: a person's notifications, and the document page every notification links to
(`/documents/<id>`): its stage, due date, fields, related documents, rendered files and history. Opening a
document marks the reader's notifications about it read.

Whether a document exists is told to nobody who may not read it: a stranger is sent to sign in whatever the id,
and a signed-in reader without access gets the very answer a missing document gets (404)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from babel.numbers import format_decimal
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import NotFound as PageNotFound

from web.auth import login_manager, signed_in
from web.database import db
from web.errors import status_of
from web.extension import radaflow
from web.i18n import current as current_language
from web.i18n import say
from web.ids import parse_ids
from workflow import i18n, limits
from workflow.council import operations
from workflow.council.access import may_read, names_its_author_publicly, reads_in_full
from workflow.council.organisation.models import Committee, Department
from workflow.council.sittings.models import Decision
from workflow.council.work import waiting_for
from workflow.engine import available_actions
from workflow.engine.audit import CREATE, EDIT, MIGRATE, RECORD
from workflow.engine.models import AuditEntry, Document
from workflow.errors import Conflict, InvalidInput, WorkflowError
from workflow.files import DocumentFile, list_files
from workflow.i18n import N_
from workflow.notifications import inbox
from workflow.notifications.models import Notification
from workflow.people import Actor, Person
from workflow.timeutil import as_utc, utcnow

bp = Blueprint("cabinet", __name__)

# --- the action forms: how an action's inputs are named, and which guards what a form asks for satisfies -------
#: per (kind, trigger), the label of each input the domain's operation takes (`operations.Operation.inputs`)
INPUT_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("citizen_message", "answer_publicly"): {"answer": N_("Answer")},
    ("citizen_message", "answer_privately"): {"answer": N_("Answer")},
}
#: guards that what an action's form asks for satisfies: the page offers the action before they hold
FORM_SATISFIES: dict[tuple[str, str], frozenset[str]] = {
    ("citizen_message", "answer_publicly"): frozenset({"has_answer"}),
    ("citizen_message", "answer_privately"): frozenset({"has_answer"}),
}
#: guards of moves done at a workplace of their own that what that workplace asks for satisfies (the session a
#: draft is put on the agenda of, the committee's opinion on an amendment): not to be held against the move when
#: telling whether it is awaited
WORKPLACE_SATISFIES: dict[tuple[str, str], frozenset[str]] = {
    ("decision_draft", "put_on_agenda"): frozenset({"published_ten_working_days_before_session"}),
    ("amendment", "give_opinion"): frozenset({"has_committee_opinion"}),
}


def assumed_guards(kind: str) -> dict[str, frozenset[str]]:
    """Per trigger of `kind`, the guards its form or workplace will satisfy (see `available_actions`)."""
    assumed = {trigger: guards for (k, trigger), guards in FORM_SATISFIES.items() if k == kind}
    assumed.update({trigger: guards for (k, trigger), guards in WORKPLACE_SATISFIES.items() if k == kind})
    return assumed


def input_labels(operation: operations.Operation, kind: str, trigger: str) -> dict[str, str]:
    """The operation's inputs with their labels, in the reader's language (an input with no label by its name)."""
    labels = INPUT_LABELS.get((kind, trigger), {})
    return {name: _(labels[name]) if name in labels else name for name in operation.inputs}



#: how the fields documents carry are named on the page; others are shown by their own name
FIELD_LABELS = {
    "body": lazy_gettext("Text"),
    "text": lazy_gettext("Text of the message"),
    "answer": lazy_gettext("Answer"),
    "reason": lazy_gettext("Grounds"),
    "role": lazy_gettext("Powers"),
    "starts_at": lazy_gettext("From"),
    "ends_at": lazy_gettext("Until"),
    "deputy_id": lazy_gettext("Deputy"),
    "person_id": lazy_gettext("To whom"),
    "committee_id": lazy_gettext("Committee"),
    "lead_committee_id": lazy_gettext("Lead committee"),
    "department_id": lazy_gettext("Department"),
}
#: fields holding a person's, a committee's or a department's id, shown by name
_NAMED = {"deputy_id": Person, "person_id": Person, "committee_id": Committee, "lead_committee_id": Committee,
          "department_id": Department}
_MOMENTS = ("starts_at", "ends_at", "closes_at")


class MarkReadForm(FlaskForm):  # type: ignore[misc]
    """A button: its CSRF token is all it carries."""


@dataclass(frozen=True)
class Step:
    """One entry of a document's history, as the page shows it."""

    at: str
    #: the moment in ISO form, for <time datetime>
    iso: str
    who: str
    what: str
    from_state: str | None
    to_state: str
    comment: str | None
    #: whether `who` is a person's name (content), not a word of the page's
    named: bool = False


def local(moment: datetime | None) -> str:
    """'18.03.2026 11:00' in Kyiv time, as the council reads it (Babel's formatting, the reader's language)."""
    return "" if moment is None else i18n.moment(moment, current_language())


def _title(action: Any) -> str:
    """An action's title in the reader's language."""
    return str(action.title_en if current_language() == "en" else action.title_uk)


@bp.app_context_processor
def _header() -> dict[str, Any]:
    """Who is signed in and how many notifications they have not read, for every page's header."""
    user = signed_in()
    if user is None:
        return {"me": None, "unread": 0}
    try:
        unread = inbox.unread_count(db(), user.id)
    except SQLAlchemyError:  # an error page after a failed write: its session is unusable, the page is not
        unread = 0
    return {"me": user, "unread": unread}


# --- my work -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Task:
    """A document waiting for the person, as the list shows it."""

    document: Document
    kind_title: str
    state_title: str
    due: str | None
    overdue: bool
    actions: tuple[str, ...]


@bp.get("/cabinet")
@login_required  # type: ignore[untyped-decorator]
def work() -> ResponseReturnValue:
    """The documents waiting for an action of the signed-in person, overdue ones first."""
    user = signed_in()
    assert user is not None
    registry = radaflow().registry
    tasks = []
    for waiting in waiting_for(db(), user.actor(), utcnow(), assuming=assumed_guards):
        compiled = registry.get(waiting.document.kind, waiting.document.definition_version, db())
        tasks.append(Task(
            document=waiting.document, kind_title=say(compiled.definition.title),
            state_title=say(compiled.state(waiting.document.state).title),
            due=local(waiting.document.due_at) if waiting.document.due_at is not None else None,
            overdue=waiting.overdue, actions=tuple(_title(action) for action in waiting.actions),
        ))
    return render_template("work.html", tasks=tasks)


# --- notifications -------------------------------------------------------------------------------------------
@bp.get("/notifications")
@login_required  # type: ignore[untyped-decorator]
def notifications() -> ResponseReturnValue:
    user = signed_in()
    assert user is not None
    shown = inbox.recent(db(), user.id, limit=100)
    return render_template("notifications.html", notifications=shown, form=MarkReadForm(), local=local)


@bp.post("/notifications/read")
@login_required  # type: ignore[untyped-decorator]
def mark_read() -> ResponseReturnValue:
    """Mark the notifications the form names (`id`, repeated) read, or all of them (`all`)."""
    user = signed_in()
    assert user is not None
    MarkReadForm()  # the CSRF token was checked before the view (CSRFProtect); nothing else to validate
    if request.form.get("all"):
        ids = [n.id for n in inbox.unread(db(), user.id)]
    else:
        parsed = parse_ids(request.form.getlist("id"))
        if not parsed:  # no id, or one that names no notification: nothing of the form is done
            return render_template("message.html", title=_("Nothing marked"),
                                   message=_("The form named no notification.")), 422
        ids = parsed
    marked = inbox.mark_read(db(), user.id, ids, utcnow())
    flash(_("Marked read: %(n)s.", n=marked))
    return redirect(url_for("cabinet.notifications"))


# --- documents -----------------------------------------------------------------------------------------------
@bp.get("/documents/<id:document_id>")
def document(document_id: int) -> ResponseReturnValue:
    found = _readable(document_id)
    user = signed_in()
    if user is not None:  # what the reader was told about it is read now
        told = db().scalars(
            select(Notification.id).where(Notification.person_id == user.id,
                                          Notification.document_id == found.id, Notification.read_at.is_(None))
        ).all()
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
            length=len(comment), limit=limits.COMMENT,
        )
    for name, value in inputs.items():
        if len(value) > INPUT_LIMIT:
            raise InvalidInput(
                "cabinet.input_too_long",
                N_("'{name}' has {length} characters; at most {limit} are kept"),
                name=name, length=len(value), limit=INPUT_LIMIT,
            )


def _action_title(document: Document, trigger: str) -> str:
    compiled = radaflow().registry.get(document.kind, document.definition_version, db())
    return next((say(t.title) for t in compiled.definition.transitions if t.trigger == trigger), trigger)


def _page(
    found: Document, *, refusal: WorkflowError | None = None, trigger: str | None = None,
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
        "document.html",
        actions=[] if actor is None else _actions(found, actor),
        refusal=refusal,
        refused_trigger=trigger,
        typed=typed or {},
        limits={"comment": limits.COMMENT, "input": INPUT_LIMIT},
        document=found,
        kind_title=say(compiled.definition.title),
        state=state,
        number=session.scalar(select(Decision.official_number).where(Decision.draft_id == found.id)),
        author=None if found.author_id is None or not (full or names_its_author_publicly(found))
        else session.get(Person, found.author_id),
        due=local(found.due_at) if found.due_at is not None and not state.final else None,
        fields=_fields(found),
        parent=_related(found.parent_id, actor),
        children=_children(found, actor),
        files=list_files(session, found.id),
        history=_history(found, full=full),
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
        f'attachment; filename="{fallback}"; filename*=UTF-8\'\'{_quoted(stored.filename)}'
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
        buttons.append(Button(
            trigger=action.trigger, title=_title(action), allowed=action.allowed, reasons=action.reasons,
            comment=comment,
            inputs=None if operation is None else input_labels(operation, document.kind, action.trigger),
        ))
    return buttons


def _system_only(document: Document, trigger: str) -> bool:
    compiled = radaflow().registry.get(document.kind, document.definition_version, db())
    return any(t.trigger == trigger and set(t.roles) == {Actor.SYSTEM_ROLE} for t in compiled.definition.transitions)


def _fields(document: Document) -> list[tuple[str, str]]:
    shown = []
    for name, value in document.fields.items():
        if value is None or value == "":
            continue
        label = FIELD_LABELS.get(name, name)
        if name in _NAMED and isinstance(value, int):
            named = db().get(_NAMED[name], value)
            text = getattr(named, "full_name", None) or getattr(named, "name", None) or f"№ {value}"
        elif name in _MOMENTS and isinstance(value, str):
            try:
                text = local(datetime.fromisoformat(value))
            except (ValueError, OverflowError):
                text = value
        elif isinstance(value, str | int | float):
            text = str(value)
        else:
            continue  # structured data (lists, mappings) belongs to the pages of each kind
        shown.append((label, text))
    return shown


@dataclass(frozen=True)
class Related:
    id: int
    kind_title: str
    title: str
    state_title: str


def _related(document_id: int | None, actor: Actor | None) -> Related | None:
    """The parent document, if the reader may read it."""
    if document_id is None:
        return None
    found = db().get(Document, document_id)
    return None if found is None or not may_read(db(), found, actor) else _as_related(found)


def _as_related(found: Document) -> Related:
    compiled = radaflow().registry.get(found.kind, found.definition_version, db())
    return Related(found.id, say(compiled.definition.title), found.title, say(compiled.state(found.state).title))


def _children(document: Document, actor: Actor | None) -> list[Related]:
    """The documents made for this one (visas, conclusions, ...) that the reader may read."""
    found = db().scalars(select(Document).where(Document.parent_id == document.id).order_by(Document.id)).all()
    return [_as_related(child) for child in found if may_read(db(), child, actor)]


def _history(document: Document, *, full: bool) -> list[Step]:
    """The document's audit trail in words. Read from outside (`full` False), it says what happened and when,
    and who did it unless that is a private kind's author, but not the comments said on the way."""
    session = db()
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.document_id == document.id).order_by(AuditEntry.version)
    ).all()
    names = dict(session.execute(
        select(Person.id, Person.full_name).where(Person.id.in_({e.actor_id for e in entries if e.actor_id}))
    ).all())
    compiled = radaflow().registry.get(document.kind, document.definition_version, session)
    # a document migrated from an earlier version may have moves this one no longer names: shown by their name
    actions = {t.trigger: say(t.title) for t in compiled.definition.transitions} | {
        CREATE: _("Created"), EDIT: _("Content changed"), MIGRATE: _("Moved to a new version of the scheme"),
        RECORD: _("Entered in the record (a vote, the attendance or a decision's number)"),
    }
    states = {name: say(s.title) for name, s in compiled.definition.states.items()}
    return [
        Step(
            at=local(entry.at),
            iso=as_utc(entry.at).isoformat(),
            who=_who(entry, names, document, full),
            what=actions.get(entry.trigger, entry.trigger),
            from_state=None if entry.from_state is None else states.get(entry.from_state, entry.from_state),
            to_state=states.get(entry.to_state, entry.to_state),
            comment=entry.comment if full else None,
            named=entry.actor_id is not None and (full or entry.actor_id != document.author_id
                                                  or names_its_author_publicly(document)),
        )
        for entry in entries
    ]


def _who(entry: AuditEntry, names: Mapping[int, str], document: Document, full: bool) -> str:
    if entry.actor_id is None:
        return str(_("system"))
    if not full and entry.actor_id == document.author_id and not names_its_author_publicly(document):
        return str(_("the author of the message"))
    return names.get(entry.actor_id, "—")


def _quoted(filename: str) -> str:
    return quote(filename, safe="")
