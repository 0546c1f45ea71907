"""A member's own page of the sitting (`/cabinet/sessions/<id>/vote`): their registration, the question the
secretary holds open with their one ballot, and declaring a conflict of interest on a question to come."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from web.auth.views import signed_in
from web.cabinet import bp
from web.cabinet.sitting import plenary_of
from web.database import db
from web.errors import status_of
from web.i18n import say
from web.ids import parse_ids
from workflow import limits
from workflow.council.organisation.queries import council_members
from workflow.council.sittings import cabinet_votes, hall, sessions
from workflow.council.sittings.conflicts import OPEN_ITEM_STATES, conflicted, declare_conflict
from workflow.council.sittings.console_models import CastBallot
from workflow.council.sittings.votes import registered_members
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotAllowed, WorkflowError
from workflow.i18n import N_
from workflow.people import Actor, Person
from workflow.timeutil import utcnow


def _member() -> tuple[Actor, Person]:
    user = signed_in()
    assert user is not None
    actor = user.actor()
    person = db().get(Person, user.id)
    if person is None or person.id not in council_members(db(), utcnow()):
        raise NotAllowed("cabinet_votes.members_only", N_("only members of the council vote"))
    return actor, person


def _page(document_id: int, *, refusal: WorkflowError | None = None) -> ResponseReturnValue:
    session = db()
    plenary = plenary_of(document_id)
    try:
        _actor, person = _member()
    except WorkflowError as wrong:
        return render_template("error.html", error=wrong, status=403), 403
    open_vote = cabinet_votes.open_vote_of(session, plenary.id)
    mine = None
    declared_here = False
    if open_vote is not None:
        mine = session.scalar(
            select(CastBallot.choice).where(CastBallot.open_vote_id == open_vote.id, CastBallot.person_id == person.id)
        )
        declared_here = person.id in conflicted(session, open_vote.subject_id)
    items = [item for _detail, item in sessions.agenda(session, plenary) if item.state in OPEN_ITEM_STATES]
    page = render_template(
        "cabinet/my_vote.html",
        plenary=plenary,
        person=person,
        registered=person.id in registered_members(session, plenary.id),
        open_vote=open_vote,
        mine=None if mine is None else say(hall.choice_title(mine)),
        declared_here=declared_here,
        choices=[(c, say(hall.choice_title(c))) for c in cabinet_votes.CAST_CHOICES],
        items=[(item, person.id in conflicted(session, item.id)) for item in items],
        refusal=refusal,
        limit=limits.COMMENT,
    )
    return page, (200 if refusal is None else status_of(refusal))


@bp.get("/cabinet/sessions/<id:document_id>/vote")
@login_required  # type: ignore[untyped-decorator]
def my_vote(document_id: int) -> ResponseReturnValue:
    return _page(document_id)


@bp.post("/cabinet/sessions/<id:document_id>/vote")
@login_required  # type: ignore[untyped-decorator]
def cast_my_vote(document_id: int) -> ResponseReturnValue:
    plenary = plenary_of(document_id)
    try:
        actor, _person = _member()
        ids = parse_ids([request.form.get("open_vote", "")])
        if ids is None:
            raise InvalidInput("cabinet_votes.closed", N_("the vote is closed: no more ballots are taken"))
        cabinet_votes.cast(db(), plenary, actor, ids[0], request.form.get("choice", ""), now=utcnow())
    except WorkflowError as refusal:
        db().rollback()
        return _page(document_id, refusal=refusal)
    flash(_("Your vote is taken."))
    return redirect(url_for("cabinet.my_vote", document_id=document_id))


@bp.post("/cabinet/sessions/<id:document_id>/conflict")
@login_required  # type: ignore[untyped-decorator]
def declare_my_conflict(document_id: int) -> ResponseReturnValue:
    plenary = plenary_of(document_id)
    try:
        actor, person = _member()
        ids = parse_ids([request.form.get("subject", "")])
        subject = None if ids is None else db().get(Document, ids[0])
        if subject is None:
            raise InvalidInput("sitting.choose_question", N_("choose the question"))
        declare_conflict(db(), plenary, actor, subject, person, request.form.get("statement", ""), now=utcnow())
    except WorkflowError as refusal:
        db().rollback()
        return _page(document_id, refusal=refusal)
    flash(_("Your conflict of interest is recorded: you do not vote on «%(title)s».", title=subject.title))
    return redirect(url_for("cabinet.my_vote", document_id=document_id))
