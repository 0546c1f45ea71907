"""A person's notifications in the cabinet: what is unread, the latest ones, and marking them read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.errors import NotAllowed, NotFound
from workflow.i18n import N_
from workflow.notifications.models import Notification
from workflow.timeutil import as_utc


def unread(session: Session, person_id: int) -> list[Notification]:
    """The person's unread notifications, newest first."""
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.person_id == person_id, Notification.read_at.is_(None))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
        )
    )


def unread_count(session: Session, person_id: int) -> int:
    """How many notifications the person has not read (the badge in the cabinet's header)."""
    count = session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.person_id == person_id, Notification.read_at.is_(None))
    )
    return count or 0


def recent(session: Session, person_id: int, limit: int = 20) -> list[Notification]:
    """The person's latest notifications, read or not, newest first."""
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.person_id == person_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_read(session: Session, person_id: int, ids: Iterable[int], now: datetime) -> int:
    """Mark the person's own notifications `ids` read at `now`; returns how many were unread until now.

    Everything is checked before anything changes: an id that does not exist or is someone else's refuses
    the whole request.
    """
    wanted = set(ids)
    if not wanted:
        return 0
    found = session.execute(select(Notification.id, Notification.person_id).where(Notification.id.in_(wanted))).all()
    missing = wanted - {notification_id for notification_id, _ in found}
    if missing:
        raise NotFound(
            "notifications.there_no_notification_value",
            N_("there is no notification {value}"),
            value=", ".join(map(str, sorted(missing))),
        )
    foreign = sorted(notification_id for notification_id, owner in found if owner != person_id)
    if foreign:
        raise NotAllowed(
            "notifications.notification_value_belongs_someone",
            N_("notification {value} belongs to someone else: only its recipient marks it read"),
            value=", ".join(map(str, foreign)),
        )
    moment = as_utc(now)
    notifications = session.scalars(
        select(Notification).where(Notification.id.in_(wanted), Notification.read_at.is_(None))
    ).all()
    for notification in notifications:
        notification.read_at = moment
    session.flush()
    return len(notifications)
