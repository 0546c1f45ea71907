"""The signed, expiring link that confirms a citizen's e-mail address: it names the person and the address it
was sent to, signed with the application's SECRET_KEY (itsdangerous, as Flask signs its session), and is
refused once it is older than `CONFIRM_HOURS` or when anything in it was changed."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

#: how long a confirmation link stays valid
CONFIRM_HOURS = 48
_SALT = "radaflow.confirm-email"


class LinkRefused(Exception):
    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "forged")
        self.expired = expired


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def confirmation_token(person_id: int, email: str) -> str:
    return _serializer().dumps([person_id, email])


def read_confirmation(token: str, *, max_age: int = CONFIRM_HOURS * 3600) -> tuple[int, str]:
    """The person and address the token names; LinkRefused when it expired or is not ours."""
    try:
        value = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkRefused(expired=True) from None
    except BadSignature:
        raise LinkRefused(expired=False) from None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        raise LinkRefused(expired=False)
    return value[0], value[1]
