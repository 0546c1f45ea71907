"""Record ids as the outside world sends them: in URLs, in posted forms, on the command line.

Ids are 32-bit integers in the database (PostgreSQL's INTEGER; SQLite takes up to 2^63 - 1, and Python ints
overflow both). An id outside 1 .. 2^31 - 1 names no record: it is simply not found, never a database error.
"""

from __future__ import annotations

from collections.abc import Iterable

from werkzeug.routing import IntegerConverter, Map

#: the largest id a record can have (PostgreSQL's INTEGER)
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<id:document_id>`: digits naming a possible record; any other number matches no route (404)."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def parse_ids(values: Iterable[str]) -> list[int] | None:
    """Posted ids (`id=3&id=5`) as ints, or None when any is not an id (then nothing of the form is done)."""
    parsed = []
    for value in values:
        if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_ID)):
            return None
        number = int(value)
        if not is_id(number):
            return None
        parsed.append(number)
    return parsed
