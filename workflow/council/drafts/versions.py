"""A draft's versions: what it says (title, text) and what it proposes (initiator, committees, majority) after each
save, and which text each round of visas was asked for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow import limits
from workflow.council.drafts import records
from workflow.council.drafts.models import DraftVersion
from workflow.council.organisation.models import Committee
from workflow.council.sittings.votes import THRESHOLDS
from workflow.engine.models import AuditEntry, Document
from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.people import Actor
from workflow.timeutil import as_utc, utcnow

#: the longest initiator's name kept
INITIATOR = 300


@dataclass(frozen=True, slots=True)
class Particulars:
    """What a draft proposes about itself besides its text."""

    initiator: str = ""
    #: "majority" of the total composition, or "two_thirds"
    majority: str = "majority"
    lead_committee_id: int | None = None
    advisory_committee_ids: tuple[int, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Version:
    """One version as pages show it (a draft written before versions were kept has one made of its text)."""

    number: int
    title: str
    body: str
    particulars: Particulars
    audit_version: int
    at: datetime
    by_id: int | None
    amendment_id: int | None = None


def checked(session: Session, particulars: Particulars) -> Particulars:
    """The particulars, tidied, or a refusal saying what is wrong with them."""
    initiator = particulars.initiator.strip()
    if len(initiator) > INITIATOR:
        raise InvalidInput(
            "drafting.initiator_too_long",
            N_("the initiator's name has {length} characters; at most {limit} are kept"),
            length=len(initiator),
            limit=INITIATOR,
        )
    if particulars.majority not in THRESHOLDS:
        raise InvalidInput("drafting.unknown_majority", N_("choose the majority the decision needs"))
    lead, advisory = particulars.lead_committee_id, tuple(particulars.advisory_committee_ids)
    if len(set(advisory)) != len(advisory):
        raise InvalidInput("drafts.committee_named_twice", N_("a committee is named twice"))
    if lead is not None and lead in advisory:
        raise InvalidInput(
            "drafting.lead_also_advisory", N_("the lead committee cannot be an advisory committee as well")
        )
    named = {lead, *advisory} - {None}
    known = set(session.scalars(select(Committee.id).where(Committee.id.in_(named)))) if named else set()
    if named - known:
        raise InvalidInput("drafting.no_such_committee", N_("there is no such committee"))
    return Particulars(initiator, particulars.majority, lead, advisory)


def check_text(title: str, body: str) -> tuple[str, str]:
    """A draft's title and text as they are kept, or why they cannot be (an empty title, a text too long)."""
    title, body = title.strip(), body.replace("\r\n", "\n").strip()
    if not title:
        raise InvalidInput("rules.no_title", N_("the draft has no title"))
    if len(title) > limits.TITLE or len(body) > limits.FIELD_TEXT:
        raise InvalidInput(
            "drafting.too_long",
            N_("the title may have at most {title} characters and the text at most {text}"),
            title=limits.TITLE,
            text=limits.FIELD_TEXT,
        )
    return title, body


def record_version(
    session: Session,
    draft: Document,
    actor: Actor,
    particulars: Particulars,
    *,
    amendment: Document | None = None,
    chained: bool = False,
    now: datetime | None = None,
) -> DraftVersion:
    """Keep the draft as it stands now, with `particulars`, as its next version; flushes. `chained`: the save
    changed the particulars, so the version goes under the draft's chain (`records`)."""
    last = session.scalar(select(func.max(DraftVersion.number)).where(DraftVersion.document_id == draft.id))
    number = (last or 0) + 1
    body = draft.fields.get("body")
    version = DraftVersion(
        document_id=draft.id,
        number=number,
        title=draft.title,
        body=body if isinstance(body, str) else "",
        initiator=particulars.initiator,
        majority=particulars.majority,
        lead_committee_id=particulars.lead_committee_id,
        advisory_committee_ids=list(particulars.advisory_committee_ids),
        audit_version=draft.version,
        amendment_id=None if amendment is None else amendment.id,
        created_at=utcnow() if now is None else as_utc(now),
        created_by_id=actor.id,
    )
    if chained:
        records.record_version(session, version, draft, actor, version.created_at)
    else:
        session.add(version)
        session.flush()
    return version


def versions(session: Session, draft: Document) -> list[Version]:
    """Every version of the draft, the first first; the current text is always the last one's."""
    kept = [
        _as_version(row)
        for row in session.scalars(
            select(DraftVersion).where(DraftVersion.document_id == draft.id).order_by(DraftVersion.number)
        )
    ]
    body = draft.fields.get("body")
    current = (draft.title, body if isinstance(body, str) else "")
    if not kept or (kept[-1].title, kept[-1].body) != current:
        # written or changed by code that kept no version (before versions were kept): the text as it stands
        kept.append(
            Version(
                number=len(kept) + 1,
                title=current[0],
                body=current[1],
                particulars=kept[-1].particulars if kept else Particulars(),
                audit_version=draft.version,
                at=draft.updated_at,
                by_id=None,
            )
        )
    return kept


def particulars_of(session: Session, draft: Document) -> Particulars:
    return versions(session, draft)[-1].particulars


def version_at(all_versions: Sequence[Version], audit_version: int) -> Version | None:
    """The version the draft had at its document version `audit_version` (None: before any was kept)."""
    found = [v for v in all_versions if v.audit_version <= audit_version]
    return found[-1] if found else None


def submissions(session: Session, draft: Document) -> list[int]:
    """The document versions of the draft's submissions for visas, the first first: one per round."""
    return list(
        session.scalars(
            select(AuditEntry.version)
            .where(AuditEntry.document_id == draft.id, AuditEntry.trigger == "submit")
            .order_by(AuditEntry.version)
        )
    )


def _as_version(row: DraftVersion) -> Version:
    return Version(
        number=row.number,
        title=row.title,
        body=row.body,
        particulars=Particulars(
            row.initiator,
            row.majority,
            row.lead_committee_id,
            tuple(int(i) for i in row.advisory_committee_ids or ()),
        ),
        audit_version=row.audit_version,
        at=row.created_at,
        by_id=row.created_by_id,
        amendment_id=row.amendment_id,
    )
