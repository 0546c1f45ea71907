"""Ukrainian words as the search compares them: lower case, one apostrophe, each word reduced to its lemmas.

The same function reads a decision when it is indexed and a reader's query when it is asked, so «рішенням»,
«РІШЕННЯ» and «рішення» meet in the lemma «рішення», and «земельних ділянок» in «земельний ділянка». A word the
morphology does not settle («ради»: of the council, or of councils — «рада», «рад») keeps every lemma it may have:
the index holds them all, and a query's word matches any of its own. Apostrophes (' ’ ʼ ` ´ ‘) are one; terms are
letters and digits only, so that nothing a reader types reaches a database's query syntax.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pymorphy3 import MorphAnalyzer

#: every character a Ukrainian text writes its apostrophe with
APOSTROPHES = "'’ʼ`´‘ʹ′"
_TO_APOSTROPHE = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))
#: a word: letters and digits, with apostrophes inside (м'ясо, об’єкт); a hyphen separates words
WORD = re.compile(r"[^\W_](?:[^\W_]|'(?=[^\W_]))*")
#: the longest word taken as a word; anything longer is no word of the language (a hash, a run of letters)
LONGEST_WORD = 60


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a text where it stands: its characters [start, end) in the text, and its search terms."""

    start: int
    end: int
    terms: frozenset[str]


def normalised(text: str) -> str:
    """The text in composed form (й as one letter), with one apostrophe; its length is the text's when the text
    was composed already, which is how texts are stored."""
    return unicodedata.normalize("NFC", text).translate(_TO_APOSTROPHE)


def words(text: str) -> Iterator[Word]:
    """Every word of `text` with its terms, where it stands in `normalised(text)`."""
    for found in WORD.finditer(normalised(text)):
        token = found.group()
        if len(token) <= LONGEST_WORD:
            yield Word(found.start(), found.end(), terms_of(token))


def terms(text: str) -> list[str]:
    """The text's search terms, word by word (a word's lemmas next to each other), for the index."""
    return [term for word in words(text) for term in sorted(word.terms)]


@functools.lru_cache(maxsize=200_000)
def terms_of(token: str) -> frozenset[str]:
    """A word's terms: its lemmas (every one the morphology gives), apostrophes dropped; a number is itself."""
    lower = token.lower()
    if not any(ch.isalpha() for ch in lower):
        return frozenset({lower})
    lemmas = {parse.normal_form for parse in _morphology().parse(lower)} or {lower}
    return frozenset(term for lemma in lemmas if (term := _term(lemma)))


def _term(lemma: str) -> str:
    return "".join(ch for ch in normalised(lemma.lower()) if ch.isalnum())


@functools.cache
def _morphology() -> MorphAnalyzer:
    """pymorphy3 with its Ukrainian dictionaries (the package pymorphy3-dicts-uk): loaded once, from the
    installed package, never from the network."""
    from pymorphy3 import MorphAnalyzer

    return MorphAnalyzer(lang="uk")
