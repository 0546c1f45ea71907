"""Conditions on the documents' table that the council's roles and guards give in SQL (`RoleSpec.narrow`,
`GuardSpec.condition`), so that a list of work asks the database for its candidates once."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, false

from workflow.engine.models import Document


def field_in(name: str, ids: Collection[int]) -> ColumnElement[bool]:
    """Documents whose field `name` holds one of `ids` (an id, as the domain writes it); none for no ids."""
    if not ids:
        return false()
    condition: ColumnElement[bool] = Document.fields[name].as_integer().in_(sorted(ids))
    return condition
