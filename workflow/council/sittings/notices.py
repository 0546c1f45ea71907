"""What a notice about a plenary session says of it: its number, when and where it meets."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from workflow.council.sittings.models import PlenarySession
from workflow.engine.models import Document
from workflow.notifications.notices import Notices


def _session(session: Session, document: Document) -> dict[str, Any]:
    plenary = session.get(PlenarySession, document.id)
    return {
        "session": None
        if plenary is None
        else {
            "number": plenary.number,
            "starts_at": plenary.starts_at,
            "place": plenary.place,
        }
    }


def register(notices: Notices) -> None:
    notices.kind("session", _session)
