"""A draft's attached files (`/drafts/<id>/files`): every version of each with its SHA-256, to download; and, for
whoever may change the draft now, uploading a file or a new version of one. A file refused (not of an accepted
kind by its content, a zip bomb, over the size limit) is said why, and nothing is stored. A file attached after
visas voids them, as an edit of the text does: the page says so before and after."""

from __future__ import annotations

from babel.numbers import format_decimal
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from web.cabinet import bp
from web.cabinet.drafting import actor, draft_or_404, given_visas
from web.cabinet.drafting_forms import FileForm
from web.cabinet.presenting import local
from web.database import db
from web.errors import status_of
from web.i18n import current as current_language
from workflow import i18n, limits
from workflow.council.drafts.attachments import attach_file, attachments, may_attach
from workflow.engine.models import Document
from workflow.errors import InvalidInput, WorkflowError
from workflow.i18n import N_
from workflow.timeutil import utcnow


@bp.route("/drafts/<id:document_id>/files", methods=["GET", "POST"])
@login_required  # type: ignore[untyped-decorator]
def draft_files(document_id: int) -> ResponseReturnValue:
    draft = draft_or_404(document_id)
    form = FileForm()
    if request.method == "GET":
        return _page(draft, form)
    if not form.validate_on_submit():
        return _page(draft, form), 422
    upload = form.file.data
    try:
        if upload is None or not getattr(upload, "filename", ""):
            raise InvalidInput("attachments.no_file", N_("choose a file to attach"))
        # read one byte more than the limit: enough to tell a file too large, without holding more of it
        try:
            content = upload.stream.read(limits.ATTACHMENT_BYTES + 1)
        finally:
            upload.close()  # a large upload was spooled to a temporary file: gone now, whatever comes of it
        attached = attach_file(
            db(), draft, actor(), upload.filename, content, replaces=form.replaces.data or None, now=utcnow()
        )
    except WorkflowError as refusal:
        db().rollback()
        found = db().get(Document, document_id)
        assert found is not None
        return _page(found, form, refusal=refusal), status_of(refusal)
    stored = attached.file
    if attached.voided:
        flash(
            ngettext(
                "Attached: %(name)s (version %(version)s). The visa given to the draft before no longer stands: "
                "submit the draft for visas again.",
                "Attached: %(name)s (version %(version)s). The %(num)s visas given to the draft before no longer "
                "stand: submit the draft for visas again.",
                attached.voided,
                name=stored.filename,
                version=stored.version,
            )
        )
    else:
        flash(_("Attached: %(name)s (version %(version)s).", name=stored.filename, version=stored.version))
    return redirect(url_for("cabinet.draft_files", document_id=draft.id))


def _page(draft: Document, form: FileForm, *, refusal: WorkflowError | None = None) -> str:
    locale = i18n.babel_locale(current_language())
    return render_template(
        "cabinet/draft_files.html",
        document=draft,
        form=form,
        refusal=refusal,
        files=attachments(db(), draft),
        may_attach=may_attach(db(), draft, actor()),
        given_visas=given_visas(draft),
        limit_mb=limits.ATTACHMENT_BYTES // (1024 * 1024),
        local=local,
        kilobytes=lambda size: format_decimal(round(size / 1024, 1), locale=locale),
    )
