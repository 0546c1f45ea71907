"""A definition file's YAML node tree, and the problems found in the file placed on its lines.

PyYAML's `safe_load` keeps no line numbers and silently drops the first of two equal keys, so the file is
composed into a node tree first: duplicate keys are refused there, and pydantic's error locations (`loc`) are
mapped back onto the tree to tell the author which line is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

#: a place in the file, as pydantic reports it: keys and list indexes from the top
Loc = tuple[str | int, ...]

_MERGE_TAG = "tag:yaml.org,2002:merge"

#: how deeply collections may nest in a definition file; the shipped ones go six levels deep. PyYAML composes and
#: constructs the tree recursively, so a few hundred levels (a kilobyte of brackets) would end in a RecursionError.
MAX_DEPTH = 40


class _DepthLimitedLoader(yaml.SafeLoader):
    """The safe loader, refusing (as invalid YAML, at the line where it happens) nesting deeper than MAX_DEPTH."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"collections are nested more than {MAX_DEPTH} levels deep; a definition needs far fewer",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                )
            node: Node | None = super().compose_node(parent, index)
            return node
        finally:
            self._depth -= 1


@dataclass(frozen=True)
class DefinitionProblem:
    """One thing wrong in a definition file: where (1-based line, when known) and what."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class DefinitionError(Exception):
    """Definition files were refused; `problems` holds everything found, not only the first."""

    def __init__(self, problems: Sequence[DefinitionProblem]) -> None:
        # the list itself is the exception's argument, so that the error survives pickling intact
        self.problems = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


class Report:
    """The problems found in one file, placed on the lines of its YAML node tree."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.root: Node | None = None
        self.problems: list[DefinitionProblem] = []

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(DefinitionProblem(self.path, line, message))

    def line(self, loc: Loc, *, key: bool = False) -> int | None:
        return None if self.root is None else _node_at(self.root, loc, key=key).start_mark.line + 1

    def at(self, loc: Loc, message: str, *, key: bool = False) -> None:
        self.add(self.line(loc, key=key), message)

    def sorted(self) -> list[DefinitionProblem]:
        return sorted(self.problems, key=lambda problem: problem.line or 0)


def parse(text: str, report: Report) -> Any:
    """The file's data, with its node tree kept on the report; None (and a problem) for broken YAML."""
    try:
        loader = _DepthLimitedLoader(text)  # which already refuses control characters
        try:
            root = loader.get_single_node()
            if root is None:
                return None
            _check_duplicate_keys(root, report)
            data = loader.construct_document(root)
            report.root = root
            return data
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        context = ""
        if error.context and error.context_mark:
            context = f"{error.context} (line {error.context_mark.line + 1}), "
        report.add(mark.line + 1 if mark else None, f"invalid YAML: {context}{error.problem}")
    except ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        report.add(line, f"invalid YAML: {error.reason} (character U+{error.character:04X})")
    return None


def _check_duplicate_keys(root: Node, report: Report) -> None:
    """PyYAML silently keeps the last of two equal keys; refuse them, since the first would be lost."""
    pending, seen = [root], set()
    while pending:
        node = pending.pop()
        if id(node) in seen:  # an alias points back to a node already walked
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            first: dict[tuple[str, str], Node] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode) and key.tag != _MERGE_TAG:
                    earlier = first.setdefault((key.tag, key.value), key)
                    if earlier is not key:
                        report.add(
                            key.start_mark.line + 1,
                            f"key '{key.value}' appears twice in the same mapping (first at line "
                            f"{earlier.start_mark.line + 1}); YAML would silently keep only the last one",
                        )
                pending.extend((key, value))
        elif isinstance(node, SequenceNode):
            pending.extend(node.value)


def _node_at(root: Node, loc: Loc, *, key: bool = False) -> Node:
    """The node at `loc` (its key node if `key`), or the nearest enclosing one where `loc` does not exist."""
    node, entered_by = root, root
    for index, step in enumerate(loc):
        if step == "[key]":  # pydantic's location of a mapping's key rather than its value
            return entered_by
        if isinstance(node, MappingNode):
            pair = _pair(node, step, loc[:index])
            if pair is None:
                return entered_by
            if key and index == len(loc) - 1:
                return pair[0]
            entered_by, node = pair
        elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = entered_by = node.value[step]
        else:  # e.g. `from: drafting` where a list is allowed, or `notify` written without params
            return node
    return node


def _pair(mapping: MappingNode, step: str | int, before: Loc) -> tuple[Node, Node] | None:
    # from the end: after a merge (`<<`) the last of equal keys is the one that counts
    for key, value in reversed(mapping.value):
        if isinstance(key, ScalarNode) and key.value == str(step):
            return key, value
    if before[-2:-1] == ("effects",) and len(mapping.value) == 1:  # `{notify: {...params}}`
        name, params = mapping.value[0]
        return {"name": (name, name), "params": (name, params)}.get(str(step))
    return None
