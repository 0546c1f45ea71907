"""The administrator's workplace for people: the list of persons (searched by name or address, a page at a time),
a new person (with or without an account), and a person's page — their particulars, their account (a link to set
a password, deactivation, which ends their sessions at once, and reactivation), their roles and mandates with
their dates (granted and ended, never deleted) and the history of every change.

Every page and form here is the administrator's: anyone else is refused (403) and nothing is done. A refused form
is shown again with what was typed and the reason beside it, and nothing is written."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.exceptions import NotFound as PageNotFound

from web.admin import bp
from web.admin.people_forms import ButtonForm, EndForm, GrantForm, NewPersonForm, PersonForm, ReasonForm
from web.auth.links import mail_link
from web.auth.views import signed_in
from web.cabinet.presenting import local
from web.database import db
from web.errors import status_of
from web.i18n import say
from workflow import i18n
from workflow.council.accounts import accounts, mandates, resets
from workflow.council.accounts.history import EVENTS, history_of
from workflow.council.accounts.mandates import COMMITTEE, DEPARTMENT, GRANTABLE
from workflow.council.law import KYIV
from workflow.errors import InvalidInput, WorkflowError
from workflow.i18n import N_
from workflow.people import Actor, Person, RoleGrant
from workflow.timeutil import utcnow


def admin() -> Actor:
    """The signed-in person as an administrator, or the refusal (403) saying whose pages these are."""
    user = signed_in()
    assert user is not None
    actor = user.actor()
    accounts.check_admin(actor)
    return actor


def person_or_404(person_id: int) -> Person:
    found = db().get(Person, person_id)
    if found is None:
        raise PageNotFound
    return found


def role_title(role: str) -> str:
    return say(mandates.role_term(role))


# --- the list ------------------------------------------------------------------------------------------------
@bp.get("/admin/people")
@login_required  # type: ignore[untyped-decorator]
def people() -> ResponseReturnValue:
    admin()
    text = (request.args.get("q") or "").strip()[: accounts.MAX_QUERY_LENGTH]
    page = request.args.get("page", "1")
    found = accounts.find_persons(db(), text, page=int(page) if page.isascii() and page.isdigit() else 1)
    now = utcnow()
    roles = _current_roles(found.persons, now)
    return render_template(
        "admin/people.html",
        found=found,
        text=text,
        roles=roles,
        state=accounts.account_state,
        page_url=lambda n: url_for("admin.people", q=text or None, page=n),
    )


def _current_roles(persons: list[Person], now: datetime) -> dict[int, list[str]]:
    """Each person's roles now, by their titles, each once."""
    return {
        person_id: list(dict.fromkeys(role_title(role) for role in roles))
        for person_id, roles in mandates.current_roles(db(), [p.id for p in persons], now).items()
    }


# --- a new person ----------------------------------------------------------------------------------------------
@bp.route("/admin/people/new", methods=["GET", "POST"])
@login_required  # type: ignore[untyped-decorator]
def new_person() -> ResponseReturnValue:
    actor = admin()
    form = NewPersonForm()
    if request.method == "GET":
        return render_template("admin/person_new.html", form=form, refusal=None)
    if not form.validate():
        own_words(form)
        return render_template("admin/person_new.html", form=form, refusal=None), 422
    now = utcnow()
    try:
        if form.account.data and not (form.email.data or "").strip():
            raise InvalidInput(
                "admin.account_needs_address", N_("an account needs an e-mail address to send the link to")
            )
        person = accounts.create_person(
            db(), actor, form.full_name.data, form.email.data, locale=form.locale.data, now=now
        )
        if form.account.data:
            reset, secret = resets.send_reset(db(), actor, person, now=now)
            mail_link(person, reset, secret, first=True, now=now)
    except WorkflowError as refusal:
        db().rollback()
        return render_template("admin/person_new.html", form=form, refusal=refusal), status_of(refusal)
    if form.account.data:
        flash(
            _(
                "%(name)s is added; a link to set a password is sent to %(email)s.",
                name=person.full_name,
                email=person.email,
            )
        )
    else:
        flash(_("%(name)s is added.", name=person.full_name))
    return redirect(url_for("admin.person", person_id=person.id))


# --- a person's page -----------------------------------------------------------------------------------------------
def _scope_choices() -> list[tuple[str, str]]:
    choices = [("", _("— council-wide —"))]
    choices += [(f"{COMMITTEE}-{c.id}", _("Committee: %(name)s", name=c.name)) for c in mandates.committees(db())]
    choices += [(f"{DEPARTMENT}-{d.id}", _("Department: %(name)s", name=d.name)) for d in mandates.departments(db())]
    return choices


