"""A reviewer's visa requests (`/visas`): each awaited visa with the draft's text as it stands and what changed
since the last round; the visa given, or the draft returned with remarks, from the same page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from web.cabinet import bp
from web.cabinet.documents import _readable
from web.cabinet.drafting import actor
from web.cabinet.drafting_forms import VisaForm
from web.database import db
from web.errors import status_of
from workflow.council.drafts.reviews import visa_requests
from workflow.engine import fire
from workflow.errors import Conflict, WorkflowError
from workflow.i18n import N_
from workflow.textdiff import diff
from workflow.timeutil import utcnow

#: what the page's two buttons do to the visa
DECISIONS = {"give": "give", "return": "return"}


@bp.get("/visas")
@login_required  # type: ignore[untyped-decorator]
def visas() -> ResponseReturnValue:
    return _page()


@bp.post("/visas/<id:document_id>/<decision>")
@login_required  # type: ignore[untyped-decorator]
def decide_visa(document_id: int, decision: str) -> ResponseReturnValue:
    visa = _readable(document_id)
    if visa.kind != "visa" or decision not in DECISIONS:
        abort(404)
    form = VisaForm()
    if not form.validate_on_submit():
        return _page(errors={visa.id: form}), 422
    try:
        if form.version.data != str(visa.version):
            raise Conflict(
                "cabinet.stale_page", N_("the document changed after you opened it: look at it again, then act")
            )
        remarks = (form.remarks.data or "").strip() or None
        fire(db(), visa, DECISIONS[decision], actor(), comment=remarks if decision == "return" else None, now=utcnow())
    except WorkflowError as refusal:
        db().rollback()
        return _page(refusal=refusal, refused_id=document_id, errors={document_id: form}), status_of(refusal)
    flash(_("The visa is given.") if decision == "give" else _("The draft is returned with your remarks."))
    return redirect(url_for("cabinet.visas"))


def _page(
    *, refusal: WorkflowError | None = None, refused_id: int | None = None, errors: dict[int, VisaForm] | None = None
) -> str:
    shown = []
    for request in visa_requests(db(), actor()):
        form = (errors or {}).get(request.visa.id) or VisaForm(data={"version": str(request.visa.version)})
        changed = None if request.previous is None else diff(request.previous.body, request.current.body)
        title_changed = None if request.previous is None else diff(request.previous.title, request.current.title)
        shown.append({"request": request, "form": form, "changed": changed, "title_changed": title_changed})
    return render_template("cabinet/visas.html", requests=shown, refusal=refusal, refused_id=refused_id)
