"""The mayor's decisions to sign: each decision the council adopted, with the end of the period in which the
mayor may suspend it (veto); sign it, or veto it with the reasons, which are required. After the period the
decision stands signed by law (the deadline sweep) and a veto is refused with the day it ended."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from werkzeug.exceptions import NotFound as PageNotFound

from web.auth.views import signed_in
from web.cabinet import bp
from web.cabinet.sessions import check_possible
from web.database import db
from web.errors import status_of
from web.i18n import current as current_language
from workflow import i18n, limits
from workflow.engine import fire
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotAllowed, WorkflowError, WrongState
from workflow.i18n import N_
from workflow.people import Actor, Person
from workflow.timeutil import as_utc, utcnow


def _mayor() -> Actor:
    user = signed_in()
    assert user is not None
    actor = user.actor()
    if not actor.holds("mayor"):
        raise NotAllowed("cabinet.signed_by_mayor", N_("the council's decisions are signed or vetoed by the mayor"))
    return actor


@dataclass(frozen=True)
class ToSign:
    draft: Document
    author: str
    adopted_at: str
    #: the end of the veto period, in words and Kyiv time; None if the definition sets none
    veto_until: str | None
    veto_until_iso: str | None
    period_over: bool


def _to_sign() -> list[ToSign]:
    session = db()
    drafts = session.scalars(
        select(Document)
        .where(Document.kind == "decision_draft", Document.state == "adopted")
        .order_by(Document.due_at.is_(None), Document.due_at, Document.id)
    ).all()
    names = dict(
        session.execute(
            select(Person.id, Person.full_name).where(Person.id.in_({d.author_id for d in drafts if d.author_id}))
        ).all()
    )
    now = utcnow()
    lang = current_language()
    return [
        ToSign(
            draft=draft,
            author=names.get(draft.author_id, "") if draft.author_id else "",
            adopted_at=i18n.day(draft.state_entered_at, lang),
            veto_until=None if draft.due_at is None else i18n.render(i18n.Spoken(draft.due_at), lang),
            veto_until_iso=None if draft.due_at is None else as_utc(draft.due_at).isoformat(),
            period_over=draft.due_at is not None and as_utc(draft.due_at) < now,
        )
        for draft in drafts
    ]


def _protocols() -> list[Document]:
    """The protocols checked by the secretary and waiting for the chair's signature."""
    return list(
        db().scalars(
            select(Document)
            .where(Document.kind == "session_protocol", Document.state == "checked")
            .order_by(Document.id)
        )
    )


def _page(refusal: WorkflowError | None = None, refused_id: int | None = None, typed: str = "") -> str:
    return render_template(
        "cabinet/signing.html",
        decisions=_to_sign(),
        protocols=_protocols(),
        refusal=refusal,
        refused_id=refused_id,
        typed=typed,
        limit=limits.COMMENT,
    )


@bp.get("/cabinet/signing")
@login_required  # type: ignore[untyped-decorator]
def signing() -> ResponseReturnValue:
    _mayor()
    return _page()


def _decision(document_id: int) -> Document:
    found = db().get(Document, document_id)
    if found is None or found.kind != "decision_draft":
        raise PageNotFound
    return found


@bp.post("/cabinet/signing/<id:document_id>/<trigger>")
@login_required  # type: ignore[untyped-decorator]
def sign_or_veto(document_id: int, trigger: str) -> ResponseReturnValue:
    if trigger not in ("sign", "veto"):
        raise PageNotFound
    mayor = _mayor()
    draft = _decision(document_id)
    reasons = request.form.get("reasons", "")
    try:
        if request.form.get("version") != str(draft.version):
            raise WrongState(
                "cabinet.decision_changed",
                N_("the decision changed after you opened the page: look at it again, then act"),
            )
        check_possible(draft, trigger)
        if trigger == "veto" and not reasons.strip():
            raise InvalidInput("cabinet.veto_needs_reasons", N_("a veto needs its reasons: say why"))
        if len(reasons) > limits.COMMENT:
            raise InvalidInput(
                "cabinet.reasons_too_long",
                N_("the reasons have {length} characters; at most {limit} are kept"),
                length=len(reasons),
                limit=limits.COMMENT,
            )
        fire(db(), draft, trigger, mayor, comment=reasons if trigger == "veto" else None, now=utcnow())
    except WorkflowError as refusal:
        db().rollback()
        return _page(refusal, document_id, reasons), status_of(refusal)
    if trigger == "sign":
        flash(_("Signed: «%(title)s». It gets its number now.", title=draft.title))
    else:
        flash(_("Vetoed: «%(title)s». The council reconsiders it.", title=draft.title))
    return redirect(url_for("cabinet.signing"))
