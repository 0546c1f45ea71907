"""The link that lets a person set a password: it names the reset and carries its secret, signed with the
application's SECRET_KEY (itsdangerous, as the confirmation link is), so a link changed in any way is refused
before the database is asked. The reset itself expires and works once (workflow.council.accounts.resets)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from tasks.accounts import queue_password_link
from web.database import db
from web.extension import radaflow
from workflow.council.accounts.models import PasswordReset
from workflow.council.accounts.resets import RESET_HOURS
from workflow.people import Person

_SALT = "radaflow.password-link"


class LinkRefused(Exception):
    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "forged")
        self.expired = expired


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def link_token(reset_id: int, secret: str) -> str:
    return _serializer().dumps([reset_id, secret])


def read_link(token: str) -> tuple[int, str]:
    """The reset and the secret a token names; LinkRefused when it is older than the links live or not ours."""
    try:
        value = _serializer().loads(token, max_age=RESET_HOURS * 3600)
    except SignatureExpired:
        raise LinkRefused(expired=True) from None
    except BadSignature:
        raise LinkRefused(expired=False) from None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        raise LinkRefused(expired=False)
    return value[0], value[1]


def mail_link(person: Person, reset: PasswordReset, secret: str, *, first: bool, now: datetime) -> None:
    """Queue the e-mail with the link, in the request's transaction: it leaves after the commit."""
    link = url_for("auth.set_password", token=link_token(reset.id, secret), _external=True)
    queue_password_link(
        db(), radaflow().settings, person, link, reset_id=reset.id, expires_at=reset.expires_at, first=first, now=now
    )
