"""Time in one convention: aware datetimes in UTC in the code, naive UTC in hashes and on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; naive values (SQLite gives them back so) are taken to be UTC already."""
    zone = moment.tzinfo
    if zone is UTC:  # most moments: already in the one convention
        return moment
    if zone is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def canonical(moment: datetime) -> str:
    """The one text form of a moment that goes into audit hashes, the same on every database."""
    naive = moment if moment.tzinfo is None else as_utc(moment).replace(tzinfo=None)
    return naive.isoformat(timespec="microseconds")
