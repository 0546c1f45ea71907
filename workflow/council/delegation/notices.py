"""What a notice about a delegation says of it: the role it gives, named in words."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from workflow.council.delegation.delegation import ROLE_TITLES
from workflow.engine.models import Document
from workflow.notifications.notices import Notices


def _delegation(_session: Session, document: Document) -> dict[str, Any]:
    return {"role_title": ROLE_TITLES.get(str(document.fields.get("role")))}


def register(notices: Notices) -> None:
    notices.kind("delegation", _delegation)
