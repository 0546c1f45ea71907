"""Load definition files: YAML text → checked `Definition` → `CompiledDefinition`, or every problem at once.

A broken file is refused before anything runs, with each problem's file, line and what is wrong in words a
YAML author understands. Here are the checks: the shape (pydantic, its errors reworded), the names a file uses
(roles, guards, effects, states) and the state graph; `yamltree` parses the file and knows its lines.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from workflow.definitions.catalog import Catalog
from workflow.definitions.compiled import CompiledDefinition, compile_definition
from workflow.definitions.schema import Definition, EffectRef, State, Transition, effect_forms
from workflow.definitions.yamltree import DefinitionError, DefinitionProblem, Loc, Report, parse

# the problem types are defined in `yamltree`, next to the lines they point at, but callers import them here
__all__ = ["DefinitionError", "DefinitionProblem", "load_definition_text", "load_directory"]

_M = TypeVar("_M", bound=BaseModel)
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_PLAIN_WORDS = {
    "model_type": "should be a mapping of keys and values",
    "dict_type": "should be a mapping of keys and values",
    "list_type": "should be a list",
    "tuple_type": "should be a list",
    "string_type": "should be text",
    "bool_type": "should be true or false",
    "bool_parsing": "should be true or false",
    "int_type": "should be a whole number",
    "int_parsing": "should be a whole number",
    "int_from_float": "should be a whole number",
}


def load_definition_text(text: str, path: str, catalog: Catalog) -> CompiledDefinition:
    """Check and compile one definition; `path` only names the file in problems."""
    compiled, problems = _load(text, path, catalog, expected_kind=None)
    if compiled is None:
        raise DefinitionError(problems)
    return compiled


def load_directory(directory: Path, catalog: Catalog) -> list[CompiledDefinition]:
    """Load every `*.yaml` file of a directory (by name), refusing them all if any one is broken."""
    if not directory.is_dir():
        raise DefinitionError([DefinitionProblem(str(directory), None, "is not a directory of definitions")])
    loaded: list[CompiledDefinition] = []
    problems: list[DefinitionProblem] = []
    for file in sorted(p for p in directory.glob("*.yaml") if p.is_file()):
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            problems.append(DefinitionProblem(str(file), None, f"is not UTF-8 text (byte {error.start})"))
            continue
        except OSError as error:
            problems.append(DefinitionProblem(str(file), None, f"cannot be read: {error.strerror}"))
            continue
        compiled, found = _load(text, str(file), catalog, expected_kind=file.stem)
        problems.extend(found)
        if compiled is not None:
            loaded.append(compiled)
    if problems:
        raise DefinitionError(problems)
    return loaded


def _load(
    text: str, path: str, catalog: Catalog, expected_kind: str | None
) -> tuple[CompiledDefinition | None, list[DefinitionProblem]]:
    report = Report(path)
    data = parse(text, report)
    if report.root is None or data is None:
        if not report.problems:
            report.add(None, f"the file is empty: a definition is a mapping with the keys {_keys(Definition)}")
        return None, report.sorted()
    if not isinstance(data, dict):
        report.at((), f"the file should be a mapping with the keys {_keys(Definition)}, not {_describe(data)}")
        return None, report.sorted()
    kind = data.get("kind")
    if expected_kind is not None and isinstance(kind, str) and kind != expected_kind:
        report.at(
            ("kind",),
            f"kind '{kind}' does not match the file name: {expected_kind}.yaml must hold kind '{expected_kind}'",
        )
    definition = _validate(data, report)
    graph_sound = _check_names(data, definition, catalog, report)
    if definition is not None and graph_sound:
        _check_graph(definition, report)
    if report.problems or definition is None:
        return None, report.sorted()
    return compile_definition(definition, catalog, text), []


# --- shape (pydantic) --------------------------------------------------------------------------------------


def _validate(data: dict[str, Any], report: Report) -> Definition | None:
    try:
        return Definition.model_validate(data)
    except ValidationError as error:
        for detail in error.errors():
            loc = tuple(detail["loc"])
            where, rest = _where(loc, data)
            model = _model_at(loc[:-1])
            allowed = _keys(model) if model is not None else ""
            hint = ""
            in_effect = (loc[:1] == ("transitions",) and len(loc) in (4, 5) and loc[2] == "effects") or (
                loc[:1] == ("on_create",) and len(loc) in (2, 3)
            )
            if in_effect:
                hint = "; write an effect as `notify`, `{notify: {...params}}` or `{name: notify, params: {..}}`"
            report.at(loc, _explain(detail, where, rest, allowed) + hint, key=detail["type"] == "extra_forbidden")
        return None


def _where(loc: Loc, data: dict[str, Any]) -> tuple[str, Loc]:
    """Name the part of the definition a location is in ("transition 'submit'") and the rest of it."""
    if len(loc) >= 2 and loc[0] == "states":
        return f"state '{loc[1]}'", loc[2:]
    if len(loc) >= 2 and loc[0] == "transitions" and isinstance(loc[1], int):
        raw = data["transitions"][loc[1]]
        trigger = raw.get("trigger") if isinstance(raw, dict) else None
        where = f"transition '{trigger}'" if isinstance(trigger, str) else f"transition #{loc[1] + 1}"
        if len(loc) >= 4 and loc[2] == "effects" and isinstance(loc[3], int):
            return f"{where}, effect {_effect_label(raw['effects'][loc[3]], loc[3])}", loc[4:]
        return where, loc[2:]
    if len(loc) >= 2 and loc[0] == "on_create" and isinstance(loc[1], int):
        raw_effects = data.get("on_create")
        raw = raw_effects[loc[1]] if isinstance(raw_effects, list) and loc[1] < len(raw_effects) else None
        return f"'on_create', effect {_effect_label(raw, loc[1])}", loc[2:]
    return "", loc


def _effect_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and "name" in raw:
        raw = raw["name"]
    elif isinstance(raw, dict) and len(raw) == 1:
        (raw,) = raw
    return f"'{raw}'" if isinstance(raw, str) else f"#{index + 1}"


def _explain(detail: ErrorDetails, where: str, rest: Loc, allowed: str, noun: str = "key") -> str:
    """Pydantic's error in the words of a YAML author."""
    parent = f" in '{_dotted(rest[:-1])}'" if len(rest) > 1 else ""
    if detail["type"] == "missing":
        text = f"missing required {noun} '{rest[-1]}'{parent}"
    elif detail["type"] == "extra_forbidden":
        text = f"unknown {noun} '{rest[-1]}'{parent}" + (f" (allowed {noun}s: {allowed})" if allowed else "")
    elif detail["type"] == "value_error":  # a model's own check: its sentence says what is wrong
        text = detail["msg"].removeprefix("Value error, ")
        text = f"'{_dotted(rest)}': {text}" if rest else text
    else:
        plain = _PLAIN_WORDS.get(detail["type"]) or detail["msg"].replace("Input should", "should")
        text = f"{plain[0].lower()}{plain[1:]} (got {_describe(detail['input'])})"
        if not rest:  # the whole part is wrong: "state 'x' should be a mapping ..."
            return f"{where or 'the definition'} {text}"
        text = f"'{_dotted(rest)}' {text}"
    return f"{where}: {text}" if where else text


