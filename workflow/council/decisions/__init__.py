"""The public registry of decisions: its index (kept in the transaction of every change of a draft decision), the
full-text search over it with Ukrainian word forms, and what the public decision page shows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from workflow.council.decisions.index import DECISION_STATES, KIND, index_decision
from workflow.definitions.catalog import Catalog
from workflow.engine.models import Document
from workflow.notifications.notices import Notices


def _keep_indexed(session: Session, document: Document, now: datetime) -> None:
    index_decision(session, document, now)


def register(catalog: Catalog, _notices: Notices) -> None:
    catalog.on_change(
        KIND,
        "index_decision",
        "keep the decision's entry in the public registry's index current",
        states=DECISION_STATES,  # a draft never listed has no entry to keep: its moves cost the index nothing
    )(_keep_indexed)
