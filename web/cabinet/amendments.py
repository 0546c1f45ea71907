"""Amendments at their workplace: a deputy proposes one to a draft (`/drafts/<id>/amendments/new`: the words of the
text it changes and the new wording); its page (`/amendments/<id>/change`) shows what it would change, takes the
lead committee's opinion and, once the council adopted it, lets the secretary apply it: the draft's next version,
with the diff shown. The vote itself is the sitting console's."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from web.cabinet import bp
from web.cabinet.documents import _readable
from web.cabinet.drafting import actor, draft_or_404
from web.cabinet.drafting_forms import AmendmentForm, OpinionForm
from web.database import db
from web.errors import status_of
from web.extension import radaflow
from workflow.council.drafts import amendments
from workflow.engine import available_actions
from workflow.engine.models import Document
from workflow.errors import Conflict, NotAllowed, WorkflowError
from workflow.i18n import N_
from workflow.textdiff import diff
from workflow.timeutil import utcnow


@bp.route("/drafts/<id:document_id>/amendments/new", methods=["GET", "POST"])
@login_required  # type: ignore[untyped-decorator]
def new_amendment(document_id: int) -> ResponseReturnValue:
    draft = draft_or_404(document_id)
    who = actor()
    if not who.holds("deputy"):
        raise NotAllowed(
            "drafting.amendment_by_deputy",
            N_("amendments are proposed by: {roles}"),
            roles=radaflow().registry.catalog.roles_named(["deputy"]),
        )
    form = AmendmentForm()
    if not form.validate_on_submit():
        return _proposal_page(draft, form), 422 if request.method == "POST" else 200
    try:
        amendment = amendments.propose_amendment(
            db(),
            who,
            draft,
            form.text.data or "",
            replace=(form.replace.data or "").replace("\r\n", "\n"),
            wording=(form.wording.data or "").replace("\r\n", "\n"),
            now=utcnow(),
        )
    except WorkflowError as refusal:
        db().rollback()
        found = db().get(Document, document_id)
        assert found is not None
        return _proposal_page(found, form, refusal=refusal), status_of(refusal)
    flash(_("The amendment is submitted to the lead committee."))
    return redirect(url_for("cabinet.amendment_change", document_id=amendment.id))


@bp.get("/amendments/<id:document_id>/change")
@login_required  # type: ignore[untyped-decorator]
def amendment_change(document_id: int) -> ResponseReturnValue:
    amendment = _amendment_or_404(document_id)
    return _change_page(amendment, OpinionForm(data={"version": str(amendment.version)}))


@bp.post("/amendments/<id:document_id>/opinion")
@login_required  # type: ignore[untyped-decorator]
def amendment_opinion(document_id: int) -> ResponseReturnValue:
    amendment = _amendment_or_404(document_id)
    form = OpinionForm()
    if not form.validate_on_submit():
        return _change_page(amendment, form), 422
    try:
        _check_version(amendment, form.version.data)
        amendments.committee_opinion(
            db(), amendment, actor(), form.opinion.data or "", reasoning=form.reasoning.data or None, now=utcnow()
        )
    except WorkflowError as refusal:
        return _refused(document_id, form, refusal)
    flash(_("The committee's opinion is recorded."))
    return redirect(url_for("cabinet.amendment_change", document_id=document_id))


@bp.post("/amendments/<id:document_id>/apply")
@login_required  # type: ignore[untyped-decorator]
def amendment_apply(document_id: int) -> ResponseReturnValue:
    amendment = _amendment_or_404(document_id)
    form = OpinionForm()  # only its CSRF token and the version are read
    try:
        _check_version(amendment, request.form.get("version"))
        version = amendments.apply_amendment(db(), amendment, actor(), now=utcnow())
    except WorkflowError as refusal:
        return _refused(document_id, form, refusal)
    flash(_("The amendment is applied: version %(number)s of the text.", number=version.number))
    pair: dict[str, Any] = {"from": version.number - 1, "to": version.number}
    return redirect(url_for("cabinet.draft_versions", document_id=amendment.parent_id, **pair))


def _amendment_or_404(document_id: int) -> Document:
    found = _readable(document_id)
    if found.kind != "amendment":
        abort(404)
    return found


def _check_version(document: Document, sent: str | None) -> None:
    if sent != str(document.version):
        raise Conflict("cabinet.stale_page", N_("the document changed after you opened it: look at it again, then act"))


def _refused(document_id: int, form: OpinionForm, refusal: WorkflowError) -> ResponseReturnValue:
    db().rollback()
    found = db().get(Document, document_id)
    assert found is not None
    return _change_page(found, form, refusal=refusal), status_of(refusal)


def _proposed_text(draft: Document, amendment: Document) -> tuple[str, str]:
    body = str(draft.fields.get("body") or "")
    replace, wording = amendment.fields.get("replace"), amendment.fields.get("wording")
    if isinstance(replace, str) and isinstance(wording, str) and body.count(replace) == 1:
        return body, body.replace(replace, wording, 1)
    return body, body


def _proposal_page(draft: Document, form: AmendmentForm, *, refusal: WorkflowError | None = None) -> str:
    return render_template(
        "cabinet/amendment_new.html", document=draft, form=form, refusal=refusal, body=draft.fields.get("body") or ""
    )


def _change_page(amendment: Document, form: OpinionForm, *, refusal: WorkflowError | None = None) -> str:
    who = actor()
    draft = db().get(Document, amendment.parent_id)
    assert draft is not None
    applied = amendments.is_applied(db(), amendment)
    before, after = _proposed_text(draft, amendment)
    # the opinion this page's form sends is what the guard asks for
    offered = available_actions(db(), amendment, who, assuming={"give_opinion": {"has_committee_opinion"}})
    opinion = next((a for a in offered if a.trigger == "give_opinion"), None)
    return render_template(
        "cabinet/amendment_change.html",
        document=amendment,
        draft=draft,
        form=form,
        refusal=refusal,
        change=diff(before, after),
        applied=applied,
        opinion_action=opinion,
        given_opinion=amendments.opinion_of(db(), amendment),
        may_apply=amendment.state == "adopted" and not applied and who.holds("secretary"),
    )