def _dotted(loc: Loc) -> str:
    return ".".join("name" if s == "[key]" else f"#{s + 1}" if isinstance(s, int) else s for s in loc)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"
    if isinstance(value, dict):
        return "a mapping"
    return "a list" if isinstance(value, list) else type(value).__name__


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model that validates the mapping at `loc`, to list the keys allowed there."""
    annotation: Any = Definition
    for step in loc:
        annotation = _unwrap_optional(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = {info.alias or name: info for name, info in annotation.model_fields.items()}
            if str(step) not in fields:
                return None
            annotation = fields[str(step)].annotation
        elif get_origin(annotation) in (list, tuple, dict):  # the last argument is the item's type
            annotation = [arg for arg in get_args(annotation) if arg is not Ellipsis][-1]
        else:
            return None
    annotation = _unwrap_optional(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _keys(model: type[BaseModel]) -> str:
    return ", ".join(info.alias or name for name, info in model.model_fields.items())


# --- meaning -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parts:
    """The well-formed parts of a file, so that one broken transition does not hide the others' problems."""

    create: tuple[str, ...]
    on_create: tuple[EffectRef | None, ...]
    #: None when `states` itself is unusable, so that no state name can be called unknown
    states: dict[str, State | None] | None
    transitions: list[Transition | None]

    @classmethod
    def of(cls, data: dict[str, Any], definition: Definition | None) -> _Parts:
        if definition is not None:
            return cls(definition.create, definition.on_create, dict(definition.states), list(definition.transitions))
        create, states, transitions = data.get("create"), data.get("states"), data.get("transitions")
        on_create = effect_forms(data.get("on_create"))
        return cls(
            tuple(role for role in create if isinstance(role, str)) if isinstance(create, list) else (),
            tuple(_try(EffectRef, raw) for raw in on_create) if isinstance(on_create, list) else (),
            {name: _try(State, raw) for name, raw in states.items() if isinstance(name, str)}
            if isinstance(states, dict)
            else None,
            [_try(Transition, raw) for raw in transitions] if isinstance(transitions, list) else [],
        )


