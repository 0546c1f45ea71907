"""Who may keep the system going: the administrator alone."""

from __future__ import annotations

from workflow.errors import NotAllowed
from workflow.i18n import N_
from workflow.people import ADMIN_ROLE, Actor


def require_admin(actor: Actor) -> None:
    """Refuse (NotAllowed) anyone but an administrator."""
    if not actor.holds(ADMIN_ROLE):
        raise NotAllowed("administration.admins_only", N_("only an administrator may do this"))
