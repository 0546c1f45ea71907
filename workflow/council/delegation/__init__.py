"""Delegating a role for a period, with the reason."""

from __future__ import annotations

from workflow.council.delegation import guards, roles
from workflow.council.delegation.notices import register as register_notices
from workflow.definitions.catalog import Catalog
from workflow.notifications.notices import Notices


def register(catalog: Catalog, notices: Notices) -> None:
    roles.register(catalog)
    guards.register(catalog)
    register_notices(notices)
