"""Names in the hall voting system's files matched to the council's members: the hall system (or whoever typed
its list) writes them with another apostrophe, a Latin letter for a Cyrillic one, in capitals, surname first,
with initials or a patronymic the council's list does not have. Each name must match exactly one member."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workflow.council.sittings.hall import HallVote
from workflow.i18n import N_, Message, message

# --- names ------------------------------------------------------------------------------------------------------
#: Latin letters that hall systems (and people typing) put for Cyrillic ones, after casefolding
_LOOKALIKES = str.maketrans(
    {
        "a": "а",
        "b": "в",
        "c": "с",
        "e": "е",
        "h": "н",
        "i": "і",
        "k": "к",
        "m": "м",
        "o": "о",
        "p": "р",
        "t": "т",
        "x": "х",
        "y": "у",
        "ï": "ї",
    }
)
_APOSTROPHES = re.compile(r"[`´‘’ʼʹ′＇]")


def normal(name: str) -> str:
    """A name as compared: one apostrophe, Cyrillic letters for their Latin lookalikes, no case, single spaces."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = _APOSTROPHES.sub("'", text).translate(_LOOKALIKES)
    text = re.sub(r"[‐‑‒–—]", "-", text)
    return " ".join(text.replace(".", ". ").split())


def _words(name: str) -> tuple[list[str], list[str]]:
    """The full words of a name and its initials ("Мельник О. П." -> ["мельник"], ["о", "п"])."""
    full, initials = [], []
    for token in normal(name).split():
        bare = token.rstrip(".")
        if not bare:
            continue
        if len(bare) == 1 or token.endswith("."):
            initials.append(bare)
        else:
            full.append(bare)
    return full, initials


def matches(file_name: str, member_name: str) -> bool:
    """Whether the hall's spelling of a name is this member's: its words are the member's in any order, each
    initial the first letter of one of the member's words; one word (a patronymic) may be missing on one side."""
    full, initials = _words(file_name)
    left = [word.rstrip(".") for word in normal(member_name).replace(".", " ").split()]
    unmatched = 0
    found_full = False
    for word in full:
        if word in left:
            left.remove(word)
            found_full = True
        else:
            unmatched += 1
    for initial in initials:
        found = next((w for w in left if w.startswith(initial)), None)
        if found is None:
            unmatched += 1
        else:
            left.remove(found)
    if not found_full:
        return False
    # a patronymic the file has and the council's list does not (or the other way round)
    return (unmatched == 0 and len(left) <= 1) or (unmatched == 1 and not left)


@dataclass(frozen=True, slots=True)
class Matching:
    """The file's votes matched to members: the ballots when everything matched, else every problem."""

    ballots: dict[int, str]
    problems: tuple[Message, ...]


def match_votes(votes: Iterable[HallVote], members: Mapping[int, str], registered: set[int]) -> Matching:
    """Each name in the file matched to exactly one member; every name that matches none or several, every
    member named twice, and every registered member the file does not name, reported."""
    problems: list[Message] = []
    ballots: dict[int, str] = {}
    first_place: dict[int, Message | str] = {}
    for vote in votes:
        found = [person for person, name in members.items() if matches(vote.name, name)]
        if not found:
            problems.append(
                message(
                    "hall.unknown_name",
                    N_("{place}: «{name}» is not a member of the council"),
                    place=vote.place,
                    name=vote.name,
                )
            )
        elif len(found) > 1:
            problems.append(
                message(
                    "hall.ambiguous_name",
                    N_("{place}: «{name}» could be any of {members}"),
                    place=vote.place,
                    name=vote.name,
                    members=", ".join(members[p] for p in found),
                )
            )
        elif found[0] in ballots:
            problems.append(
                message(
                    "hall.duplicate_name",
                    N_("{place}: «{name}» is named twice (first at {first})"),
                    place=vote.place,
                    name=vote.name,
                    first=first_place[found[0]],
                )
            )
        else:
            ballots[found[0]] = vote.choice
            first_place[found[0]] = vote.place
    missing = sorted(person for person in registered if person not in ballots)
    problems.extend(
        message(
            "hall.missing_member", N_("«{name}» is registered but the file has no vote of theirs"), name=members[person]
        )
        for person in missing
    )
    return Matching(ballots, tuple(problems))
