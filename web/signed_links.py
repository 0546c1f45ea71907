"""Links that name a record and carry one text — an address to confirm, a secret that sets a password — signed with
the application's SECRET_KEY (itsdangerous, as Flask signs its session), each kind under a salt of its own, so a
link of one kind is never taken for another. One that is too old or changed in any way is refused before the
database is asked."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class LinkRefused(Exception):
    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "forged")
        self.expired = expired


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def sign(salt: str, number: int, text: str) -> str:
    return _serializer(salt).dumps([number, text])


def read(salt: str, token: str, *, max_age: int) -> tuple[int, str]:
    """The number and the text a link of this kind names; LinkRefused when it is older than `max_age` seconds or
    is not ours."""
    try:
        value = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkRefused(expired=True) from None
    except BadSignature:
        raise LinkRefused(expired=False) from None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        raise LinkRefused(expired=False)
    return value[0], value[1]
