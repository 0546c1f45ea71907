"""Writing a draft decision and editing it while its stage allows (`/drafts/new`, `/drafts/<id>/edit`), and the
versions of its text with what changed between any two (`/drafts/<id>/versions`). An edit after visas voids them:
the form says so before saving, and the page after."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from web.auth.views import signed_in
from web.cabinet import bp
from web.cabinet.documents import _readable
from web.cabinet.drafting_forms import NONE, DraftForm
from web.cabinet.presenting import local
from web.database import db
from web.errors import status_of
from web.extension import radaflow
from workflow.council.drafts import drafts, versions
from workflow.council.drafts.attachments import may_attach
from workflow.council.drafts.versions import Particulars, Version
from workflow.council.organisation.models import Committee
from workflow.engine.firing import holds_any_role
from workflow.engine.models import Document
from workflow.errors import Conflict, NotAllowed, WorkflowError
from workflow.i18n import N_
from workflow.people import Actor, Person
from workflow.textdiff import diff
from workflow.timeutil import utcnow

KIND = "decision_draft"


def actor() -> Actor:
    user = signed_in()
    assert user is not None
    return user.actor()


def draft_or_404(document_id: int) -> Document:
    found = _readable(document_id)
    if found.kind != KIND:
        abort(404)
    return found


def committee_choices() -> list[SelectChoice]:
    """The committees a draft may be sent to: those serving (a retired one keeps the papers it had)."""
    serving = select(Committee).where(Committee.retired_at.is_(None)).order_by(Committee.name)
    return [SelectChoice(c.id, c.name) for c in db().scalars(serving)]


def may_write(who: Actor) -> bool:
    return bool(who.roles & set(radaflow().registry.current(KIND).definition.create))


def may_edit(draft: Document, who: Actor) -> bool:
    registry = radaflow().registry
    editors = registry.get(draft.kind, draft.definition_version, db()).state(draft.state).edit
    return holds_any_role(registry.catalog, editors, draft, who)


def given_visas(draft: Document) -> int:
    return len(drafts.children(db(), draft, "visa", states=("given",)))


@bp.route("/drafts/new", methods=["GET", "POST"])
@login_required  # type: ignore[untyped-decorator]
def new_draft() -> ResponseReturnValue:
    who = actor()
    if not may_write(who):
        creators = radaflow().registry.current(KIND).definition.create
        raise NotAllowed(
            "drafting.write_not_allowed",
            N_("draft decisions are written by: {roles}"),
            roles=radaflow().registry.catalog.roles_named(creators),
        )
    form = _form()
    if not form.validate_on_submit():
        return _form_page(form, None), 422 if request.method == "POST" else 200
    try:
        title, body = versions.check_text(form.title.data or "", form.body.data or "")
        draft = drafts.write_draft(db(), who, title, body, particulars=_particulars(form), now=utcnow())
    except WorkflowError as refusal:
        db().rollback()
        return _form_page(form, None, refusal=refusal), status_of(refusal)
    flash(_("The draft is written. Attach its files, and submit it for visas when it is ready."))
    return redirect(url_for("cabinet.document", document_id=draft.id))


@bp.route("/drafts/<id:document_id>/edit", methods=["GET", "POST"])
@login_required  # type: ignore[untyped-decorator]
def edit_draft(document_id: int) -> ResponseReturnValue:
    draft = draft_or_404(document_id)
    who = actor()
    if request.method == "GET":
        if not may_edit(draft, who):
            return _not_editable(draft, who)
        current = versions.particulars_of(db(), draft)
        form = _form(
            data={
                "title": draft.title,
                "body": draft.fields.get("body") or "",
                "initiator": current.initiator,
                "majority": current.majority,
                "lead_committee": current.lead_committee_id or NONE,
                "advisory_committees": list(current.advisory_committee_ids),
                "version": str(draft.version),
            }
        )
        return _form_page(form, draft)
    form = _form()
    if not form.validate_on_submit():
        return _form_page(form, draft), 422
    try:
        if form.version.data != str(draft.version):
            raise Conflict(
                "cabinet.stale_page",
                N_("the document changed after you opened it: look at it again, then act"),
            )
        title, body = versions.check_text(form.title.data or "", form.body.data or "")
        voided = drafts.edit_draft(
            db(), draft, who, title=title, body=body, particulars=_particulars(form), now=utcnow()
        )
    except WorkflowError as refusal:
        db().rollback()
        found = db().get(Document, document_id)
        assert found is not None
        return _form_page(form, found, refusal=refusal), status_of(refusal)
    if voided:
        flash(
            ngettext(
                "Saved. The visa given to the earlier text no longer stands: submit the draft for visas again.",
                "Saved. The %(num)s visas given to the earlier text no longer stand: submit the draft again.",
                voided,
            )
        )
    else:
        flash(_("Saved."))
    return redirect(url_for("cabinet.document", document_id=draft.id))


@bp.get("/drafts/<id:document_id>/versions")
@login_required  # type: ignore[untyped-decorator]
def draft_versions(document_id: int) -> ResponseReturnValue:
    draft = draft_or_404(document_id)
    kept = versions.versions(db(), draft)
    numbers = [v.number for v in kept]
    to = request.args.get("to", type=int) or numbers[-1]
    from_ = request.args.get("from", type=int) or max(1, to - 1)
    if to not in numbers or from_ not in numbers:
        abort(404)
    older, newer = kept[numbers.index(from_)], kept[numbers.index(to)]
    return render_template(
        "cabinet/draft_versions.html",
        document=draft,
        versions=[_shown(v) for v in kept],
        older=older,
        newer=newer,
        title_diff=diff(older.title, newer.title),
        body_diff=diff(older.body, newer.body),
    )


@bp.app_template_global()
def drafting_links(document: Document) -> list[tuple[str, str]]:
    """The drafting workplaces a document's page leads to, for its reader: (label, address)."""
    user = signed_in()
    if user is None or document.kind not in (KIND, "amendment"):
        return []
    who = user.actor()
    links: list[tuple[str, str]] = []
    if document.kind == KIND:
        if may_edit(document, who):
            links.append((_("Edit the draft"), url_for("cabinet.edit_draft", document_id=document.id)))
        links.append((_("Versions of the text"), url_for("cabinet.draft_versions", document_id=document.id)))
        label = _("Attach files") if may_attach(db(), document, who) else _("Attached files")
        links.append((label, url_for("cabinet.draft_files", document_id=document.id)))
        if document.state == "public_discussion" and who.holds("secretary"):
            links.append((_("Send to the committees"), url_for("cabinet.referral", document_id=document.id)))
        if document.state in ("committee_review", "on_agenda", "postponed") and who.holds("deputy"):
            links.append((_("Propose an amendment"), url_for("cabinet.new_amendment", document_id=document.id)))
    else:
        links.append((_("What the amendment changes"), url_for("cabinet.amendment_change", document_id=document.id)))
    return links


