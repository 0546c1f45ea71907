"""A decision's legal status, as its public page states it: adopted (and until when the mayor may veto it),
vetoed, the veto overridden, signed, published, in force since — from its log, by the moves that made it so —
and the later decisions that amend or repeal it, and the earlier ones it changes, linked both ways."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.decisions.index import AMENDS, KIND, REPEALS, related_ids
from workflow.council.decisions.models import DecisionEntry, DecisionLink
from workflow.engine.models import AuditEntry, Document

#: the states in which a decision has legal effect (and so changes the ones it amends or repeals)
EFFECTIVE = ("signed", "published", "in_force")
#: the moves whose moments the status tells, by what they mean
MOMENTS = {
    "adopt": "adopted",
    "reject": "rejected",
    "veto": "vetoed",
    "override_veto": "veto_overridden",
    "sign": "signed",
    "veto_period_ends": "signed",
    "publish": "published",
    "enter_into_force": "in_force",
    "drop": "dropped",
}


@dataclass(frozen=True, slots=True)
class Linked:
    """Another decision, as a link on this one's page."""

    document_id: int
    official_number: str | None
    title: str
    status: str
    #: "amends" or "repeals"
    how: str

    @property
    def effective(self) -> bool:
        return self.status in EFFECTIVE


@dataclass(frozen=True, slots=True)
class LegalStatus:
    state: str
    #: when each step happened (the latest move of each meaning): adopted, rejected, vetoed, veto_overridden,
    #: signed, published, in_force, dropped
    moments: dict[str, datetime] = field(default_factory=dict)
    #: while adopted: the end of the mayor's veto period
    veto_period_ends: datetime | None = None
    #: later decisions that change this one (those in effect and those not yet)
    changed_by: tuple[Linked, ...] = ()
    #: earlier decisions this one changes
    changes: tuple[Linked, ...] = ()

    @property
    def repealed_by(self) -> tuple[Linked, ...]:
        return tuple(link for link in self.changed_by if link.how == REPEALS and link.effective)

    @property
    def amended_by(self) -> tuple[Linked, ...]:
        return tuple(link for link in self.changed_by if link.how == AMENDS and link.effective)

    @property
    def veto_overridden(self) -> bool:
        overridden, vetoed = self.moments.get("veto_overridden"), self.moments.get("vetoed")
        return overridden is not None and (vetoed is None or overridden >= vetoed)


def legal_status(session: Session, document: Document) -> LegalStatus:
    moments: dict[str, datetime] = {}
    for trigger, at in session.execute(
        select(AuditEntry.trigger, AuditEntry.at)
        .where(AuditEntry.document_id == document.id, AuditEntry.trigger.in_(list(MOMENTS)))
        .order_by(AuditEntry.version)
    ):
        moments[MOMENTS[trigger]] = at  # the latest of each
    changed_by = [
        _linked(entry_document, entry, how)
        for entry_document, entry, how in session.execute(
            select(Document, DecisionEntry, DecisionLink.how)
            .join(DecisionEntry, DecisionEntry.document_id == DecisionLink.document_id)
            .join(Document, Document.id == DecisionLink.document_id)
            .where(DecisionLink.target_id == document.id)
            .order_by(DecisionEntry.decided_on, DecisionLink.document_id)
        ).all()
    ]
    changes = []
    for how in (REPEALS, AMENDS):
        for target_id in related_ids(document, how):
            target = session.get(Document, target_id)
            entry = session.get(DecisionEntry, target_id)
            if target is not None and target.kind == KIND and entry is not None:  # only what the registry lists
                changes.append(_linked(target, entry, how))
    return LegalStatus(
        state=document.state,
        moments=moments,
        veto_period_ends=document.due_at if document.state == "adopted" else None,
        changed_by=tuple(changed_by),
        changes=tuple(changes),
    )


def _linked(document: Document, entry: DecisionEntry, how: str) -> Linked:
    return Linked(document.id, entry.official_number, document.title, entry.status, how)
