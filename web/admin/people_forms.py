"""The forms of the administrator's pages on people: a person's particulars, an account's deactivation, a role
granted and a role ended. They read what was typed; the rules are the domain's (workflow.council.accounts)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from web.i18n import language_names
from workflow.council.accounts.mandates import MAX_REASON_LENGTH
from workflow.council.citizens.registration import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH

REASON_LENGTH = Length(max=MAX_REASON_LENGTH, message=_l("A reason is at most %(n)s characters.", n=MAX_REASON_LENGTH))


class PersonForm(FlaskForm):  # type: ignore[misc]
    full_name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(_l("Write the person's full name.")),
            Length(max=MAX_NAME_LENGTH, message=_l("A name is at most %(n)s characters.", n=MAX_NAME_LENGTH)),
        ],
    )
    email = EmailField(
        _l("E-mail (optional)"),
        validators=[
            Optional(),
            Length(
                max=MAX_EMAIL_LENGTH, message=_l("An e-mail address is at most %(n)s characters.", n=MAX_EMAIL_LENGTH)
            ),
        ],
    )
    locale = SelectField(
        _l("Language of the pages and e-mails"),
        choices=[SelectChoice(code, name) for code, name in language_names()],
        validate_choice=True,
    )


class NewPersonForm(PersonForm):
    account = BooleanField(_l("Open an account: send a link to set a password to the address"))


class ReasonForm(FlaskForm):  # type: ignore[misc]
    """A form that is a button, with an optional reason (deactivating an account); CSRF and nothing else."""

    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), REASON_LENGTH])


class ButtonForm(FlaskForm):  # type: ignore[misc]
    """A form that is only a button: its CSRF token."""


class GrantForm(FlaskForm):  # type: ignore[misc]
    role = SelectField(_l("Role"), validate_choice=False)
    scope = SelectField(_l("For (a committee or a department)"), validate_choice=False)
    starts = DateField(_l("From (empty: now)"), validators=[Optional()])
    last_day = DateField(_l("Last day (optional)"), validators=[Optional()])
    reason = TextAreaField(_l("Reason or ground (optional)"), validators=[Optional(), REASON_LENGTH])


class EndForm(FlaskForm):  # type: ignore[misc]
    last_day = DateField(_l("Last day (empty: ends now)"), validators=[Optional()])
    reason = StringField(_l("Why it ends"), validators=[DataRequired(_l("Say why the role ends.")), REASON_LENGTH])
