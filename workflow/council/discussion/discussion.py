"""The public discussion of a draft decision: while the draft is in public discussion, signed-in citizens
comment on it (for, against or neutral) under a name they choose; the secretary hides a comment that breaks the
rules, saying why, and the hiding goes into the draft's audit chain. The law's period of discussion is counted in
working days from the draft's publication (`workflow.council.law`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.calendar import add_working_days, working_days_between
from workflow.council.discussion.models import DiscussionComment
from workflow.council.law import LAW
from workflow.council.ledger import moment, put_under_chain, row_spec
from workflow.definitions.catalog import Catalog
from workflow.engine import lock_document
from workflow.engine.models import AuditEntry, Document
from workflow.errors import InvalidInput, NotAllowed, NotFound, WrongState
from workflow.i18n import N_, local_date
from workflow.limits import COMMENT
from workflow.people import Actor, Person
from workflow.timeutil import as_utc, utcnow

DRAFT = "decision_draft"
#: the state in which a draft takes comments
OPEN_STATE = "public_discussion"
POSITIONS = ("for", "against", "neutral")
#: the longest comment a citizen may post, and the longest name shown with it
MAX_TEXT = 3000
MAX_NAME = 100
#: who writes comments, and who moderates them
CITIZEN, MODERATOR = "citizen", "secretary"
#: the kind of record a hiding is, in the draft's chain
HIDDEN = "comment_hidden"


@dataclass(frozen=True, slots=True)
class Tally:
    """The comments on a draft: those shown, by position, and how many were hidden."""

    votes_for: int = 0
    against: int = 0
    neutral: int = 0
    hidden: int = 0

    @property
    def shown(self) -> int:
        return self.votes_for + self.against + self.neutral


@dataclass(frozen=True, slots=True)
class Period:
    """The law's period of a draft's public discussion: from its publication, so many working days."""

    published_at: datetime
    #: the last day of the period (Kyiv), and the working days left of it on the day asked
    ends_on: date
    days_left: int


def is_open(draft: Document) -> bool:
    return draft.kind == DRAFT and draft.state == OPEN_STATE


def published_at(session: Session, draft: Document) -> datetime | None:
    """When the draft was last published for discussion, by the log's order (not by the clock)."""
    return session.scalar(
        select(AuditEntry.at)
        .where(AuditEntry.document_id == draft.id, AuditEntry.trigger == "publish_for_discussion")
        .order_by(AuditEntry.version.desc())
        .limit(1)
    )


def period_of(published: datetime, now: datetime) -> Period:
    """The legal period from a publication at `published`, as it stands at `now`."""
    end = add_working_days(as_utc(published), LAW.publication_working_days)
    passed = working_days_between(local_date(published), local_date(now))
    return Period(as_utc(published), local_date(end), max(0, LAW.publication_working_days - passed))


def discussion_period(session: Session, draft: Document, now: datetime | None = None) -> Period | None:
    """The period of the draft's current discussion, or None when it is not open for discussion."""
    if not is_open(draft):
        return None
    published = published_at(session, draft)
    return None if published is None else period_of(published, utcnow() if now is None else as_utc(now))


@dataclass(frozen=True, slots=True)
class OpenDraft:
    draft: Document
    period: Period
    tally: Tally


def open_for_discussion(session: Session, now: datetime | None = None) -> list[OpenDraft]:
    """Every draft open for public discussion, the newest publication first, with its period and comments."""
    now = utcnow() if now is None else as_utc(now)
    drafts = list(
        session.scalars(
            select(Document).where(Document.kind == DRAFT, Document.state == OPEN_STATE).order_by(Document.id.desc())
        )
    )
    published = _published(session, [d.id for d in drafts])
    tallies = tallies_of(session, [d.id for d in drafts])
    rows = [
        OpenDraft(d, period_of(published[d.id], now), tallies.get(d.id, Tally())) for d in drafts if d.id in published
    ]
    return sorted(rows, key=lambda row: (row.period.published_at, row.draft.id), reverse=True)


