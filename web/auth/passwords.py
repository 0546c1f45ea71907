"""A forgotten password: the sign-in page leads to asking for a link by e-mail (answered the same whether or not
the address has an account, and rate-limited as signing in is), and the link's page sets a new password by the
project's rules, which ends every session of the person. An administrator's link leads to the same page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from web.auth import bp
from web.auth.links import LinkRefused, mail_link, read_link
from web.database import db
from web.i18n import say
from web.limits import public_form
from workflow.council.accounts.resets import LINK_EXPIRED, ask_for_reset, open_reset, set_password_by_link
from workflow.errors import InvalidInput
from workflow.people import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from workflow.timeutil import utcnow


class AskForLinkForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Length(max=254, message=_l("An e-mail address is at most 254 characters.")),
        ],
    )


class NewPasswordForm(FlaskForm):  # type: ignore[misc]
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter the new password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l(
                    "A password has from %(min)s to %(max)s characters.",
                    min=MIN_PASSWORD_LENGTH,
                    max=MAX_PASSWORD_LENGTH,
                ),
            ),
        ],
    )
    again = PasswordField(
        _l("The new password again"),
        validators=[DataRequired(_l("Enter the new password again.")), EqualTo("password", _l("The two differ."))],
    )


def _typed_address() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


@bp.route("/login/forgot", methods=["GET", "POST"])
@public_form(account=_typed_address)
def forgot_password() -> ResponseReturnValue:
    """The same answer whether or not the address opens an account: only its owner learns, from the e-mail."""
    form = AskForLinkForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot.html", form=form), 422 if form.errors else 200
    now = utcnow()
    asked = ask_for_reset(db(), form.email.data, now=now)
    if asked is not None:
        person, reset, secret = asked
        mail_link(person, reset, secret, first=False, now=now)
    return render_template(
        "message.html",
        title=_("Look in your mail"),
        message=_(
            "If %(email)s opens an account here, a link to set a new password is on its way there. "
            "It works for a day, and once.",
            email=form.email.data.strip(),
        ),
    )


def _refused(error: InvalidInput | None = None, *, expired: bool = False) -> ResponseReturnValue:
    said = (
        _("This link has expired: ask for a new one.")
        if expired or (error is not None and error.code == LINK_EXPIRED)
        else _("This link to set a password is not valid.")
        if error is None
        else say(error.detail)
    )
    return render_template("auth/link_refused.html", message=said), 400


def _form_page(form: NewPasswordForm, refusal: InvalidInput | None = None) -> str:
    return render_template("auth/set_password.html", form=form, refusal=refusal, min_length=MIN_PASSWORD_LENGTH)


@bp.route("/password/<token>", methods=["GET", "POST"])
def set_password(token: str) -> ResponseReturnValue:
    try:
        reset_id, secret = read_link(token)
    except LinkRefused as refused:
        return _refused(expired=refused.expired)
    now = utcnow()
    form = NewPasswordForm()
    try:
        open_reset(db(), reset_id, secret, now=now)
    except InvalidInput as error:
        return _refused(error)
    if not form.validate_on_submit():
        return _form_page(form), 422 if form.errors else 200
    try:
        set_password_by_link(db(), reset_id, secret, form.password.data, now=now)
    except InvalidInput as error:
        db().rollback()
        return _form_page(form, error), 422
    flash(_("Your new password is set, and every other session of yours has ended. Sign in with it."))
    return redirect(url_for("auth.sign_in"))
