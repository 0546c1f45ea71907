"""The public discussion of drafts: citizens' comments and their moderation."""

from __future__ import annotations

from workflow.council.discussion import discussion
from workflow.definitions.catalog import Catalog
from workflow.notifications.notices import Notices


def register(catalog: Catalog, _notices: Notices) -> None:
    discussion.register(catalog)