def _published(session: Session, ids: Sequence[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    latest = (
        select(AuditEntry.document_id, func.max(AuditEntry.version).label("version"))
        .where(AuditEntry.document_id.in_(list(ids)), AuditEntry.trigger == "publish_for_discussion")
        .group_by(AuditEntry.document_id)
        .subquery()
    )
    rows = session.execute(
        select(AuditEntry.document_id, AuditEntry.at).join(
            latest, (latest.c.document_id == AuditEntry.document_id) & (latest.c.version == AuditEntry.version)
        )
    )
    return {document_id: as_utc(at) for document_id, at in rows}


# --- reading the comments ----------------------------------------------------------------------------------------
def comments_of(session: Session, draft_id: int) -> list[DiscussionComment]:
    """The draft's comments in the order they were posted."""
    return list(
        session.scalars(
            select(DiscussionComment).where(DiscussionComment.draft_id == draft_id).order_by(DiscussionComment.id)
        )
    )


def tallies_of(session: Session, draft_ids: Collection[int]) -> dict[int, Tally]:
    if not draft_ids:
        return {}
    counts: dict[int, Counter[str]] = {}
    rows = session.execute(
        select(
            DiscussionComment.draft_id,
            DiscussionComment.position,
            DiscussionComment.hidden_at.is_not(None),
            func.count(),
        )
        .where(DiscussionComment.draft_id.in_(list(draft_ids)))
        .group_by(DiscussionComment.draft_id, DiscussionComment.position, DiscussionComment.hidden_at.is_not(None))
    )
    for draft_id, position, hidden, count in rows:
        counts.setdefault(draft_id, Counter())["hidden" if hidden else position] += count
    return {draft_id: Tally(c["for"], c["against"], c["neutral"], c["hidden"]) for draft_id, c in counts.items()}


def tally(session: Session, draft_id: int) -> Tally:
    return tallies_of(session, [draft_id]).get(draft_id, Tally())


# --- commenting and moderating -------------------------------------------------------------------------------------
def post_comment(
    session: Session,
    draft: Document,
    citizen: Actor,
    *,
    name: str,
    position: str,
    text: str,
    now: datetime | None = None,
) -> DiscussionComment:
    """A citizen's comment on a draft open for discussion, or a refusal saying why (then nothing is written)."""
    now = utcnow() if now is None else as_utc(now)
    if citizen.id is None or not citizen.holds(CITIZEN):
        raise NotAllowed(
            "discussion.citizens_only", N_("only citizens signed in with their own account comment on drafts")
        )
    author = session.get(Person, citizen.id)
    if author is None or author.email_confirmed_at is None:  # an account of an address nobody has shown is theirs
        raise NotAllowed(
            "discussion.confirm_first", N_("confirm your e-mail address first: follow the link in the e-mail")
        )
    name, text = name.strip(), text.strip()
    if not name:
        raise InvalidInput("discussion.no_name", N_("say the name to show with your comment"))
    if len(name) > MAX_NAME:
        raise InvalidInput(
            "discussion.name_too_long",
            N_("the name has {length} characters; at most {limit} are shown"),
            length=len(name),
            limit=MAX_NAME,
        )
    if position not in POSITIONS:
        raise InvalidInput("discussion.no_position", N_("say whether you are for, against or neutral"))
    if not text:
        raise InvalidInput("discussion.no_text", N_("the comment is empty: write it first"))
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            "discussion.text_too_long",
            N_("the comment has {length} characters; at most {limit} are accepted"),
            length=len(text),
            limit=MAX_TEXT,
        )
    # under the draft's lock: a draft that leaves the discussion meanwhile takes no more comments
    lock_document(session, draft)
    if not is_open(draft):
        raise WrongState("discussion.not_open", N_("«{title}» is not open for public discussion"), title=draft.title)
    comment = DiscussionComment(
        draft_id=draft.id,
        author_id=citizen.id,
        shown_name=name,
        position=position,
        text=text,
        posted_at=now,
        draft_version=draft.version,
    )
    session.add(comment)
    session.flush()
    return comment


def get_comment(session: Session, draft: Document, comment_id: int) -> DiscussionComment:
    comment = session.get(DiscussionComment, comment_id)
    if comment is None or comment.draft_id != draft.id:
        raise NotFound("discussion.no_comment", N_("the draft has no comment {id}"), id=comment_id)
    return comment


def hide_comment(
    session: Session,
    draft: Document,
    comment: DiscussionComment,
    moderator: Actor,
    reason: str,
    *,
    now: datetime | None = None,
) -> DiscussionComment:
    """The secretary hides a comment, saying why; the public sees that it was hidden and why, not its text. The
    hiding is recorded in the draft's audit chain (`radaflow audit verify` finds it undone or changed)."""
    now = utcnow() if now is None else as_utc(now)
    if not moderator.holds(MODERATOR):
        raise NotAllowed("discussion.moderated_by_secretary", N_("comments are moderated by the council's secretary"))
    if comment.draft_id != draft.id:
        raise NotFound("discussion.no_comment", N_("the draft has no comment {id}"), id=comment.id)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("discussion.no_reason", N_("say why the comment is hidden: the public reads the reason"))
    if len(reason) > COMMENT:
        raise InvalidInput(
            "discussion.reason_too_long",
            N_("the reason has {length} characters; at most {limit} are kept"),
            length=len(reason),
            limit=COMMENT,
        )
    lock_document(session, draft)
    session.refresh(comment)
    if comment.hidden_at is not None:
        raise WrongState("discussion.already_hidden", N_("the comment is hidden already"))
    comment.hidden_at, comment.hidden_by_id, comment.hidden_reason = now, moderator.id, reason
    return put_under_chain(session, comment, draft, moderator, record=HIDDEN, content=_content, now=now)


# --- the hiding under the chain --------------------------------------------------------------------------------
def _content(comment: DiscussionComment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "draft_id": comment.draft_id,
        "author_id": comment.author_id,
        "shown_name": comment.shown_name,
        "position": comment.position,
        "text": comment.text,
        "posted_at": moment(comment.posted_at),
        "hidden_at": moment(comment.hidden_at),
        "hidden_by_id": comment.hidden_by_id,
        "hidden_reason": comment.hidden_reason,
        "audit_version": comment.audit_version,
    }


def register(catalog: Catalog) -> None:
    catalog.record(
        row_spec(
            HIDDEN,
            "a citizen's comment hidden by the secretary, with the reason",
            key=DiscussionComment.id,
            ledger=DiscussionComment.draft_id,
            content=_content,
        )
    )
