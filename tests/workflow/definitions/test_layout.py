"""The layered layout of a state machine: for every shipped definition, no state or label sits on another, every
line leaves its move's source and reaches its destination, the initial state is on top, and the same definition
is laid out the same way twice."""

from __future__ import annotations

from itertools import combinations

import pytest

from workflow.config import PROJECT_ROOT
from workflow.council.catalog import CATALOG
from workflow.definitions.compiled import CompiledDefinition
from workflow.definitions.layout import Box, Layout, Size, layered
from workflow.definitions.registry import DefinitionRegistry

SHIPPED = DefinitionRegistry.from_directory(PROJECT_ROOT / "definitions", CATALOG)
KINDS = SHIPPED.kinds()


def laid_out(compiled: CompiledDefinition) -> Layout:
    """Boxes as wide as their titles (8 px a character), labels likewise: what web/diagram.py does, roughly."""
    nodes = {name: Size(8.0 * len(state.title.en) + 20, 28.0) for name, state in compiled.definition.states.items()}
    edges = [(m.source, m.dest, Size(8.0 * len(m.title.en), 16.0)) for m in compiled.moves.values()]
    return layered(nodes, edges, compiled.initial)


def overlap(a: Box, b: Box) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.bottom and b.y < a.bottom


def on_border(point: tuple[float, float], box: Box) -> bool:
    x, y = point
    return box.x <= x <= box.x + box.width and y in (box.y, box.bottom)


@pytest.mark.parametrize("kind", KINDS)
def test_no_state_or_label_sits_on_another(kind: str) -> None:
    layout = laid_out(SHIPPED.current(kind))

    boxes = list(layout.nodes.values()) + [route.label for route in layout.routes]
    assert [(a, b) for a, b in combinations(boxes, 2) if overlap(a, b)] == []
    assert all(box.x >= 0 and box.x + box.width <= layout.width for box in boxes)
    assert all(box.y >= 0 and box.bottom <= layout.height for box in boxes)


@pytest.mark.parametrize("kind", KINDS)
def test_every_line_runs_from_the_move_s_source_to_its_destination(kind: str) -> None:
    compiled = SHIPPED.current(kind)
    layout = laid_out(compiled)

    assert len(layout.routes) == len(compiled.moves)
    for move, route in zip(compiled.moves.values(), layout.routes, strict=True):
        assert on_border(route.points[0], layout.nodes[move.source]), move
        assert on_border(route.points[-1], layout.nodes[move.dest]), move


@pytest.mark.parametrize("kind", KINDS)
def test_the_initial_state_is_on_top_below_the_start_mark(kind: str) -> None:
    compiled = SHIPPED.current(kind)
    layout = laid_out(compiled)

    initial = layout.nodes[compiled.initial]
    assert all(initial.y <= box.y for box in layout.nodes.values())
    assert layout.start == (initial.centre_x, pytest.approx(layout.start[1]))
    assert layout.start[1] < initial.y


def test_a_pipeline_runs_down_and_a_move_back_runs_up() -> None:
    nodes = {"a": Size(60, 28), "b": Size(60, 28), "c": Size(60, 28)}
    edges = [("a", "b", Size(40, 16)), ("b", "c", Size(40, 16)), ("c", "a", Size(50, 16))]

    layout = layered(nodes, edges, "a")

    a, b, c = (layout.nodes[name] for name in "abc")
    assert a.bottom < b.y
    assert b.bottom < c.y
    back = layout.routes[2]
    assert back.points[0][1] == c.y
    assert back.points[-1][1] == a.bottom


def test_a_move_that_stays_in_its_state_loops_beside_it() -> None:
    nodes = {"open": Size(60, 28), "closed": Size(60, 28)}
    edges = [("open", "open", Size(40, 16)), ("open", "closed", Size(40, 16))]

    layout = layered(nodes, edges, "open")

    loop, box = layout.routes[0], layout.nodes["open"]
    assert loop.loop
    assert loop.points[0][0] == loop.points[-1][0] == box.x + box.width
    assert loop.label.x > box.x + box.width
    assert not overlap(loop.label, layout.nodes["closed"])


def test_the_same_definition_is_laid_out_the_same_way() -> None:
    compiled = SHIPPED.current("decision_draft")

    assert laid_out(compiled) == laid_out(compiled)