def _grant_form(posted: GrantForm | None = None) -> GrantForm:
    form = posted or GrantForm(formdata=None)
    form.role.choices = [(role, role_title(role)) for role in GRANTABLE]
    form.scope.choices = _scope_choices()
    return form


def person_view(
    person: Person,
    actor: Actor,
    *,
    posted: dict[str, FlaskForm] | None = None,
    refusal: WorkflowError | None = None,
    here: str = "top",
) -> str:
    """The person's page; after a refused form, that form as it was sent, with the refusal beside it."""
    posted = posted or {}
    session = db()
    now = utcnow()
    held = mandates.grants_of(session, person, now)
    edit = posted.get("edit") or PersonForm(formdata=None, obj=person)
    end_forms = {
        h.grant.id: posted.get(f"end-{h.grant.id}") or EndForm(formdata=None, prefix=f"end-{h.grant.id}")
        for h in held
        if h.tense != "past" and h.grant.delegation_id is None
    }
    open_ = person.deactivated_at is None
    shown = {"edit", *(f"end-{grant_id}" for grant_id in end_forms)}
    shown |= {"grant", "link" if person.email else "edit"} if open_ else {"reactivate"}
    shown |= {"deactivate"} if open_ and actor.id != person.id else set()
    if here not in shown:
        here = "top"  # the form is not on the page (the role ended, the account is open): the refusal goes on top
    events = history_of(session, person)
    actors = {e.actor_id for e in events if e.actor_id is not None}
    names = dict(session.execute(select(Person.id, Person.full_name).where(Person.id.in_(actors))).all())
    return render_template(
        "admin/person.html",
        person=person,
        state=accounts.account_state(person),
        is_self=actor.id == person.id,
        held=held,
        edit=edit,
        deactivate_form=posted.get("deactivate") or ReasonForm(formdata=None, prefix="deactivate"),
        button=ButtonForm(formdata=None),
        grant_form=_grant_form(posted.get("grant")),
        end_forms=end_forms,
        events=events,
        event_words=EVENTS,
        names=names,
        role_title=role_title,
        local=local,
        refusal=refusal,
        here=here,
        now=now,
    )


@bp.get("/admin/people/<id:person_id>")
@login_required  # type: ignore[untyped-decorator]
def person(person_id: int) -> ResponseReturnValue:
    actor = admin()
    return person_view(person_or_404(person_id), actor)


def _refused(person_id: int, actor: Actor, refusal: WorkflowError, name: str, form: FlaskForm) -> ResponseReturnValue:
    """Nothing of the form is kept: the page again, the form as sent, the reason beside it."""
    db().rollback()
    own_words(form)
    status = status_of(refusal)
    return person_view(person_or_404(person_id), actor, posted={name: form}, refusal=refusal, here=name), status


def own_words(form: FlaskForm) -> None:
    """What WTForms says of a date or a choice it could not read, in the site's own words."""
    for field in form:
        if field.errors and field.type == "DateField" and field.raw_data and field.data is None:
            field.errors = [_("Give the date as the calendar offers it (e.g. 2027-01-20).")]
        if field.errors and field.name.endswith("locale"):
            field.errors = [_("Choose Ukrainian or English.")]


def _form_invalid() -> WorkflowError:
    """A form WTForms could not read (its own words are beside the fields)."""
    return InvalidInput("admin.correct_the_form", N_("correct what is marked in the form"))


@bp.post("/admin/people/<id:person_id>/edit")
@login_required  # type: ignore[untyped-decorator]
def edit_person(person_id: int) -> ResponseReturnValue:
    actor = admin()
    person = person_or_404(person_id)
    form = PersonForm()
    if not form.validate():
        return _refused(person_id, actor, _form_invalid(), "edit", form)
    try:
        changed = accounts.edit_person(
            db(), actor, person, form.full_name.data, form.email.data, locale=form.locale.data, now=utcnow()
        )
    except WorkflowError as refusal:
        return _refused(person_id, actor, refusal, "edit", form)
    flash(_("The changes are saved.") if changed else _("Nothing was changed."))
    return redirect(url_for("admin.person", person_id=person_id))


@bp.post("/admin/people/<id:person_id>/deactivate")
@login_required  # type: ignore[untyped-decorator]
def deactivate(person_id: int) -> ResponseReturnValue:
    actor = admin()
    person = person_or_404(person_id)
    form = ReasonForm(prefix="deactivate")
    if not form.validate():
        return _refused(person_id, actor, _form_invalid(), "deactivate", form)
    try:
        accounts.deactivate(db(), actor, person, reason=form.reason.data or "", now=utcnow())
    except WorkflowError as refusal:
        return _refused(person_id, actor, refusal, "deactivate", form)
    flash(_("%(name)s's account is deactivated; every session of theirs has ended.", name=person.full_name))
    return redirect(url_for("admin.person", person_id=person_id))


