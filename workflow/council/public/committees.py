"""The council's standing committees as the public reads them: who sits on each (and who chairs it), the drafts
referred to it that the law makes public, and the conclusions it signed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from workflow.council.access import may_read
from workflow.council.organisation.models import Committee
from workflow.council.organisation.queries import COMMITTEE_ROLES
from workflow.council.sittings.papers import name_key
from workflow.engine.models import Document
from workflow.files import DocumentFile
from workflow.people import Person, RoleGrant
from workflow.timeutil import as_utc

#: the order members are listed in: the chair, the secretary, then the members
ROLE_ORDER = {role: rank for rank, role in enumerate(COMMITTEE_ROLES)}


@dataclass(frozen=True)
class Member:
    person_id: int
    name: str
    #: committee_chair, committee_secretary or committee_member
    role: str


@dataclass(frozen=True)
class CommitteeSummary:
    committee: Committee
    chair: str
    members: int


@dataclass(frozen=True)
class Conclusion:
    document: Document
    draft: Document
    #: support, support_with_amendments or reject (None when none was given)
    recommendation: str | None
    lead: bool
    file: DocumentFile | None


@dataclass
class CommitteeSheet:
    committee: Committee
    members: list[Member]
    #: the drafts referred to it that the public may read, newest first, with whether it leads on each
    drafts: list[tuple[Document, bool]]
    conclusions: list[Conclusion]


def members_of(session: Session, committee_ids: list[int], at: datetime) -> dict[int, list[Member]]:
    """Each committee's members in their own right at `at`: the chair first, then by name."""
    rows = session.execute(
        select(RoleGrant.scope_id, RoleGrant.role, Person.id, Person.full_name)
        .join(Person, Person.id == RoleGrant.person_id)
        .where(
            RoleGrant.role.in_(COMMITTEE_ROLES),
            RoleGrant.scope_id.in_(committee_ids),
            RoleGrant.delegation_id.is_(None),
            (RoleGrant.starts_at.is_(None)) | (RoleGrant.starts_at <= as_utc(at)),
            (RoleGrant.ends_at.is_(None)) | (RoleGrant.ends_at > as_utc(at)),
        )
    ).all()
    best: dict[tuple[int, int], Member] = {}
    for scope_id, role, person_id, name in rows:
        if scope_id is None:
            continue
        held = best.get((scope_id, person_id))
        if held is None or ROLE_ORDER[role] < ROLE_ORDER[held.role]:
            best[(scope_id, person_id)] = Member(person_id, name, role)
    out: dict[int, list[Member]] = defaultdict(list)
    for (scope_id, _person), member in best.items():
        out[scope_id].append(member)
    for members in out.values():
        members.sort(key=lambda m: (ROLE_ORDER[m.role], name_key(m.name)))
    return out


def list_committees(session: Session, at: datetime) -> list[CommitteeSummary]:
    """The committees serving at `at` (a retired one keeps its own page, for the record, but is not listed)."""
    serving = or_(Committee.retired_at.is_(None), Committee.retired_at > at)
    committees = list(session.scalars(select(Committee).where(serving).order_by(Committee.name)))
    members = members_of(session, [c.id for c in committees], at)
    summaries = []
    for committee in committees:
        listed = members.get(committee.id, [])
        chair = next((m.name for m in listed if m.role == "committee_chair"), "")
        summaries.append(CommitteeSummary(committee, chair, len(listed)))
    return sorted(summaries, key=lambda s: name_key(s.committee.name))


def committee_sheet(session: Session, committee_id: int, at: datetime) -> CommitteeSheet | None:
    committee = session.get(Committee, committee_id)
    if committee is None:
        return None
    conclusions = list(
        session.scalars(
            select(Document)
            .where(
                Document.kind == "committee_conclusion",
                Document.fields["committee_id"].as_integer() == committee_id,
            )
            .order_by(Document.id.desc())
        )
    )
    draft_ids = {c.parent_id for c in conclusions if c.parent_id is not None}
    drafts = (
        {
            d.id: d
            for d in session.scalars(select(Document).where(Document.id.in_(draft_ids)))
            if may_read(session, d, None)
        }
        if draft_ids
        else {}
    )
    signed = [c for c in conclusions if may_read(session, c, None) and c.parent_id in drafts]
    files = {
        f.document_id: f
        for f in session.scalars(
            select(DocumentFile)
            .where(
                DocumentFile.document_id.in_([c.id for c in signed]),
                DocumentFile.name == "committee_conclusion",
            )
            .order_by(DocumentFile.version)
        )
    }
    referred: dict[int, tuple[Document, bool]] = {}
    for conclusion in conclusions:  # newest first: the latest referral says whether it leads
        draft = drafts.get(conclusion.parent_id) if conclusion.parent_id is not None else None
        if draft is not None and draft.id not in referred:
            referred[draft.id] = (draft, bool(conclusion.fields.get("lead")))
    return CommitteeSheet(
        committee=committee,
        members=members_of(session, [committee.id], at).get(committee.id, []),
        drafts=sorted(referred.values(), key=lambda pair: pair[0].id, reverse=True),
        conclusions=[
            Conclusion(
                document=c,
                draft=drafts[c.parent_id],
                recommendation=_text(c.fields.get("recommendation")),
                lead=bool(c.fields.get("lead")),
                file=files.get(c.id),
            )
            for c in signed
            if c.parent_id is not None
        ],
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
