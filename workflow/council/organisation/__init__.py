"""The council itself, its committees and departments, and who holds which mandate in them."""

from __future__ import annotations

from workflow.council.organisation import roles
from workflow.definitions.catalog import Catalog
from workflow.notifications.notices import Notices


def register(catalog: Catalog, _notices: Notices) -> None:
    roles.register(catalog)
