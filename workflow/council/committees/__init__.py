"""A standing committee's work: its meetings with their papers and attendance, its votes on its conclusions."""

from __future__ import annotations

from workflow.council.committees import records
from workflow.definitions.catalog import Catalog
from workflow.notifications.notices import Notices


def register(catalog: Catalog, _notices: Notices) -> None:
    records.register(catalog)