@bp.post("/admin/people/<id:person_id>/reactivate")
@login_required  # type: ignore[untyped-decorator]
def reactivate(person_id: int) -> ResponseReturnValue:
    actor = admin()
    person = person_or_404(person_id)
    form = ButtonForm()
    if not form.validate():
        return _refused(person_id, actor, _form_invalid(), "reactivate", form)
    try:
        accounts.reactivate(db(), actor, person, now=utcnow())
    except WorkflowError as refusal:
        return _refused(person_id, actor, refusal, "reactivate", form)
    flash(_("%(name)s's account is open again.", name=person.full_name))
    return redirect(url_for("admin.person", person_id=person_id))


@bp.post("/admin/people/<id:person_id>/password-link")
@login_required  # type: ignore[untyped-decorator]
def send_link(person_id: int) -> ResponseReturnValue:
    actor = admin()
    person = person_or_404(person_id)
    form = ButtonForm()
    if not form.validate():
        return _refused(person_id, actor, _form_invalid(), "link", form)
    now = utcnow()
    try:
        reset, secret = resets.send_reset(db(), actor, person, now=now)
    except WorkflowError as refusal:
        return _refused(person_id, actor, refusal, "link", form)
    mail_link(person, reset, secret, first=person.password_hash is None, now=now)
    flash(_("A link to set a password is sent to %(email)s.", email=person.email))
    return redirect(url_for("admin.person", person_id=person_id))


def _moment(day: date | None, *, now: datetime, after: bool = False) -> datetime | None:
    """A day the form gave as a moment in Kyiv: its beginning (`after`: the beginning of the next day, so that a
    last day is held whole); today's beginning is now (a role granted today starts when it is granted)."""
    if day is None:
        return None
    start = datetime.combine(day + timedelta(days=1) if after else day, time(0), tzinfo=KYIV)
    if not after and i18n.local_date(now) == day:
        return now
    return start


def _scope(value: str) -> tuple[str | None, int | None] | None:
    """'committee-3' -> ("committee", 3); '' -> (None, None); None for anything else."""
    if not value:
        return None, None
    kind, _, number = value.partition("-")
    if kind not in (COMMITTEE, DEPARTMENT) or not (number.isascii() and number.isdigit()) or len(number) > 10:
        return None
    return kind, int(number)


@bp.post("/admin/people/<id:person_id>/roles")
@login_required  # type: ignore[untyped-decorator]
def grant_role(person_id: int) -> ResponseReturnValue:
    actor = admin()
    person = person_or_404(person_id)
    form = _grant_form(GrantForm())
    if not form.validate():
        return _refused(person_id, actor, _form_invalid(), "grant", form)
    now = utcnow()
    scope = _scope(form.scope.data or "")
    try:
        if scope is None:
            raise InvalidInput("admin.no_such_scope", N_("choose a committee or a department from the list"))
        mandates.grant_role(
            db(),
            actor,
            person,
            form.role.data or "",
            scope_kind=scope[0],
            scope_id=scope[1],
            starts_at=_moment(form.starts.data, now=now) or now,
            ends_at=_moment(form.last_day.data, now=now, after=True),
            reason=form.reason.data or "",
            now=now,
        )
    except WorkflowError as refusal:
        return _refused(person_id, actor, refusal, "grant", form)
    flash(_("%(name)s holds «%(role)s» now.", name=person.full_name, role=role_title(form.role.data)))
    return redirect(url_for("admin.person", person_id=person_id) + "#roles")


@bp.post("/admin/people/<id:person_id>/roles/<id:grant_id>/end")
@login_required  # type: ignore[untyped-decorator]
def end_role(person_id: int, grant_id: int) -> ResponseReturnValue:
    actor = admin()
    person = person_or_404(person_id)
    grant = db().get(RoleGrant, grant_id)
    if grant is None or grant.person_id != person.id:
        raise PageNotFound
    name = f"end-{grant_id}"
    form = EndForm(prefix=name)
    if not form.validate():
        return _refused(person_id, actor, _form_invalid(), name, form)
    now = utcnow()
    try:
        mandates.end_role(
            db(),
            actor,
            grant,
            reason=form.reason.data or "",
            ends_at=_moment(form.last_day.data, now=now, after=True),
            now=now,
        )
    except WorkflowError as refusal:
        return _refused(person_id, actor, refusal, name, form)
    flash(_("«%(role)s» of %(name)s is ended.", role=role_title(grant.role), name=person.full_name))
    return redirect(url_for("admin.person", person_id=person_id) + "#roles")
