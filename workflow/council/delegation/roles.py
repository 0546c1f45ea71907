"""The person a delegation gives its role to."""

from __future__ import annotations

from workflow.definitions.catalog import Catalog
from workflow.engine.models import Document
from workflow.engine.queries import field_in
from workflow.people import Actor


def _is_delegate(document: Document, actor: Actor) -> bool:
    return actor.id is not None and document.fields.get("person_id") == actor.id


def register(catalog: Catalog) -> None:
    catalog.relative_role(
        "delegate",
        "the person a delegation gives the role to",
        person_field="person_id",
        narrow=lambda actor: field_in("person_id", () if actor.id is None else (actor.id,)),
    )(_is_delegate)
