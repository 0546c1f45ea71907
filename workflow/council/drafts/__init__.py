"""A draft decision's way to the session: drafts, visas, committees' conclusions and amendments."""

from __future__ import annotations

from workflow.council.drafts import consequences, guards, records, roles
from workflow.council.drafts.notices import register as register_notices
from workflow.definitions.catalog import Catalog
from workflow.notifications.notices import Notices


def register(catalog: Catalog, notices: Notices) -> None:
    roles.register(catalog)
    guards.register(catalog)
    consequences.register(catalog)
    records.register(catalog)
    register_notices(notices)
