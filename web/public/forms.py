"""The portal's forms: a citizen's registration, and a message to a deputy."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from workflow.council.citizens.registration import (
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_SUBJECT_LENGTH,
    MAX_TEXT_LENGTH,
)
from workflow.people import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class RegisterForm(FlaskForm):  # type: ignore[misc]
    full_name = StringField(
        _l("Your name"),
        validators=[
            DataRequired(_l("Write your name.")),
            Length(max=MAX_NAME_LENGTH, message=_l("A name is at most %(n)s characters.", n=MAX_NAME_LENGTH)),
        ],
    )
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Length(max=MAX_EMAIL_LENGTH, message=_l("An e-mail address is at most 254 characters.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password.")),
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


class WriteForm(FlaskForm):  # type: ignore[misc]
    subject = StringField(
        _l("Subject"),
        validators=[
            DataRequired(_l("Write the subject of the message.")),
            Length(max=MAX_SUBJECT_LENGTH, message=_l("A subject is at most %(n)s characters.", n=MAX_SUBJECT_LENGTH)),
        ],
    )
    text = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(_l("Write the message.")),
            Length(max=MAX_TEXT_LENGTH, message=_l("A message is at most %(n)s characters.", n=MAX_TEXT_LENGTH)),
        ],
    )
