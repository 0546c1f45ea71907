"""Keeping the system going: the effects and e-mails that failed for good (`/admin/operations`), each put back in
line or all at once, and the audit log (`/admin/audit`): its latest seal, the last verification recorded, and
asking for a verification or a seal now — run by a worker after the commit, so the page never waits for a check
over the whole database."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm

from web.admin import bp
from web.admin.guard import administrator
from web.database import db
from web.errors import status_of
from web.extension import radaflow
from web.i18n import say
from workflow.config import ConfigError
from workflow.council.administration import checks, failures
from workflow.council.administration.models import AuditCheck
from workflow.engine import seals
from workflow.errors import WorkflowError
from workflow.people import Person
from workflow.timeutil import utcnow


class ActionForm(FlaskForm):  # type: ignore[misc]
    """A button's form: only its CSRF token."""


# --- failed effects and e-mails -------------------------------------------------------------------------------
@bp.get("/admin/operations")
@login_required  # type: ignore[untyped-decorator]
def operations() -> ResponseReturnValue:
    administrator()
    return _operations()


def _operations(refusal: WorkflowError | None = None) -> str:
    session = db()
    registry = radaflow().registry
    effects = failures.failed_effects(session)
    kinds = {effect.document_kind: say(registry.current(effect.document_kind).definition.title) for effect in effects}
    return render_template(
        "admin/operations.html",
        counts=failures.counts(session),
        effects=effects,
        mails=failures.failed_mails(session),
        kinds=kinds,
        form=ActionForm(),
        refusal=refusal,
        listed=failures.LISTED,
    )


def _retrying(retry: Any, ids: list[int] | None, said: str) -> ResponseReturnValue:
    actor = administrator()
    if not ActionForm().validate():
        return _operations(), 400
    try:
        count = retry(db(), actor, ids, now=utcnow())
    except WorkflowError as refusal:
        db().rollback()
        return _operations(refusal), status_of(refusal)
    flash(said % {"n": count})
    return redirect(url_for("admin.operations"))


@bp.post("/admin/operations/effects/<id:row_id>/retry")
@login_required  # type: ignore[untyped-decorator]
def retry_effect(row_id: int) -> ResponseReturnValue:
    return _retrying(failures.retry_effects, [row_id], _("The effect is back in line: it is carried out shortly."))


@bp.post("/admin/operations/effects/retry")
@login_required  # type: ignore[untyped-decorator]
def retry_effects() -> ResponseReturnValue:
    return _retrying(failures.retry_effects, None, _("%(n)s failed effect(s) back in line."))


@bp.post("/admin/operations/mail/<id:mail_id>/retry")
@login_required  # type: ignore[untyped-decorator]
def retry_mail(mail_id: int) -> ResponseReturnValue:
    return _retrying(failures.retry_mails, [mail_id], _("The e-mail is back in the queue: it is sent shortly."))


@bp.post("/admin/operations/mail/retry")
@login_required  # type: ignore[untyped-decorator]
def retry_mails() -> ResponseReturnValue:
    return _retrying(failures.retry_mails, None, _("%(n)s failed e-mail(s) back in the queue."))


# --- the audit log --------------------------------------------------------------------------------------------
@bp.get("/admin/audit")
@login_required  # type: ignore[untyped-decorator]
def audit() -> ResponseReturnValue:
    administrator()
    return _audit()


def _audit(refusal: WorkflowError | None = None) -> str:
    session = db()
    now = utcnow()
    pending = checks.pending_check(session, now=now)
    last = checks.last_finished(session)
    names = {
        check.requested_by_id: session.get(Person, check.requested_by_id)
        for check in (pending, last)
        if check is not None and check.requested_by_id is not None
    }
    return render_template(
        "admin/audit.html",
        seal=_latest_seal(),
        pending=pending,
        last=last,
        findings=[say(finding) for finding in checks.findings_of(last)] if last is not None else [],
        who=lambda check: _who(names, check),
        form=ActionForm(),
        refusal=refusal,
    )


def _who(names: dict[int, Person | None], check: AuditCheck) -> str:
    person = None if check.requested_by_id is None else names.get(check.requested_by_id)
    return person.full_name if person is not None else ""


def _latest_seal() -> dict[str, Any] | None:
    """The latest seal file with its signature checked against the configured key, or None when there is none."""
    settings = radaflow().settings
    path = seals.latest_seal_file(settings.seals_dir)
    if path is None:
        return None
    try:
        seal = seals.read_seal(path)
    except seals.SealUnreadable as error:
        return {"name": path.name, "seal": None, "problem": say(error.detail)}
    try:
        expected = seals.verifying_key(settings.seal_key, settings.seal_public_key, settings.seal_key_file)
    except (ConfigError, seals.SealError, ValueError):
        expected = None
    problem = seals.check_signature(seal, expected)
    return {"name": path.name, "seal": seal, "problem": None if problem is None else say(problem)}


def _asking(kind: str, said: str) -> ResponseReturnValue:
    actor = administrator()
    if not ActionForm().validate():
        return _audit(), 400
    try:
        checks.request_check(db(), actor, kind, now=utcnow())
    except WorkflowError as refusal:
        db().rollback()
        return _audit(refusal), status_of(refusal)
    flash(said)
    return redirect(url_for("admin.audit"))


@bp.post("/admin/audit/verify")
@login_required  # type: ignore[untyped-decorator]
def verify_audit() -> ResponseReturnValue:
    return _asking("verify", _("The verification is asked for: its outcome is shown here once it has run."))


@bp.post("/admin/audit/seal")
@login_required  # type: ignore[untyped-decorator]
def seal_audit() -> ResponseReturnValue:
    return _asking("seal", _("The seal is asked for: it is made once the log is verified, and shown here."))
