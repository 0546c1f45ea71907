"""Who chairs a sitting: the mayor, or a deputy delegated to chair that session."""

from __future__ import annotations

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


def register(catalog: Catalog) -> None:
    catalog.relative_role(
        "session_chair",
        "who chairs the sitting: the mayor, or a deputy delegated to chair this session",
    )(_chairs_session)
