"""A definition compiled once into a shared `transitions` machine and the lookup tables the engine uses.

One compiled definition per kind and version serves every document of that kind: documents are never added
to the machine as models (that is quadratic in the number of models and keeps them alive). The machine is the
checked graph of states; firing reads its (state, trigger) table, built once here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from transitions import Machine

from workflow.definitions.catalog import Catalog, ConsequenceSpec, GuardSpec
from workflow.definitions.schema import Definition, EffectRef, State, Title


@dataclass(frozen=True, slots=True)
class Move:
    """One transition from one source state, with its guards resolved to their functions."""

    trigger: str
    title: Title
    source: str
    dest: str
    roles: tuple[str, ...]
    guards: tuple[GuardSpec, ...]
    effects: tuple[EffectRef, ...]
    comment: str  # "required" | "optional" | "none"
    #: the effects for the outbox as (name, parameters as JSON text), serialized once here rather than at every
    #: fire; consequences are not among them
    outbox_rows: tuple[tuple[str, str], ...] = ()
    effect_names: tuple[str, ...] = ()
    #: the consequences the engine runs in the move's transaction, with their parameters, in the file's order
    consequences: tuple[tuple[ConsequenceSpec, dict[str, Any]], ...] = ()


@dataclass(frozen=True)
class CompiledDefinition:
    definition: Definition
    #: the YAML text exactly as loaded, and its SHA-256: what is stored for documents of this version
    source_text: str
    sha256: str
    machine: Machine = field(repr=False)
    moves: dict[tuple[str, str], Move] = field(repr=False)
    moves_from: dict[str, tuple[Move, ...]] = field(repr=False)
    #: the effects recorded when a document is created, as (name, parameters as JSON text)
    create_rows: tuple[tuple[str, str], ...] = ()
    #: the consequences run when a document is created
    create_consequences: tuple[tuple[ConsequenceSpec, dict[str, Any]], ...] = ()

    @property
    def kind(self) -> str:
        return self.definition.kind

    @property
    def version(self) -> int:
        return self.definition.version

    @property
    def initial(self) -> str:
        return self.definition.initial

    def state(self, name: str) -> State:
        return self.definition.states[name]

    def move(self, state: str, trigger: str) -> Move | None:
        return self.moves.get((state, trigger))

    def triggers(self) -> set[str]:
        return {t.trigger for t in self.definition.transitions}


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def compile_definition(definition: Definition, catalog: Catalog, source_text: str) -> CompiledDefinition:
    """Build the shared machine for a definition the loader has already checked."""
    machine = Machine(
        model=None,
        states=list(definition.states),
        initial=definition.initial,
        transitions=[{"trigger": t.trigger, "source": list(t.source), "dest": t.dest} for t in definition.transitions],
        auto_transitions=False,
        send_event=True,
    )
    moves: dict[tuple[str, str], Move] = {}
    for spec in definition.transitions:
        for source in spec.source:
            # the machine, not the YAML, says where the trigger leads: it is the compiled graph
            (transition,) = machine.get_transitions(trigger=spec.trigger, source=source)
            assert transition.dest is not None  # every transition of a definition has a `to`
            moves[(source, spec.trigger)] = Move(
                trigger=spec.trigger,
                title=spec.title,
                source=source,
                dest=transition.dest,
                roles=spec.roles,
                guards=tuple(catalog.guards[name] for name in spec.guards),
                effects=spec.effects,
                comment=spec.comment,
                outbox_rows=_rows(spec.effects, catalog),
                effect_names=tuple(e.name for e in spec.effects if e.name not in catalog.consequences),
                consequences=_consequences(spec.effects, catalog),
            )
    moves_from = {
        state: tuple(move for (source, _), move in moves.items() if source == state) for state in definition.states
    }
    return CompiledDefinition(
        definition=definition,
        source_text=source_text,
        sha256=sha256_text(source_text),
        machine=machine,
        moves=moves,
        moves_from=moves_from,
        create_rows=_rows(definition.on_create, catalog),
        create_consequences=_consequences(definition.on_create, catalog),
    )


def _rows(effects: tuple[EffectRef, ...], catalog: Catalog) -> tuple[tuple[str, str], ...]:
    return tuple(
        (e.name, json.dumps(e.params, ensure_ascii=False)) for e in effects if e.name not in catalog.consequences
    )


def _consequences(
    effects: tuple[EffectRef, ...], catalog: Catalog
) -> tuple[tuple[ConsequenceSpec, dict[str, Any]], ...]:
    return tuple((catalog.consequences[e.name], dict(e.params)) for e in effects if e.name in catalog.consequences)
