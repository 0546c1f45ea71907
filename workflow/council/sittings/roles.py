"""Who chairs a sitting: the mayor, or a deputy delegated to chair that session."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from workflow.definitions.catalog import Catalog
from workflow.engine.models import Document
from workflow.people import Actor


def _chairs_session(document: Document, actor: Actor) -> bool:
    # a session is its own subject; its agenda items and its protocol are its children
    return (
        actor.holds("mayor")
        or actor.holds_for("session_chair", document.id)
        or actor.holds_for("session_chair", document.parent_id)
    )


def _where_chairs(actor: Actor) -> ColumnElement[bool]:
    if actor.holds("mayor"):
        return true()
    sessions = sorted(actor.scopes.get("session_chair", ()))
    return or_(Document.id.in_(sessions), Document.parent_id.in_(sessions))


def register(catalog: Catalog) -> None:
    catalog.relative_role(
        "session_chair",
        "who chairs the sitting: the mayor, or a deputy delegated to chair this session",
        narrow=_where_chairs,
    )(_chairs_session)
