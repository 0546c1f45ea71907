"""The link that lets a person set a password: it names the reset and carries its secret, signed as the
confirmation link is (web.signed_links), so a link changed in any way is refused before the database is asked.
The reset itself expires and works once (workflow.council.accounts.resets)."""

from __future__ import annotations

from datetime import datetime

from flask import url_for

from tasks.accounts import queue_password_link
from web.database import db
from web.extension import radaflow
from web.signed_links import LinkRefused, read, sign
from workflow.council.accounts.models import PasswordReset
from workflow.council.accounts.resets import RESET_HOURS
from workflow.people import Person

__all__ = ["LinkRefused", "link_token", "mail_link", "read_link"]

_SALT = "radaflow.password-link"


def link_token(reset_id: int, secret: str) -> str:
    return sign(_SALT, reset_id, secret)


def read_link(token: str) -> tuple[int, str]:
    """The reset and the secret a token names; LinkRefused when it is older than the links live or not ours."""
    return read(_SALT, token, max_age=RESET_HOURS * 3600)


def mail_link(person: Person, reset: PasswordReset, secret: str, *, first: bool, now: datetime) -> None:
    """Queue the e-mail with the link, in the request's transaction: it leaves after the commit."""
    link = url_for("auth.set_password", token=link_token(reset.id, secret), _external=True)
    queue_password_link(
        db(), radaflow().settings, person, link, reset_id=reset.id, expires_at=reset.expires_at, first=first, now=now
    )
