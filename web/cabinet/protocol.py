"""Closing the sitting and its protocol: the protocol drawn up when the sitting closes, checked by the secretary
(which renders it as a Word file), signed by the chair of the sitting, published; an extract from it for any
item, rendered on request. The files are downloaded from their documents' pages (`cabinet.file`)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from werkzeug.exceptions import NotFound as PageNotFound

from tasks.docx import operator_templates, render_extract
from web.auth.views import signed_in
from web.cabinet import bp
from web.cabinet.sessions import check_possible, check_version, plenary_or_404, secretary, session_view
from web.database import db
from web.errors import status_of
from web.extension import radaflow
from web.i18n import say
from workflow.council.sittings.sessions import close_session
from workflow.engine import fire
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotAllowed, WorkflowError, WrongState
from workflow.i18n import N_
from workflow.timeutil import utcnow

#: what the protocol's section of the session's page does; signing is the chair's (from their own pages too)
PROTOCOL_TRIGGERS = ("check", "send_back", "sign", "publish")


def _refused(session_id: int, form: str, refusal: WorkflowError) -> ResponseReturnValue:
    db().rollback()
    user = signed_in()
    assert user is not None
    typed = {name: value for name, value in request.form.items() if name not in ("csrf_token", "version")}
    page = session_view(plenary_or_404(session_id), user.actor(), refusal=refusal, form=form, typed=typed)
    return page, status_of(refusal)


@bp.post("/cabinet/sessions/<id:session_id>/close")
@login_required  # type: ignore[untyped-decorator]
def close(session_id: int) -> ResponseReturnValue:
    actor = secretary()
    plenary = plenary_or_404(session_id)
    try:
        check_version(plenary)
        check_possible(plenary, "close")
        close_session(db(), plenary, actor, now=utcnow())
    except WorkflowError as refusal:
        return _refused(session_id, "close", refusal)
    flash(_("The sitting is closed and its protocol drawn up: check it, then the chair signs it."))
    return redirect(url_for("cabinet.session_page", session_id=session_id, _anchor="protocol"))


def _protocol(plenary: Document) -> Document:
    protocol = db().scalar(
        select(Document).where(Document.parent_id == plenary.id, Document.kind == "session_protocol")
    )
    if protocol is None:
        raise WrongState("cabinet.no_protocol_yet", N_("the protocol is drawn up when the sitting closes"))
    return protocol


@bp.post("/cabinet/sessions/<id:session_id>/protocol/<trigger>")
@login_required  # type: ignore[untyped-decorator]
def protocol_action(session_id: int, trigger: str) -> ResponseReturnValue:
    """Check, send back, sign or publish the protocol (each by whom its definition allows)."""
    if trigger not in PROTOCOL_TRIGGERS:
        raise PageNotFound
    user = signed_in()
    assert user is not None
    actor = user.actor()
    if trigger != "sign":
        actor = secretary()
    elif not (actor.holds("mayor") or actor.holds_for("session_chair", session_id)):
        raise NotAllowed("cabinet.protocol_signed_by_chair", N_("the protocol is signed by the chair of the sitting"))
    plenary = plenary_or_404(session_id)
    try:
        protocol = _protocol(plenary)
        if request.form.get("version") != str(protocol.version):
            raise WrongState(
                "cabinet.protocol_changed",
                N_("the protocol changed after you opened the page: look at it again, then act"),
            )
        check_possible(protocol, trigger)
        fire(db(), protocol, trigger, actor, comment=request.form.get("comment"), now=utcnow())
    except WorkflowError as refusal:
        if not actor.holds("secretary"):
            raise  # the chair has no builder's page to be shown again: the refusal's own page
        return _refused(session_id, "protocol", refusal)
    compiled = radaflow().registry.get(protocol.kind, protocol.definition_version, db())
    title = next(say(t.title) for t in compiled.definition.transitions if t.trigger == trigger)
    flash(_("Done: %(action)s.", action=title))
    if not actor.holds("secretary"):
        return redirect(url_for("cabinet.document", document_id=protocol.id))
    return redirect(url_for("cabinet.session_page", session_id=session_id, _anchor="protocol"))


@bp.post("/cabinet/sessions/<id:session_id>/items/<id:item_id>/extract")
@login_required  # type: ignore[untyped-decorator]
def extract(session_id: int, item_id: int) -> ResponseReturnValue:
    """An extract from the protocol for one item: rendered now, a new version each time, kept with the item."""
    actor = secretary()
    plenary = plenary_or_404(session_id)
    item = db().get(Document, item_id)
    if item is None or item.kind != "agenda_item" or item.parent_id != plenary.id:
        raise PageNotFound
    try:
        if plenary.state != "closed":
            raise WrongState(
                "cabinet.extract_after_close", N_("extracts are made from the protocol of a closed sitting")
            )
        if item.state in ("proposed", "removed"):
            raise InvalidInput(
                "cabinet.extract_of_considered", N_("«{title}» was not considered at the sitting"), title=item.title
            )
        stored = render_extract(db(), item, actor, utcnow(), templates_dir=operator_templates(radaflow().settings))
    except WorkflowError as refusal:
        return _refused(session_id, f"item-{item_id}", refusal)
    flash(_("The extract for «%(title)s» is ready (version %(version)s).", title=item.title, version=stored.version))
    return redirect(url_for("cabinet.session_page", session_id=session_id, _anchor=f"item-{item_id}"))
