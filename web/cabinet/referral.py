"""Sending a draft in public discussion to the committees (`/drafts/<id>/committees`): its lead committee, which
writes the conclusion the council hears first, and advisory ones; those the draft proposes are chosen already.
Who may send it is the definition's (the secretary)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from web.cabinet import bp
from web.cabinet.drafting import actor, committee_choices, draft_or_404
from web.cabinet.drafting_forms import ReferralForm
from web.database import db
from web.errors import status_of
from workflow.council.drafts import drafts, versions
from workflow.council.organisation.models import Committee
from workflow.engine import available_actions
from workflow.engine.models import Document
from workflow.errors import Conflict, InvalidInput, WorkflowError
from workflow.i18n import N_
from workflow.timeutil import utcnow

TRIGGER = "send_to_committees"


@bp.route("/drafts/<id:document_id>/committees", methods=["GET", "POST"])
@login_required  # type: ignore[untyped-decorator]
def referral(document_id: int) -> ResponseReturnValue:
    draft = draft_or_404(document_id)
    proposed = versions.particulars_of(db(), draft)
    if request.method == "GET":
        form = _form(
            data={
                "lead_committee": proposed.lead_committee_id,
                "advisory_committees": list(proposed.advisory_committee_ids),
                "version": str(draft.version),
            }
        )
        return _page(draft, form)
    form = _form()
    if not form.validate_on_submit():
        return _page(draft, form), 422
    try:
        if form.version.data != str(draft.version):
            raise Conflict(
                "cabinet.stale_page", N_("the document changed after you opened it: look at it again, then act")
            )
        lead = db().get(Committee, form.lead_committee.data)
        if lead is None:
            raise InvalidInput("drafting.no_such_committee", N_("there is no such committee"))
        advisory = [c for c in (db().get(Committee, i) for i in form.advisory_committees.data or ()) if c is not None]
        if any(c.id == lead.id for c in advisory):
            raise InvalidInput(
                "drafting.lead_also_advisory", N_("the lead committee cannot be an advisory committee as well")
            )
        drafts.send_to_committees(db(), draft, actor(), lead, advisory, now=utcnow())
    except WorkflowError as refusal:
        db().rollback()
        found = db().get(Document, document_id)
        assert found is not None
        return _page(found, form, refusal=refusal), status_of(refusal)
    flash(_("Sent to the committees."))
    return redirect(url_for("cabinet.document", document_id=draft.id))


def _form(**kwargs: object) -> ReferralForm:
    form = ReferralForm(**kwargs)
    form.lead_committee.choices = committee_choices()
    form.advisory_committees.choices = committee_choices()
    return form


def _page(draft: Document, form: ReferralForm, *, refusal: WorkflowError | None = None) -> str:
    action = next((a for a in available_actions(db(), draft, actor()) if a.trigger == TRIGGER), None)
    return render_template(
        "cabinet/referral.html",
        document=draft,
        form=form,
        refusal=refusal,
        action=action,
        stage_allows=action is not None,
    )