def _check_names(data: dict[str, Any], definition: Definition | None, catalog: Catalog, report: Report) -> bool:
    """Check every name the file uses; False if a state name is unknown, which makes the graph meaningless."""
    parts = _Parts.of(data, definition)
    if isinstance(data.get("kind"), str):
        _check_identifier(report, ("kind",), "kind", data["kind"], key=False)
    _check_roles(parts, catalog, report)
    sound = True
    states = parts.states
    initial = data.get("initial")
    if states is not None and isinstance(initial, str) and initial not in states:
        report.at(("initial",), f"'initial': {_unknown('state', initial, states)}")
        sound = False
    first_seen: dict[tuple[str, str], int | None] = {}
    for i, transition in enumerate(parts.transitions):
        if transition is None:
            continue
        where = f"transition '{transition.trigger}'"
        _check_identifier(report, ("transitions", i, "trigger"), "trigger", transition.trigger, key=False)
        ends: list[tuple[Loc, str]] = [(("transitions", i, "to"), transition.dest)]
        ends += [(("transitions", i, "from", j), source) for j, source in enumerate(transition.source)]
        for loc, state in ends:
            if states is not None and state not in states:
                report.at(loc, f"{where}: {_unknown('state', state, states, f' in {loc[2]!r}')}")
                sound = False
        for j, source in enumerate(transition.source):
            if (source, transition.trigger) in first_seen:
                report.at(
                    ("transitions", i, "from", j),
                    f"{where} from state '{source}' is declared twice (first at line "
                    f"{first_seen[source, transition.trigger]}): a state may have each trigger only once",
                )
            first_seen.setdefault((source, transition.trigger), report.line(("transitions", i, "from", j)))
        for j, guard in enumerate(transition.guards):
            if guard not in catalog.guards:
                message = f"{where}: {_unknown('guard', guard, list(catalog.guards))}"
                report.at(("transitions", i, "guards", j), message)
        for j, effect in enumerate(transition.effects):
            _check_effect(effect, ("transitions", i, "effects", j), where, catalog, report)
    for j, created in enumerate(parts.on_create):
        if created is not None:
            _check_effect(created, ("on_create", j), "'on_create'", catalog, report)
    return sound


def _check_roles(parts: _Parts, catalog: Catalog, report: Report) -> None:
    """Roles must be registered; those who create a document hold their role globally, not for a document."""
    known = list(catalog.roles)
    global_roles = [name for name, spec in catalog.roles.items() if spec.resolver is None]
    for j, role in enumerate(parts.create):
        if role not in catalog.roles:
            report.at(("create", j), f"'create': {_unknown('role', role, known)}")
        elif catalog.roles[role].resolver is not None:
            report.at(
                ("create", j),
                f"'create': role '{role}' holds only with respect to an existing document, so it cannot "
                f"create one (global roles: {', '.join(global_roles)})",
            )
    for name, state in (parts.states or {}).items():
        _check_identifier(report, ("states", name), "state name", name, key=True)
        for j, role in enumerate(state.edit if state else ()):
            if role not in catalog.roles:
                report.at(("states", name, "edit", j), f"state '{name}': {_unknown('role', role, known)}")
        deadline = state.deadline if state else None
        for field in ("remind", "escalate"):
            for j, role in enumerate(getattr(deadline, field, ())):
                if role not in catalog.roles:
                    message = f"state '{name}', deadline '{field}': {_unknown('role', role, known)}"
                    report.at(("states", name, "deadline", field, j), message)
    for i, transition in enumerate(parts.transitions):
        if transition is None:
            continue
        for j, role in enumerate(transition.roles):
            if role not in catalog.roles:
                message = f"transition '{transition.trigger}': {_unknown('role', role, known)}"
                report.at(("transitions", i, "roles", j), message)


def _try(model: type[_M], raw: Any) -> _M | None:
    try:
        return model.model_validate(raw)
    except ValidationError:
        return None


def _check_identifier(report: Report, loc: Loc, what: str, name: str, *, key: bool) -> None:
    if not _IDENTIFIER.fullmatch(name):
        report.at(
            loc,
            f"{what} '{name}' should be a snake_case identifier "
            "(lowercase Latin letters, digits and '_', starting with a letter)",
            key=key,
        )


