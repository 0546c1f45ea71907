"""How the cabinet's pages present what the domain holds: moments in the reader's language and Kyiv time, an
action's title, a document's fields by their labels (ids by name), its related documents, and its history in
words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import select

from web.database import db
from web.extension import radaflow
from web.i18n import current as current_language
from web.i18n import say
from workflow import i18n
from workflow.council.access import may_read, names_its_author_publicly
from workflow.council.drafts.records import DRAFT_VERSION
from workflow.council.organisation.models import Committee, Department
from workflow.engine.audit import CREATE, EDIT, MIGRATE, RECORD
from workflow.engine.models import AuditEntry, Document
from workflow.people import Actor, Person
from workflow.timeutil import as_utc

#: how the fields documents carry are named on the page; others are shown by their own name
FIELD_LABELS = {
    "body": lazy_gettext("Text"),
    "text": lazy_gettext("Text of the message"),
    "answer": lazy_gettext("Answer"),
    "reason": lazy_gettext("Grounds"),
    "role": lazy_gettext("Powers"),
    "starts_at": lazy_gettext("From"),
    "ends_at": lazy_gettext("Until"),
    "deputy_id": lazy_gettext("Deputy"),
    "person_id": lazy_gettext("To whom"),
    "committee_id": lazy_gettext("Committee"),
    "lead_committee_id": lazy_gettext("Lead committee"),
    "department_id": lazy_gettext("Department"),
    "department_kind": lazy_gettext("Kind of department"),
    "recommendation": lazy_gettext("Recommendation"),
    "lead": lazy_gettext("The committee's part"),
    "kind": lazy_gettext("Kind of session"),
    "replace": lazy_gettext("Words of the text it changes"),
    "wording": lazy_gettext("New wording"),
}
#: fields whose values are names kept by the system, shown by their titles
VALUE_TITLES: dict[str, dict[object, Any]] = {
    "department_kind": {"legal": lazy_gettext("legal department"), "finance": lazy_gettext("finance department")},
    "recommendation": {
        "support": lazy_gettext("support the draft decision"),
        "support_with_amendments": lazy_gettext("support the draft decision with amendments"),
        "reject": lazy_gettext("reject the draft decision"),
    },
    "lead": {True: lazy_gettext("lead committee"), False: lazy_gettext("advisory committee")},
    "kind": {"regular": lazy_gettext("regular session"), "extraordinary": lazy_gettext("extraordinary session")},
}
#: fields holding a person's, a committee's or a department's id, shown by name
_NAMED = {
    "deputy_id": Person,
    "person_id": Person,
    "committee_id": Committee,
    "lead_committee_id": Committee,
    "department_id": Department,
}
_MOMENTS = ("starts_at", "ends_at", "closes_at")


@dataclass(frozen=True)
class Step:
    """One entry of a document's history, as the page shows it."""

    at: str
    #: the moment in ISO form, for <time datetime>
    iso: str
    who: str
    what: str
    from_state: str | None
    to_state: str
    comment: str | None
    #: whether `who` is a person's name (content), not a word of the page's
    named: bool = False


def local(moment: datetime | None) -> str:
    """'18.03.2026 11:00' in Kyiv time, as the council reads it (Babel's formatting, the reader's language)."""
    return "" if moment is None else i18n.moment(moment, current_language())


def title_of(action: Any) -> str:
    """An action's title in the reader's language."""
    return str(action.title_en if current_language() == "en" else action.title_uk)


def fields(document: Document) -> list[tuple[str, str]]:
    shown = []
    for name, value in document.fields.items():
        if value is None or value == "" or name not in FIELD_LABELS:
            continue  # a field with no label is the system's own bookkeeping (an id, a position), not content
        label = FIELD_LABELS[name]
        if name in VALUE_TITLES:
            title = VALUE_TITLES[name].get(value)
            if title is None:
                continue
            text = str(title)
        elif name == "role" and isinstance(value, str):
            role = radaflow().registry.catalog.role_titles.get(value)
            text = value if role is None else say(role)
        elif name in _NAMED and isinstance(value, int):
            named = db().get(_NAMED[name], value)
            text = getattr(named, "full_name", None) or getattr(named, "name", None) or f"№ {value}"
        elif name in _MOMENTS and isinstance(value, str):
            try:
                text = local(datetime.fromisoformat(value))
            except (ValueError, OverflowError):
                text = value
        elif isinstance(value, str | int | float):
            text = str(value)
        else:
            continue  # structured data (lists, mappings) belongs to the pages of each kind
        shown.append((label, text))
    return shown


@dataclass(frozen=True)
class Related:
    id: int
    kind_title: str
    title: str
    state_title: str


def related(document_id: int | None, actor: Actor | None) -> Related | None:
    """The parent document, if the reader may read it."""
    if document_id is None:
        return None
    found = db().get(Document, document_id)
    return None if found is None or not may_read(db(), found, actor) else _as_related(found)


def _as_related(found: Document) -> Related:
    compiled = radaflow().registry.get(found.kind, found.definition_version, db())
    return Related(found.id, say(compiled.definition.title), found.title, say(compiled.state(found.state).title))


def children(document: Document, actor: Actor | None) -> list[Related]:
    """The documents made for this one (visas, conclusions, ...) that the reader may read."""
    found = db().scalars(select(Document).where(Document.parent_id == document.id).order_by(Document.id)).all()
    return [_as_related(child) for child in found if may_read(db(), child, actor)]


def history(document: Document, *, full: bool) -> list[Step]:
    """The document's audit trail in words. Read from outside (`full` False), it says what happened and when,
    and who did it unless that is a private kind's author, but not the comments said on the way."""
    session = db()
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.document_id == document.id).order_by(AuditEntry.version)
    ).all()
    names = dict(
        session.execute(
            select(Person.id, Person.full_name).where(Person.id.in_({e.actor_id for e in entries if e.actor_id}))
        ).all()
    )
    compiled = radaflow().registry.get(document.kind, document.definition_version, session)
    # a document migrated from an earlier version may have moves this one no longer names: shown by their name
    actions = {t.trigger: say(t.title) for t in compiled.definition.transitions} | {
        CREATE: _("Created"),
        EDIT: _("Content changed"),
        MIGRATE: _("Moved to a new version of the scheme"),
        RECORD: _("Entered in the record (a vote, the attendance or a decision's number)"),
    }
    particulars_changed = _("Particulars changed (the initiator, the committees or the majority)")
    states = {name: say(s.title) for name, s in compiled.definition.states.items()}
    return [
        Step(
            at=local(entry.at),
            iso=as_utc(entry.at).isoformat(),
            who=_who(entry, names, document, full),
            what=particulars_changed if _changes_particulars(entry) else actions.get(entry.trigger, entry.trigger),
            from_state=None if entry.from_state is None else states.get(entry.from_state, entry.from_state),
            to_state=states.get(entry.to_state, entry.to_state),
            comment=entry.comment if full else None,
            named=entry.actor_id is not None
            and (full or entry.actor_id != document.author_id or names_its_author_publicly(document)),
        )
        for entry in entries
    ]


def _changes_particulars(entry: AuditEntry) -> bool:
    return entry.trigger == RECORD and entry.data.get("record") == DRAFT_VERSION


def _who(entry: AuditEntry, names: Mapping[int, str], document: Document, full: bool) -> str:
    if entry.actor_id is None:
        return str(_("system"))
    if not full and entry.actor_id == document.author_id and not names_its_author_publicly(document):
        return str(_("the author of the message"))
    return names.get(entry.actor_id, "—")
