"""What changed between two versions of a text, as pieces a page can mark: lines first, then words within the
lines that changed, so that a long text stays quick to compare and a changed word is shown as that word."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

#: a word, a run of whitespace, or one other character
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Piece:
    kind: Literal["same", "added", "removed"]
    text: str


@dataclass(frozen=True, slots=True)
class Diff:
    pieces: tuple[Piece, ...]

    @property
    def changed(self) -> bool:
        return any(piece.kind != "same" for piece in self.pieces)

    def count(self, kind: Literal["added", "removed"]) -> int:
        """How many words were added (or removed)."""
        return sum(len(re.findall(r"\w+", piece.text)) for piece in self.pieces if piece.kind == kind)


def diff(old: str, new: str) -> Diff:
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            pieces.append(Piece("same", before))
        elif tag == "replace":
            pieces.extend(_words(before, after))
        else:
            pieces.append(Piece("removed", before) if tag == "delete" else Piece("added", after))
    return Diff(tuple(_merged(pieces)))


def _words(old: str, new: str) -> list[Piece]:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", "".join(b[j1:j2])))
    return pieces


def _merged(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and merged[-1].kind == piece.kind:
            merged[-1] = Piece(piece.kind, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged
