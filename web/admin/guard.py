"""The administrator's pages are the administrator's: anyone else signed in is told so (403) before anything is
looked up or done, and a reader who is not signed in is sent to sign in."""

from __future__ import annotations

from web.auth.views import signed_in
from workflow.errors import NotAllowed
from workflow.i18n import N_
from workflow.people import ADMIN_ROLE, Actor


def administrator() -> Actor:
    """The signed-in person as the administrator, or a refusal (403) saying whose pages these are."""
    user = signed_in()
    assert user is not None
    actor = user.actor()
    if not actor.holds(ADMIN_ROLE):
        raise NotAllowed("admin.pages_are_admins", N_("these pages are the administrator's"))
    return actor
