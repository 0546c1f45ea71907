"""The signed, expiring link that confirms a citizen's e-mail address: it names the person and the address it
was sent to (web.signed_links), and is refused once it is older than `CONFIRM_HOURS` or when anything in it was
changed."""

from __future__ import annotations

from web.signed_links import LinkRefused, read, sign

__all__ = ["CONFIRM_HOURS", "LinkRefused", "confirmation_token", "read_confirmation"]

#: how long a confirmation link stays valid
CONFIRM_HOURS = 48
_SALT = "radaflow.confirm-email"


def confirmation_token(person_id: int, email: str) -> str:
    return sign(_SALT, person_id, email)


def read_confirmation(token: str, *, max_age: int = CONFIRM_HOURS * 3600) -> tuple[int, str]:
    """The person and address the token names; LinkRefused when it expired or is not ours."""
    return read(_SALT, token, max_age=max_age)
