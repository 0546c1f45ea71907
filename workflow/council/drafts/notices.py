"""What a notice about a draft decision says of it: its official number, once it has one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.sittings.models import Decision
from workflow.engine.models import Document
from workflow.notifications.notices import Notices


def _draft(session: Session, document: Document) -> dict[str, Any]:
    return {"number": session.scalar(select(Decision.official_number).where(Decision.draft_id == document.id))}


def register(notices: Notices) -> None:
    notices.kind("decision_draft", _draft)