def _check_effect(effect: EffectRef, loc: Loc, where: str, catalog: Catalog, report: Report) -> None:
    spec = catalog.hook(effect.name)
    where = f"{where}, effect '{effect.name}'"
    if spec is None:
        report.at(loc, f"{where}: {_unknown('effect', effect.name, catalog.hook_names())}")
    elif spec.params is None:
        if effect.params:
            report.at((*loc, "params"), f"{where}: takes no parameters, but got {', '.join(effect.params)}")
    else:
        allowed = _keys(spec.params)
        try:
            params = spec.params.model_validate(effect.params)
        except ValidationError as error:
            for detail in error.errors():
                message = _explain(detail, where, tuple(detail["loc"]), allowed, noun="parameter")
                report.at((*loc, "params", *detail["loc"]), message, key=detail["type"] == "extra_forbidden")
        else:
            # roles an effect names (whom `notify` tells) are checked like the transitions' own roles
            roles = getattr(params, "roles", None)
            for k, role in enumerate(roles if isinstance(roles, list | tuple) else ()):
                if role not in catalog.roles:
                    unknown = _unknown("role", role, list(catalog.roles), " in 'roles'")
                    report.at((*loc, "params", "roles", k), f"{where}: {unknown}")
        if spec.params.model_config.get("extra") not in ("allow", "forbid"):  # pydantic would ignore a typo
            fields = {info.alias or name for name, info in spec.params.model_fields.items()}
            for name in effect.params:
                if name not in fields:
                    report.at(
                        (*loc, "params", name),
                        f"{where}: unknown parameter '{name}' (allowed parameters: {allowed})",
                        key=True,
                    )


def _unknown(what: str, name: str, known: Iterable[str], where: str = "") -> str:
    known = list(known)
    if not known:
        return f"unknown {what} '{name}'{where} (no {what}s are registered)"
    close = difflib.get_close_matches(name, known, n=1)
    guess = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown {what} '{name}'{where} (known {what}s: {', '.join(known)}{guess})"


def _check_graph(definition: Definition, report: Report) -> None:
    """Every state reachable, a way out of every state but the final ones, and none out of those."""
    states, initial = definition.states, definition.initial
    if states[initial].final:
        report.at(("initial",), f"initial state '{initial}' is final: a document would start finished")
    reached, pending = {initial}, [initial]
    while pending:
        current = pending.pop()
        for transition in definition.transitions:
            if current in transition.source and transition.dest not in reached:
                reached.add(transition.dest)
                pending.append(transition.dest)
    # a transition back to the same state is no way out: the document would stay there for good
    leaving = {source for t in definition.transitions for source in t.source if source != t.dest}
    for name, state in states.items():
        if name not in reached:
            report.at(
                ("states", name),
                f"state '{name}' cannot be reached from the initial state '{initial}'",
                key=True,
            )
        if not state.final and name not in leaving:
            report.at(
                ("states", name),
                f"state '{name}' is not final, but no transition leads out of it to another state "
                "(add one, or mark the state `final: true`)",
                key=True,
            )
    _check_deadlines(definition, report)
    for i, transition in enumerate(definition.transitions):
        for j, source in enumerate(transition.source):
            if states[source].final:
                report.at(
                    ("transitions", i, "from", j),
                    f"transition '{transition.trigger}' leaves final state '{source}': a final state has no way out",
                )


def _check_deadlines(definition: Definition, report: Report) -> None:
    """A reminder needs someone to remind and must come before the due date; the automatic move at expiry must
    be a transition out of that state that the system may fire."""
    for name, state in definition.states.items():
        deadline = state.deadline
        if deadline is None:
            continue
        where = f"state '{name}', deadline"
        if deadline.remind_before is not None:
            if not deadline.remind:
                report.at(
                    ("states", name, "deadline", "remind_before"),
                    f"{where}: 'remind_before' is set but 'remind' names nobody to remind",
                )
            if deadline.days is not None and deadline.remind_before >= deadline.days:
                report.at(
                    ("states", name, "deadline", "remind_before"),
                    f"{where}: 'remind_before' ({deadline.remind_before}) must be fewer days than the "
                    f"deadline itself ({deadline.days})",
                )
        elif deadline.remind:
            report.at(
                ("states", name, "deadline", "remind"),
                f"{where}: 'remind' names roles but 'remind_before' does not say when",
            )
        if deadline.on_expiry is not None:
            trigger = deadline.on_expiry
            moves = [t for t in definition.transitions if t.trigger == trigger and name in t.source]
            if not moves:
                report.at(
                    ("states", name, "deadline", "on_expiry"),
                    f"{where}: 'on_expiry' names '{trigger}', which is no transition out of '{name}'",
                )
            elif "system" not in moves[0].roles:
                report.at(
                    ("states", name, "deadline", "on_expiry"),
                    f"{where}: 'on_expiry' transition '{trigger}' must allow the role 'system', which "
                    "fires it when the time is up",
                )
