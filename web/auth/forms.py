"""The sign-in form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from workflow.people import MAX_PASSWORD_LENGTH


class SignInForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Length(max=254, message=_l("An e-mail address is at most 254 characters.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password.")),
            Length(
                max=MAX_PASSWORD_LENGTH, message=_l("A password is at most %(n)s characters.", n=MAX_PASSWORD_LENGTH)
            ),
        ],
    )
