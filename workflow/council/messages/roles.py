"""The deputy a citizen's message is addressed to."""

from __future__ import annotations

from workflow.definitions.catalog import Catalog
from workflow.engine.models import Document
from workflow.engine.queries import field_in
from workflow.people import Actor


def _is_addressee(document: Document, actor: Actor) -> bool:
    return actor.id is not None and document.fields.get("deputy_id") == actor.id


def register(catalog: Catalog) -> None:
    catalog.relative_role(
        "addressee",
        "the deputy a citizen's message is addressed to",
        person_field="deputy_id",
        narrow=lambda actor: field_in("deputy_id", () if actor.id is None else (actor.id,)),
    )(_is_addressee)
