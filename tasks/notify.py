"""Telling people what happened: the outbox's `notify` effect and the deadline sweep's reminders become one
notification per person (shown in the cabinet) and, by the person's choice, an e-mail now or a line in the daily
digest. Everything is keyed, so a task that runs twice tells nobody twice.

E-mails are only queued here (`OutgoingMail`), in the caller's transaction; `tasks.mail.deliver_due` sends them
after the commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tasks.mail import message_id
from tasks.messages import local_moment, render
from workflow.config import Settings
from workflow.council.catalog import NOTICES
from workflow.council.law import KYIV
from workflow.definitions.registry import registry_of
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.engine.outbox import Handler
from workflow.errors import NotFound
from workflow.i18n import N_
from workflow.notifications.models import Notification, OutgoingMail
from workflow.notifications.notices import NotifyParams
from workflow.notifications.recipients import recipients
from workflow.people import Person
from workflow.timeutil import as_utc


def tell(
    session: Session,
    settings: Settings,
    document: Document,
    *,
    roles: Sequence[str],
    template: str,
    key: str,
    now: datetime,
    actor_id: int | None = None,
    extra: Mapping[str, Any] | None = None,
) -> int:
    """Tell the people `roles` reach for `document` (never `actor_id`, who made the move) with `template`;
    returns how many were told now. A person already told under `key` is skipped, so calling it again is harmless.

    Each gets a `Notification` keyed `<key>:<person>`; one who has an e-mail address gets an `OutgoingMail` now
    (`email_mode` immediate) or the notification waits for the daily digest (`email_mode` digest). `extra` adds to
    (or overrides) the template's context: e.g. `comment`, `data` (what was sent with the move), `due_at` (a
    datetime is written in Kyiv time), a title in both languages (`state_title`: anything with `.uk` and `.en`)
    in the recipient's; `state` names the state the message is about when it is not the document's current one.
    """
    extra = dict(extra or {})
    state = extra.pop("state", None)
    about = state if isinstance(state, str) else document.state
    now = as_utc(now)
    people = recipients(session, document, roles, now=now, exclude=actor_id)
    keys = {person.id: f"{key}:{person.id}" for person in people}
    taken = set(session.scalars(select(Notification.key).where(Notification.key.in_(list(keys.values())))))
    people = [person for person in people if keys[person.id] not in taken]
    if not people:
        return 0
    context = _Context(session, settings, document, state=about, actor_id=actor_id, extra=extra)
    # every message is written before anything is stored: a template that fails leaves nobody half-told
    messages = [render(template, person.locale, context.for_person(person)) for person in people]
    for person, message in zip(people, messages, strict=True):
        by_mail = bool(person.email) and not settings.email_off
        notification = Notification(
            key=keys[person.id],
            person_id=person.id,
            document_id=document.id,
            template=template,
            subject=message.subject,
            body=message.body,
            link=context.link,
            created_at=now,
            digest_pending=by_mail and person.email_mode == "digest",
        )
        session.add(notification)
        if by_mail and person.email_mode != "digest":
            session.flush()  # the notification's id names its e-mail
            mail_key = f"notification:{notification.id}"
            session.add(
                OutgoingMail(
                    key=mail_key,
                    person_id=person.id,
                    to_address=person.email,
                    subject=message.subject,
                    body=message.body,
                    message_id=message_id(mail_key, settings),
                    available_at=now,
                    created_at=now,
                )
            )
    session.flush()
    return len(people)


def notify_handler(settings: Settings) -> Handler:
    """The outbox handler of the `notify` effect: who and which template from the row's params, the mover and
    the move's comment from the audit entry that recorded it."""

    def handle(session: Session, row: OutboxRow, now: datetime) -> None:
        params = NotifyParams.model_validate(row.params)
        document = session.get(Document, row.document_id)
        if document is None:
            raise NotFound(
                "notify.document_document_id_gone",
                N_("document {document_id} is gone"),
                document_id=row.document_id,
            )
        entry = session.scalar(
            select(AuditEntry).where(AuditEntry.document_id == row.document_id, AuditEntry.version == row.audit_version)
        )
        if entry is None:
            raise NotFound(
                "notify.document_document_id_no",
                N_("document {document_id} has no audit entry {audit_version}"),
                document_id=row.document_id,
                audit_version=row.audit_version,
            )
        tell(
            session,
            settings,
            document,
            roles=params.roles,
            template=params.template,
            key=row.idempotency_key,
            now=now,
            actor_id=_mover(session, entry),
            extra={"comment": entry.comment, "data": dict(entry.data or {}), "state": entry.to_state},
        )

    return handle


