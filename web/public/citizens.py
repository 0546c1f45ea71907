"""Citizens' accounts: registration (name, e-mail, password), the e-mail confirmation link, and the citizen's
own page of the messages they wrote, with their stages and answers. Signing in is the cabinet's (web.auth)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from tasks.registration import queue_confirmation
from web.auth.views import local_path, signed_in
from web.database import db
from web.extension import radaflow
from web.i18n import current, say
from web.limits import public_form
from web.public import bp
from web.public.forms import RegisterForm
from web.public.tokens import CONFIRM_HOURS, LinkRefused, confirmation_token, read_confirmation
from workflow.council.citizens.registration import confirm_email, messages_of, register_citizen
from workflow.council.messages.messages import OPEN_STATES
from workflow.errors import InvalidInput
from workflow.people import Person
from workflow.timeutil import utcnow


@bp.route("/register", methods=["GET", "POST"])
@public_form()
def register() -> ResponseReturnValue:
    """The same answer whether or not the address had an account: only its owner learns, from the e-mail.

    `next`, the page the citizen came from (a deputy's, a draft's), travels in the confirmation link, so that
    signing in after confirming leads back to it."""
    back = local_path(request.args.get("next"))
    form = RegisterForm()
    if not form.validate_on_submit():
        return render_template("public/register.html", form=form, back=back), 422 if form.errors else 200
    now = utcnow()
    registration = register_citizen(
        db(), form.full_name.data, form.email.data, form.password.data, locale=current(), now=now
    )
    person = registration.to_confirm
    if person is not None and person.email is not None:
        token = confirmation_token(person.id, person.email)
        link = url_for("public.confirm", token=token, next=back, _external=True)
        queue_confirmation(db(), radaflow().settings, person, link, valid_hours=CONFIRM_HOURS, now=now)
    return render_template("public/registered.html", email=form.email.data.strip(), back=back)


@bp.get("/register/confirm/<token>")
def confirm(token: str) -> ResponseReturnValue:
    """The address confirmed, and the way on: signing in and back to the page the citizen registered from (the
    deputies' list when the link names none)."""
    try:
        person_id, email = read_confirmation(token)
    except LinkRefused as refused:
        message = (
            _("The link has expired. Register again to get a new one.")
            if refused.expired
            else _("This confirmation link is not valid.")
        )
        return render_template("message.html", title=_("The address is not confirmed"), message=message), 400
    try:
        confirm_email(db(), person_id, email)
    except InvalidInput as error:
        return render_template("message.html", title=_("The address is not confirmed"), message=say(error)), 400
    back = local_path(request.args.get("next")) or url_for("public.deputies")
    user = signed_in()
    return render_template("public/confirmed.html", back=back, theirs=user is not None and user.id == person_id)


@bp.get("/my/messages")
@login_required  # type: ignore[untyped-decorator]
def my_messages() -> ResponseReturnValue:
    user = signed_in()
    assert user is not None
    registry = radaflow().registry
    session = db()
    rows = []
    names: dict[int, str] = {}
    for message in messages_of(session, user.id):
        compiled = registry.get(message.kind, message.definition_version, session)
        deputy_id = message.fields.get("deputy_id")
        if isinstance(deputy_id, int) and deputy_id not in names:
            person = session.get(Person, deputy_id)
            names[deputy_id] = "" if person is None else person.full_name
        rows.append(
            {
                "message": message,
                "deputy_id": deputy_id,
                "deputy": names.get(deputy_id, "") if isinstance(deputy_id, int) else "",
                "state": say(compiled.state(message.state).title),
                "answer": message.fields.get("answer") if message.state not in OPEN_STATES else None,
            }
        )
    return render_template("public/my_messages.html", rows=rows)
