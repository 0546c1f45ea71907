"""The forms of a session's agenda, before the sitting: a draft put on it, a standing item, an item moved up or
down (or to a position), an item taken off with the reason, and convening the session. Each works without
JavaScript; a refusal shows the session's page again with the reason, and nothing is done."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.exceptions import NotFound as PageNotFound

from web.cabinet import bp
from web.cabinet.sessions import check_possible, check_version, plenary_or_404, secretary, session_view
from web.database import db
from web.errors import status_of
from web.ids import parse_ids
from workflow.council.sittings import agenda as building
from workflow.engine import fire
from workflow.engine.models import Document
from workflow.errors import InvalidInput, WorkflowError
from workflow.i18n import N_
from workflow.people import Actor
from workflow.timeutil import utcnow


def _posted(session_id: int, form: str, work: Callable[[Document, Actor], str]) -> ResponseReturnValue:
    """Do one form of the session's page: on success its message and back to the page, else the page again with
    the refusal beside the form (the request's transaction is rolled back: nothing stays done)."""
    actor = secretary()
    plenary = plenary_or_404(session_id)
    try:
        check_version(plenary)
        done = work(plenary, actor)
    except WorkflowError as refusal:
        db().rollback()
        refused = plenary_or_404(session_id)
        typed = {name: value for name, value in request.form.items() if name not in ("csrf_token", "version")}
        return session_view(refused, actor, refusal=refusal, form=form, typed=typed), status_of(refusal)
    flash(done)
    return redirect(url_for("cabinet.session_page", session_id=session_id, _anchor=form))


def _posted_id(name: str) -> int:
    ids = parse_ids([request.form.get(name, "")])
    if not ids:
        raise InvalidInput("cabinet.choose_one", N_("choose one from the list"))
    return ids[0]


def _item(plenary: Document, item_id: int) -> Document:
    item = db().get(Document, item_id)
    if item is None or item.kind != "agenda_item" or item.parent_id != plenary.id:
        raise PageNotFound
    return item


@bp.post("/cabinet/sessions/<id:session_id>/items")
@login_required  # type: ignore[untyped-decorator]
def propose(session_id: int) -> ResponseReturnValue:
    def work(plenary: Document, actor: Actor) -> str:
        draft = db().get(Document, _posted_id("draft_id"))
        if draft is None or draft.kind != "decision_draft":
            raise InvalidInput("cabinet.choose_one", N_("choose one from the list"))
        building.propose_draft(db(), plenary, actor, draft, now=utcnow())
        return str(_("Put on the agenda: «%(title)s».", title=draft.title))

    return _posted(session_id, "drafts", work)


@bp.post("/cabinet/sessions/<id:session_id>/standing")
@login_required  # type: ignore[untyped-decorator]
def add_standing(session_id: int) -> ResponseReturnValue:
    def work(plenary: Document, actor: Actor) -> str:
        item = building.add_standing_item(db(), plenary, actor, request.form.get("title", ""), now=utcnow())
        return str(_("Added to the agenda: «%(title)s».", title=item.title))

    return _posted(session_id, "standing", work)


@bp.post("/cabinet/sessions/<id:session_id>/items/<id:item_id>/move")
@login_required  # type: ignore[untyped-decorator]
def move(session_id: int, item_id: int) -> ResponseReturnValue:
    """`direction` up or down (the buttons), or `position` (a number typed in)."""

    def work(plenary: Document, actor: Actor) -> str:
        item = _item(plenary, item_id)
        order = [detail.document_id for detail, _ in building.standing(db(), plenary)]
        direction = request.form.get("direction")
        if direction in ("up", "down") and item.id in order:
            to = order.index(item.id) + (0 if direction == "up" else 2)
        else:
            typed = request.form.get("position", "").strip()
            if not (typed.isascii() and typed.isdigit() and len(typed) < 6):
                raise InvalidInput(
                    "cabinet.position_a_number", N_("a position is a number from 1 to {count}"), count=len(order)
                )
            to = int(typed)
        building.move_item(db(), plenary, actor, item, to=to, now=utcnow())
        return str(_("«%(title)s» is now item %(n)s.", title=item.title, n=to))

    return _posted(session_id, "agenda", work)


@bp.post("/cabinet/sessions/<id:session_id>/items/<id:item_id>/remove")
@login_required  # type: ignore[untyped-decorator]
def take_off(session_id: int, item_id: int) -> ResponseReturnValue:
    def work(plenary: Document, actor: Actor) -> str:
        item = _item(plenary, item_id)
        building.take_off_agenda(db(), plenary, actor, item, request.form.get("reason", ""), now=utcnow())
        return str(_("Taken off the agenda: «%(title)s».", title=item.title))

    return _posted(session_id, f"item-{item_id}", work)


@bp.post("/cabinet/sessions/<id:session_id>/convene")
@login_required  # type: ignore[untyped-decorator]
def convene(session_id: int) -> ResponseReturnValue:
    """The agenda is published and every deputy and the mayor told (the engine's effects)."""

    def work(plenary: Document, actor: Actor) -> str:
        check_possible(plenary, "convene")
        fire(db(), plenary, "convene", actor, now=utcnow())
        return str(_("The session is convened: its agenda is published and the deputies and the mayor are told."))

    return _posted(session_id, "convene", work)
