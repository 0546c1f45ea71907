"""The public drafts pages: every draft the law makes public on its way to the council (`/drafts`), those open
for public discussion with the working days left of the legal period; and each draft (`/drafts/<id>`) with its
text, stage, its path so far and the public discussion, where signed-in citizens comment.

Only what the definitions make public is shown: a draft in a state that is not public answers 404, whoever
asks, and a comment shows the name its citizen chose, never who they are."""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, select

from web.auth.views import signed_in
from web.database import db
from web.errors import status_of
from web.extension import radaflow
from web.i18n import say
from web.limits import public_form
from web.public import bp
from web.public.path import path_for
from workflow.council.access import may_read
from workflow.council.discussion import discussion
from workflow.council.law import LAW
from workflow.council.sittings.models import Decision
from workflow.engine.models import Document
from workflow.errors import WorkflowError
from workflow.people import Person
from workflow.timeutil import utcnow

#: the stages of a draft on its way to the council's vote, listed on /drafts (after the vote it is a decision)
ON_THE_WAY = ("public_discussion", "committee_review", "on_agenda", "postponed")
PER_PAGE = 50


@bp.get("/drafts")
def drafts() -> ResponseReturnValue:
    session = db()
    now = utcnow()
    page = request.args.get("page", "1")
    number = int(page) if page.isascii() and page.isdigit() and 0 < len(page) < 7 else 0
    if number < 1:
        abort(404)
    others = (
        select(Document)
        .where(Document.kind == discussion.DRAFT, Document.state.in_(ON_THE_WAY[1:]))
        .order_by(Document.id.desc())
    )
    total = session.scalar(select(func.count()).select_from(others.subquery())) or 0
    pages = max(1, -(-total // PER_PAGE))
    if number > pages:
        abort(404)
    listed = [
        d for d in session.scalars(others.offset((number - 1) * PER_PAGE).limit(PER_PAGE)) if may_read(session, d, None)
    ]
    open_drafts = [row for row in discussion.open_for_discussion(session, now) if may_read(session, row.draft, None)]
    return render_template(
        "public/drafts.html",
        open_drafts=open_drafts if number == 1 else [],
        others=listed,
        stage=_stage_title,
        law_days=LAW.publication_working_days,
        page=number,
        pages=pages,
    )


@bp.get("/drafts/<id:document_id>")
def draft(document_id: int) -> ResponseReturnValue:
    return _page(_public_draft(document_id))


@bp.post("/drafts/<id:document_id>/comments")
@public_form()
def comment(document_id: int) -> ResponseReturnValue:
    """A signed-in citizen's comment. A refusal shows the page again with the reason and what was typed, and
    writes nothing; a stranger is sent to sign in first."""
    found = _public_draft(document_id)
    user = signed_in()
    if user is None:  # sent to sign in, and back to the draft (never to this form's address, which takes no GET)
        flash(_("Sign in to comment on the draft."))
        return redirect(url_for("auth.sign_in", next=url_for("public.draft", document_id=document_id)))
    typed = {name: request.form.get(name, "") for name in ("name", "position", "text")}
    try:
        discussion.post_comment(
            db(),
            found,
            user.actor(),
            name=typed["name"],
            position=typed["position"],
            text=typed["text"],
            now=utcnow(),
        )
    except WorkflowError as refusal:
        db().rollback()
        again = db().get(Document, document_id)
        assert again is not None
        return _page(again, refusal=refusal, typed=typed), status_of(refusal)
    flash(_("Your comment is published."))
    return redirect(url_for("public.draft", document_id=document_id, _anchor="comments"))


def _public_draft(document_id: int) -> Document:
    """A draft the public may read; anything else, whoever asks, is not found."""
    found = db().get(Document, document_id)
    if found is None or found.kind != discussion.DRAFT or not may_read(db(), found, None):
        abort(404)
    return found


def _page(found: Document, *, refusal: WorkflowError | None = None, typed: Mapping[str, str] | None = None) -> str:
    session = db()
    user = signed_in()
    actor = None if user is None else user.actor()
    now = utcnow()
    person = None if user is None else session.get(Person, user.id)
    citizen = actor is not None and actor.holds(discussion.CITIZEN)
    confirmed = person is not None and person.email_confirmed_at is not None
    return render_template(
        "public/draft.html",
        draft=found,
        stage=_stage_title(found),
        number=session.scalar(select(Decision.official_number).where(Decision.draft_id == found.id)),
        body=found.fields.get("body") if isinstance(found.fields.get("body"), str) else "",
        period=discussion.discussion_period(session, found, now),
        path=path_for(found),
        comments=discussion.comments_of(session, found.id),
        tally=discussion.tally(session, found.id),
        is_open=discussion.is_open(found),
        signed_in=user is not None,
        may_comment=citizen and confirmed,
        unconfirmed=citizen and not confirmed,
        refusal=refusal,
        typed=typed or {"name": "" if person is None else person.full_name, "position": "", "text": ""},
        limits={"text": discussion.MAX_TEXT, "name": discussion.MAX_NAME},
    )


def _stage_title(document: Document) -> str:
    compiled = radaflow().registry.get(document.kind, document.definition_version, db())
    return say(compiled.state(document.state).title)
