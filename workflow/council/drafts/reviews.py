"""A reviewer's visa requests: the visas awaited from the departments the reviewer reviews for, and for each the
draft's text as it stands beside the text of the round before (what changed since the reviewer last saw it)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.drafts import versions
from workflow.council.drafts.versions import Version
from workflow.engine.models import Document
from workflow.people import Actor


@dataclass(frozen=True, slots=True)
class Request:
    visa: Document
    draft: Document
    #: the text as it stands (the version the current round was submitted with, or later)
    current: Version
    #: the text the previous round of visas was asked for; None in the first round
    previous: Version | None


def visa_requests(session: Session, reviewer: Actor) -> list[Request]:
    """The visas awaited from the reviewer's departments, the oldest first."""
    departments = reviewer.scopes.get("reviewer", frozenset())
    if not departments:
        return []
    visas = session.scalars(
        select(Document)
        .where(
            Document.kind == "visa",
            Document.state == "requested",
            Document.fields["department_id"].as_integer().in_(sorted(departments)),
        )
        .order_by(Document.created_at, Document.id)
    ).all()
    requests = []
    for visa in visas:
        draft = session.get(Document, visa.parent_id)
        if draft is None:
            continue
        kept = versions.versions(session, draft)
        rounds = versions.submissions(session, draft)
        previous = versions.version_at(kept, rounds[-2]) if len(rounds) > 1 else None
        requests.append(Request(visa, draft, kept[-1], previous))
    return requests