@bp.app_template_global()
def draft_particulars(document: Document) -> list[tuple[str, str]]:
    """What a draft proposes about itself, for its page: (label, text); nothing for other kinds."""
    if document.kind != KIND:
        return []
    proposed = versions.particulars_of(db(), document)
    names: dict[int, str] = {row.id: row.name for row in db().execute(select(Committee.id, Committee.name))}
    shown = [(_("Initiator"), proposed.initiator)] if proposed.initiator else []
    if proposed.lead_committee_id in names:
        shown.append((_("Lead committee (proposed)"), names[proposed.lead_committee_id]))
    advisory = [names[i] for i in proposed.advisory_committee_ids if i in names]
    if advisory:
        shown.append((_("Advisory committees (proposed)"), "; ".join(advisory)))
    majority = (
        _("two thirds of the council's total composition")
        if proposed.majority == "two_thirds"
        else _("more than half of the council's total composition")
    )
    shown.append((_("Majority the decision needs"), majority))
    return shown


def _form(**kwargs: Any) -> DraftForm:
    form = DraftForm(**kwargs)
    choices = committee_choices()
    form.lead_committee.choices = [SelectChoice(NONE, _("— none proposed —")), *choices]
    form.advisory_committees.choices = choices
    return form


def _particulars(form: DraftForm) -> Particulars:
    lead = form.lead_committee.data or None
    return Particulars(
        initiator=form.initiator.data or "",
        majority=form.majority.data or "",
        lead_committee_id=lead,
        advisory_committee_ids=tuple(form.advisory_committees.data or ()),
    )


def _form_page(form: DraftForm, draft: Document | None, *, refusal: WorkflowError | None = None) -> str:
    return render_template(
        "cabinet/draft_form.html",
        form=form,
        document=draft,
        refusal=refusal,
        given_visas=0 if draft is None else given_visas(draft),
    )


def _not_editable(draft: Document, who: Actor) -> ResponseReturnValue:
    registry = radaflow().registry
    state = registry.get(draft.kind, draft.definition_version, db()).state(draft.state)
    if state.edit:
        raise NotAllowed(
            "engine.edit_not_allowed",
            N_("a document in the state '{state}' can be edited by: {roles}"),
            state=state.title,
            roles=registry.catalog.roles_named(state.edit),
        )
    raise NotAllowed("engine.not_editable", N_("a document in the state '{state}' cannot be edited"), state=state.title)


def _shown(version: Version) -> dict[str, Any]:
    by = None if version.by_id is None else db().get(Person, version.by_id)
    return {
        "number": version.number,
        "at": local(version.at),
        "by": None if by is None else by.full_name,
        "amendment_id": version.amendment_id,
    }
