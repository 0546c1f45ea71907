"""A compiled definition as a state diagram's text, Mermaid and Graphviz DOT, for export (`radaflow workflow
graph`); the pages draw their picture with workflow.definitions.layout and web/diagram.py.

Both show each state by its title in the reader's language, each move labelled with its trigger, and may mark
the state a document is in. Titles are free text (Ukrainian, with quotes), so they are always escaped.
"""

from __future__ import annotations

from collections.abc import Iterator

from workflow.definitions.compiled import CompiledDefinition

LANGUAGES = ("uk", "en")
#: the marked state's look, the same in both formats
MARK_FILL, MARK_STROKE = "#ffe08a", "#b8860b"


def to_mermaid(compiled: CompiledDefinition, mark: str | None = None, lang: str = "en") -> str:
    """A Mermaid `stateDiagram-v2`; `mark` (a state name) is highlighted as the current state."""
    _check(compiled, mark, lang)
    definition = compiled.definition
    lines = ["stateDiagram-v2"]
    lines += [f'    state "{_mermaid_text(_title(compiled, name, lang))}" as {name}' for name in definition.states]
    lines.append(f"    [*] --> {definition.initial}")
    lines += [f"    {source} --> {dest} : {trigger}" for source, dest, trigger in _edges(compiled)]
    lines += [f"    {name} --> [*]" for name, state in definition.states.items() if state.final]
    if mark is not None:
        lines.append(f"    classDef current fill:{MARK_FILL},stroke:{MARK_STROKE},stroke-width:2px")
        lines.append(f"    class {mark} current")
    return "\n".join(lines) + "\n"


def to_dot(compiled: CompiledDefinition, mark: str | None = None, lang: str = "en") -> str:
    """A Graphviz digraph; final states are drawn with a double border, `mark` is filled."""
    _check(compiled, mark, lang)
    definition = compiled.definition
    lines = [
        f"digraph {_dot_id(definition.kind)} {{",
        "    rankdir=LR;",
        '    node [shape=box, style="rounded"];',
        '    __start__ [shape=point, label=""];',
    ]
    for name, state in definition.states.items():
        attributes = [f"label={_dot_id(_title(compiled, name, lang))}"]
        if state.final:
            attributes.append("peripheries=2")
        if name == mark:
            attributes += ['style="rounded,filled"', f'fillcolor="{MARK_FILL}"', f'color="{MARK_STROKE}"']
        lines.append(f"    {_dot_id(name)} [{', '.join(attributes)}];")
    lines.append(f"    __start__ -> {_dot_id(definition.initial)};")
    for source, dest, trigger in _edges(compiled):
        lines.append(f"    {_dot_id(source)} -> {_dot_id(dest)} [label={_dot_id(trigger)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _check(compiled: CompiledDefinition, mark: str | None, lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"no titles in language {lang!r}: use one of {', '.join(LANGUAGES)}")
    if mark is not None and mark not in compiled.definition.states:
        known = ", ".join(compiled.definition.states)
        raise ValueError(f"cannot mark {mark!r}: {compiled.kind} has no such state (its states: {known})")


def _title(compiled: CompiledDefinition, state: str, lang: str) -> str:
    title = compiled.state(state).title
    return title.uk if lang == "uk" else title.en


def _edges(compiled: CompiledDefinition) -> Iterator[tuple[str, str, str]]:
    """(source, dest, trigger) for every move, in the order the definition declares them."""
    for move in compiled.moves.values():
        yield move.source, move.dest, move.trigger


def _mermaid_text(text: str) -> str:
    # Mermaid reads `#name;` as an entity, so `#` itself is escaped first; line breaks would end the statement
    text = " ".join(text.split())
    return text.replace("#", "#35;").replace('"', "#quot;")


def _dot_id(text: str) -> str:
    """A DOT quoted string; a backslash is escaped too, since `\\n`, `\\l`, `\\N` mean something in labels."""
    text = " ".join(text.split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
