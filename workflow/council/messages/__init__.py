"""Citizens' messages to deputies, and the deputies' answers."""

from __future__ import annotations

from workflow.council.messages import guards, roles
from workflow.definitions.catalog import Catalog
from workflow.notifications.notices import Notices


def register(catalog: Catalog, _notices: Notices) -> None:
    roles.register(catalog)
    guards.register(catalog)
