"""Plenary sessions: the agenda, registration, votes, decisions' numbers and the records kept under the chain."""

from __future__ import annotations

from workflow.council.sittings import agenda, console_records, guards, numbering, records, roles
from workflow.council.sittings.notices import register as register_notices
from workflow.definitions.catalog import Catalog
from workflow.notifications.notices import Notices


def register(catalog: Catalog, notices: Notices) -> None:
    roles.register(catalog)
    guards.register(catalog)
    records.register(catalog)
    agenda.register(catalog)
    console_records.register(catalog)
    numbering.register(catalog)
    register_notices(notices)
