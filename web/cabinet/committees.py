"""A committee's workplace: the committees a person works in, and for each the drafts referred to it with their
due dates and its meetings; its chair and secretary plan a meeting here. Members read it; nobody else sees it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from werkzeug.exceptions import NotFound as PageNotFound

from web.auth.views import signed_in
from web.cabinet import bp
from web.cabinet.committee_forms import ROLE_TITLES, MeetingForm
from web.cabinet.presenting import local
from web.database import db
from web.errors import status_of
from web.extension import radaflow
from web.i18n import say
from workflow.council.committees import meetings
from workflow.council.committees.queries import committees_of, meetings_of, referred_drafts, role_in
from workflow.council.law import KYIV
from workflow.council.organisation.models import Committee
from workflow.council.organisation.queries import COMMITTEE_ROLES
from workflow.engine.models import Document
from workflow.errors import WorkflowError
from workflow.people import Actor, RoleGrant
from workflow.timeutil import as_utc, utcnow


@bp.app_context_processor
def _committee_link() -> dict[str, bool]:
    """Whether the header links to the reader's committees: only for who holds a place in one."""
    user = signed_in()
    if user is None:
        return {"in_committee": False}
    held = db().scalar(
        select(RoleGrant.id).where(RoleGrant.person_id == user.id, RoleGrant.role.in_(COMMITTEE_ROLES)).limit(1)
    )
    return {"in_committee": held is not None}


@dataclass(frozen=True)
class Row:
    """A draft referred to the committee, as the workplace lists it."""

    conclusion: Document
    draft: Document | None
    lead: bool
    stage: str
    due: str | None
    overdue: bool


def state_title(document: Document) -> str:
    compiled = radaflow().registry.get(document.kind, document.definition_version, db())
    return say(compiled.state(document.state).title)


def committee_for(actor: Actor, committee_id: int) -> tuple[Committee, str]:
    """The committee and the reader's role in it; a committee the reader has no place in does not exist for them."""
    committee = db().get(Committee, committee_id)
    role = role_in(actor, committee_id)
    if committee is None or role is None:
        raise PageNotFound
    return committee, role


@bp.get("/cabinet/committees")
@login_required  # type: ignore[untyped-decorator]
def committees() -> ResponseReturnValue:
    user = signed_in()
    assert user is not None
    mine = [(committee, _(ROLE_TITLES[role])) for committee, role in committees_of(db(), user.actor())]
    return render_template("cabinet/committees.html", committees=mine)


@bp.get("/cabinet/committees/<id:committee_id>")
@login_required  # type: ignore[untyped-decorator]
def committee(committee_id: int) -> ResponseReturnValue:
    return _page(committee_id, MeetingForm())


@bp.post("/cabinet/committees/<id:committee_id>/meetings")
@login_required  # type: ignore[untyped-decorator]
def plan_meeting(committee_id: int) -> ResponseReturnValue:
    user = signed_in()
    assert user is not None
    actor = user.actor()
    found, _role = committee_for(actor, committee_id)
    form = MeetingForm()
    if not form.validate():
        return _page(committee_id, form), 422
    starts_at = datetime.combine(form.day.data, form.time.data, tzinfo=KYIV)
    try:
        meeting = meetings.plan_meeting(db(), actor, found, starts_at=starts_at, place=form.place.data, now=utcnow())
    except WorkflowError as refusal:
        db().rollback()
        return _page(committee_id, form, refusal=refusal), status_of(refusal)
    flash(_("The meeting is planned."))
    return redirect(url_for("cabinet.meeting", document_id=meeting.id))


def _page(committee_id: int, form: MeetingForm, *, refusal: WorkflowError | None = None) -> str:
    user = signed_in()
    assert user is not None
    actor = user.actor()
    found, role = committee_for(actor, committee_id)
    now = utcnow()
    rows = [
        Row(
            conclusion=r.conclusion,
            draft=r.draft,
            lead=r.lead,
            stage=state_title(r.conclusion),
            due=local(r.conclusion.due_at) if r.conclusion.due_at is not None else None,
            overdue=r.conclusion.due_at is not None and as_utc(r.conclusion.due_at) <= now,
        )
        for r in referred_drafts(db(), committee_id)
    ]
    held = [(detail, document, state_title(document)) for detail, document in meetings_of(db(), committee_id)]
    return render_template(
        "cabinet/committee.html",
        committee=found,
        role=_(ROLE_TITLES[role]),
        runs=meetings.runs_committee(actor, committee_id),
        referred=rows,
        meetings=held,
        form=form,
        refusal=refusal,
        local=local,
    )