def queue_digests(session: Session, settings: Settings, now: datetime) -> int:
    """One e-mail per person listing the notifications that waited for their digest; returns how many.

    Keyed by the person and the day (Kyiv time): called twice on one day, the second call queues nothing, and
    what arrived in between waits for the next day's digest.
    """
    if settings.email_off:
        return 0  # no e-mail at all: what waited for a digest stays in the cabinets
    now = as_utc(now)
    today = now.astimezone(KYIV).date()
    waiting = session.scalars(
        select(Notification).where(Notification.digest_pending.is_(True)).order_by(Notification.id)
    ).all()
    by_person: dict[int, list[Notification]] = {}
    for notification in waiting:
        by_person.setdefault(notification.person_id, []).append(notification)
    queued = 0
    for person_id, notifications in by_person.items():
        key = f"digest:{person_id}:{today.isoformat()}"
        if session.scalar(select(OutgoingMail.id).where(OutgoingMail.key == key)) is not None:
            continue
        person = session.get(Person, person_id)
        if person is None or not person.email:
            for notification in notifications:
                notification.digest_pending = False
            continue
        message = render(
            "digest",
            person.locale,
            {
                "person": {"name": person.full_name},
                "date": f"{today:%d.%m.%Y}",
                "base_url": settings.base_url,
                "notifications": [
                    {"subject": n.subject, "link": n.link, "created_at": local_moment(n.created_at)}
                    for n in notifications
                ],
            },
        )
        try:
            # a digest queued meanwhile by another sweep takes the key: this one gives way, changing nothing
            with session.begin_nested():
                session.add(
                    OutgoingMail(
                        key=key,
                        person_id=person.id,
                        to_address=person.email,
                        subject=message.subject,
                        body=message.body,
                        message_id=message_id(key, settings),
                        available_at=now,
                        created_at=now,
                    )
                )
                for notification in notifications:
                    notification.digest_pending = False
        except IntegrityError:
            continue
        queued += 1
    session.flush()
    return queued


def _mover(session: Session, entry: AuditEntry) -> int | None:
    """Who made the move: its actor, or for a move the system made because of a child document's (a draft
    returned because a reviewer returned its visa), the person who moved the child."""
    if entry.actor_id is not None:
        return entry.actor_id
    child_id = entry.data.get("because_of") if isinstance(entry.data, dict) else None
    if not isinstance(child_id, int):
        return None
    return session.scalar(
        select(AuditEntry.actor_id)
        .where(AuditEntry.document_id == child_id, AuditEntry.at <= entry.at)
        .order_by(AuditEntry.version.desc())
        .limit(1)
    )


class _Context:
    """What every message about one document may say, computed once and put in each recipient's language."""

    def __init__(
        self,
        session: Session,
        settings: Settings,
        document: Document,
        *,
        state: str,
        actor_id: int | None,
        extra: Mapping[str, Any],
    ) -> None:
        self.session = session
        self.settings = settings
        self.document = document
        self.state = state
        self.link = f"{settings.base_url}/documents/{document.id}"
        self.parent = None if document.parent_id is None else session.get(Document, document.parent_id)
        actor = None if actor_id is None else session.get(Person, actor_id)
        self.actor = None if actor is None else actor.full_name
        # what notices of this kind say of it (a decision's number, a session's date and place, a delegation's role)
        facts = {name: _moments(value) for name, value in NOTICES.facts(session, document).items()}
        self.number = facts.get("number")
        self.plenary = facts.get("session")
        self.role_title = facts.get("role_title")
        # the state's deadline, while the document is still in the state the message is about
        self.due_at = local_moment(document.due_at) if document.due_at is not None and document.state == state else None
        self.extra = {
            name: local_moment(value) if isinstance(value, datetime) else value for name, value in extra.items()
        }

    def for_person(self, person: Person) -> dict[str, Any]:
        locale = person.locale if person.locale in ("uk", "en") else "uk"
        registry = registry_of(self.session)
        compiled = registry.get(self.document.kind, self.document.definition_version, self.session)
        parent = None
        if self.parent is not None:
            parent_definition = registry.get(self.parent.kind, self.parent.definition_version, self.session)
            parent = {
                "id": self.parent.id,
                "title": self.parent.title,
                "kind_title": getattr(parent_definition.definition.title, locale),
                "link": f"{self.settings.base_url}/documents/{self.parent.id}",
            }
        return {
            "person": {"name": person.full_name},
            "document": {
                "id": self.document.id,
                "kind": self.document.kind,
                "title": self.document.title,
                "kind_title": getattr(compiled.definition.title, locale),
                "number": self.number,
                "fields": dict(self.document.fields),
            },
            "parent": parent,
            "session": self.plenary,
            "role_title": _in_locale(self.role_title, locale),
            "state_title": getattr(compiled.state(self.state).title, locale),
            "actor": self.actor,
            "comment": None,
            # what was sent with the move (e.g. a committee's opinion on an amendment)
            "data": {},
            "due_at": self.due_at,
            "link": self.link,
            "base_url": self.settings.base_url,
            **{name: _in_locale(value, locale) for name, value in self.extra.items()},
        }


def _moments(value: Any) -> Any:
    """A moment written in Kyiv time, also inside a mapping (a session's `starts_at`)."""
    if isinstance(value, datetime):
        return local_moment(value)
    if isinstance(value, Mapping):
        return {name: _moments(inner) for name, inner in value.items()}
    return value


def _in_locale(value: Any, locale: str) -> Any:
    """A title given in both languages (a definition's `Title`, or a {"uk": ..., "en": ...} mapping) in one."""
    if isinstance(value, Mapping) and set(value) == {"uk", "en"}:
        return value[locale]
    if hasattr(value, "uk") and hasattr(value, "en"):
        return getattr(value, locale)
    return value
