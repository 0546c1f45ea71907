"""Highlighted passages: the words of a text that a query's words found (in any of their forms) marked, as parts
of plain text the page escapes itself; nothing here is HTML."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workflow.council.decisions.words import normalised, words

#: the characters of a passage shown before the first word found, and in all
BEFORE, LENGTH = 80, 280


@dataclass(frozen=True, slots=True)
class Part:
    text: str
    #: a word the query found
    found: bool = False


def highlighted(text: str, terms: Sequence[frozenset[str]]) -> tuple[Part, ...]:
    """The whole text in parts, the words found marked."""
    return _parts(normalised(text), terms, 0, None)


def snippet(text: str, terms: Sequence[frozenset[str]]) -> tuple[Part, ...]:
    """A passage of the text around the first word found (its beginning when none is), the words found marked,
    an ellipsis where it was cut."""
    text = normalised(text)
    wanted = frozenset().union(*terms) if terms else frozenset()
    first = next((word.start for word in words(text) if word.terms & wanted), 0) if wanted else 0
    start = 0 if first <= BEFORE else _word_start(text, first - BEFORE)
    end = len(text) if start + LENGTH >= len(text) else _word_end(text, start + LENGTH)
    parts = list(_parts(text, terms, start, end))
    if start > 0:
        parts.insert(0, Part("… "))
    if end < len(text):
        parts.append(Part(" …"))
    return tuple(parts)


def _parts(text: str, terms: Sequence[frozenset[str]], start: int, end: int | None) -> tuple[Part, ...]:
    end = len(text) if end is None else end
    wanted = frozenset().union(*terms) if terms else frozenset()
    parts: list[Part] = []
    at = start
    if wanted:
        for word in words(text[start:end]):
            if word.terms & wanted:
                if word.start + start > at:
                    parts.append(Part(text[at : word.start + start]))
                parts.append(Part(text[word.start + start : word.end + start], found=True))
                at = word.end + start
    if at < end:
        parts.append(Part(text[at:end]))
    return tuple(parts)


def _word_start(text: str, at: int) -> int:
    """The start of the word after the space at or after `at`."""
    space = text.find(" ", at)
    return at if space == -1 else space + 1


def _word_end(text: str, at: int) -> int:
    space = text.rfind(" ", 0, at)
    return at if space <= 0 else space
