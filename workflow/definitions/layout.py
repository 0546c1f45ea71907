"""A state machine laid out in layers (Sugiyama's method, sized for our definitions' dozen states): the initial
state on top, every state a row below the lowest state that leads to it, and every move a line through the rows
between its two states. A move's label is a box of its own in the row next to the move's source, so the ordering
and placing keep labels off the states and off each other, as Graphviz's `dot` does.

Pure geometry — sizes in, positions out; no words, no SVG (web/diagram.py draws it). Deterministic: the same
definition is laid out the same way every time, so a drawing can be cached and tested.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

#: space between rows, between neighbours in a row, and around the whole drawing
ROW_GAP, NODE_GAP, MARGIN = 18.0, 22.0, 12.0
#: room above the initial state for the mark where the machine starts
START = 30.0
#: the width of a bend point of a long line, and the height of a row that holds only such points
POINT, THIN_ROW = 8.0, 6.0
#: how far a label's text stands right of its line; a loop's extent right of its state
LABEL_INSET, LOOP = 6.0, 18.0
ORDER_SWEEPS, PLACE_SWEEPS = 16, 24


@dataclass(frozen=True, slots=True)
class Size:
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Box:
    """A placed box by its top-left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def centre_x(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True, slots=True)
class Route:
    """A move's line from its source to its destination (a smooth curve through the points) and its label."""

    points: tuple[tuple[float, float], ...]
    label: Box
    #: a move that stays in its state: its points are a loop's corners, joined straight
    loop: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    width: float
    height: float
    nodes: dict[str, Box]
    #: in the order the edges were given
    routes: tuple[Route, ...]
    #: where the start mark stands (above the initial state)
    start: tuple[float, float]


@dataclass(slots=True)
class _Slot:
    """One box in a row: a state, a label, or a bend point of a long line."""

    width: float
    height: float
    #: where lines pass, from the slot's centre: a label's line runs down its left side, a state's box stands left
    #: of the loops beside it
    anchor: float = 0.0
    #: how strongly the slot keeps where its neighbours want it: bends most, so long lines run straight
    weight: float = 1.0
    up: list[int] = field(default_factory=list)
    down: list[int] = field(default_factory=list)
    x: float = 0.0


def layered(nodes: Mapping[str, Size], edges: Sequence[tuple[str, str, Size]], first: str) -> Layout:
    """Lay out `nodes` (in their order of declaration) joined by `edges` (source, destination, label size)."""
    names = list(nodes)
    discovered, back = _depth_first(names, edges, first)
    rank = _ranks(discovered, edges, back)
    loops: dict[str, list[int]] = {}
    for index, (source, dest, _label) in enumerate(edges):
        if source == dest:
            loops.setdefault(source, []).append(index)

    slots: list[_Slot] = []
    rows: list[list[int]] = [[] for _ in range(2 * max(rank.values()) + 1)]
    state_slot: dict[str, int] = {}
    for name in discovered:
        size = nodes[name]
        extra = max((edges[i][2].width + LOOP + LABEL_INSET for i in loops.get(name, ())), default=0.0)
        slots.append(_Slot(size.width + extra, size.height, anchor=-extra / 2))
        state_slot[name] = len(slots) - 1
        rows[2 * rank[name]].append(len(slots) - 1)

    chains: dict[int, list[int]] = {}
    label_slot: dict[int, int] = {}
    for index, (source, dest, label) in enumerate(edges):
        if source == dest:
            continue
        upward = index in back  # drawn from the lower state up to the upper one
        top, bottom = (dest, source) if upward else (source, dest)
        first_row, last_row = 2 * rank[top], 2 * rank[bottom]
        labelled_row = last_row - 1 if upward else first_row + 1  # the label stays next to the move's source
        chain = [state_slot[top]]
        for row in range(first_row + 1, last_row):
            if row == labelled_row:
                slot = _Slot(
                    label.width + LABEL_INSET, label.height, anchor=-(label.width + LABEL_INSET) / 2, weight=2.0
                )
                label_slot[index] = len(slots)
            else:
                slot = _Slot(POINT, 0.0, weight=8.0)
            slots.append(slot)
            rows[row].append(len(slots) - 1)
            chain.append(len(slots) - 1)
        chain.append(state_slot[bottom])
        for upper, lower in itertools.pairwise(chain):
            slots[upper].down.append(lower)
            slots[lower].up.append(upper)
        chains[index] = chain

    rows = _order(rows, slots)
    _place(rows, slots)
    tops, heights = _rows_vertically(rows, slots)

    left = min(slots[s].x - slots[s].width / 2 for row in rows for s in row)
    shift = MARGIN - left
    for slot in slots:
        slot.x += shift
    width = max(slots[s].x + slots[s].width / 2 for row in rows for s in row) + MARGIN

    def box_of(slot: _Slot, row: int, own_width: float, centre: float) -> Box:
        return Box(centre - own_width / 2, tops[row] + (heights[row] - slot.height) / 2, own_width, slot.height)

    row_of = {s: r for r, row in enumerate(rows) for s in row}
    placed = {
        name: box_of(slots[s], row_of[s], nodes[name].width, slots[s].x + slots[s].anchor)
        for name, s in state_slot.items()
    }
    routes = []
    for index, (source, dest, label) in enumerate(edges):
        if source == dest:
            routes.append(_loop(placed[source], label, loops[source].index(index)))
            continue
        chain = chains[index]
        points = _points(chain, slots, row_of, tops, heights, placed, state_slot)
        if index in back:
            points.reverse()
        s = label_slot[index]
        line = slots[s].x + slots[s].anchor
        routes.append(Route(tuple(points), Box(line + LABEL_INSET / 2, tops[row_of[s]], label.width, label.height)))
    initial = placed[first]
    height = tops[-1] + heights[-1] + MARGIN
    return Layout(width, height, placed, tuple(routes), (initial.centre_x, MARGIN + 4))


def _depth_first(names: list[str], edges: Sequence[tuple[str, str, Size]], first: str) -> tuple[list[str], set[int]]:
    """The states in the order a walk from the initial one finds them, and the moves that lead back up the walk
    (drawn upwards, so what remains has no cycle)."""
    out: dict[str, list[int]] = {name: [] for name in names}
    for index, (source, dest, _label) in enumerate(edges):
        if source != dest:
            out[source].append(index)
    order: list[str] = []
    back: set[int] = set()
    state: dict[str, str] = {}
    for root in [first, *names]:
        if root in state:
            continue
        stack = [(root, iter(out[root]))]
        state[root] = "open"
        order.append(root)
        while stack:
            name, pending = stack[-1]
            following = next(pending, None)
            if following is None:
                state[name] = "done"
                stack.pop()
                continue
            index = following
            dest = edges[index][1]
            if state.get(dest) == "open":
                back.add(index)
            elif dest not in state:
                state[dest] = "open"
                order.append(dest)
                stack.append((dest, iter(out[dest])))
    return order, back


def _ranks(order: list[str], edges: Sequence[tuple[str, str, Size]], back: set[int]) -> dict[str, int]:
    """Each state's row: one below the lowest of the states that lead down to it (the longest path)."""
    above: dict[str, list[str]] = {name: [] for name in order}
    for index, (source, dest, _label) in enumerate(edges):
        if source == dest:
            continue
        upper, lower = (dest, source) if index in back else (source, dest)
        above[lower].append(upper)
    rank: dict[str, int] = {}

    def rank_of(name: str) -> int:
        if name not in rank:
            # the graph without the back moves has no cycle, so this recursion ends (depth: at most the states)
            rank[name] = 1 + max((rank_of(upper) for upper in above[name]), default=-1)
        return rank[name]

    for name in order:
        rank_of(name)
    return rank


def _order(rows: list[list[int]], slots: list[_Slot]) -> list[list[int]]:
    """Reorder each row by the mean position of its neighbours (down, then up, alternately), keeping the order
    with the fewest crossings seen."""
    best, fewest = [list(row) for row in rows], _crossings(rows, slots)
    current = [list(row) for row in rows]
    for sweep in range(ORDER_SWEEPS):
        downwards = sweep % 2 == 0
        indices = range(1, len(current)) if downwards else range(len(current) - 2, -1, -1)
        for r in indices:
            neighbour_row = current[r - 1] if downwards else current[r + 1]
            position = {s: i for i, s in enumerate(neighbour_row)}

            def barycentre(
                item: tuple[int, int], position: dict[int, int] = position, downwards: bool = downwards
            ) -> tuple[float, int]:
                i, s = item
                linked = slots[s].up if downwards else slots[s].down
                return (sum(position[n] for n in linked) / len(linked) if linked else float(i), i)

            current[r] = [s for _, s in sorted(enumerate(current[r]), key=barycentre)]
        crossings = _crossings(current, slots)
        if crossings < fewest:
            best, fewest = [list(row) for row in current], crossings
    return best


def _crossings(rows: list[list[int]], slots: list[_Slot]) -> int:
    count = 0
    for upper, lower in itertools.pairwise(rows):
        position = {s: i for i, s in enumerate(lower)}
        lines = [(i, position[n]) for i, s in enumerate(upper) for n in slots[s].down]
        count += sum(1 for a, (i, j) in enumerate(lines) for k, m in lines[a + 1 :] if (i - k) * (j - m) < 0)
    return count


def _place(rows: list[list[int]], slots: list[_Slot]) -> None:
    """Give every slot its x: packed at first, then each row pulled towards its neighbours' lines, closest to
    where they want to be while keeping the order and the gaps (least squares, by pooling adjacent violators)."""
    for row in rows:
        x = 0.0
        for s in row:
            slots[s].x = x + slots[s].width / 2
            x += slots[s].width + NODE_GAP
    for sweep in range(PLACE_SWEEPS):
        downwards = sweep % 2 == 0
        both = sweep >= PLACE_SWEEPS - 4
        indices = range(len(rows)) if downwards else range(len(rows) - 1, -1, -1)
        for r in indices:
            row = rows[r]
            wanted = []
            for s in row:
                slot = slots[s]
                linked = slot.up + slot.down if both else (slot.up if downwards else slot.down)
                if linked:
                    line = sum(slots[n].x + slots[n].anchor for n in linked) / len(linked)
                    wanted.append(line - slot.anchor)
                else:
                    wanted.append(slot.x)
            placed = _closest_in_order(wanted, [slots[s].width for s in row], [slots[s].weight for s in row])
            for s, x in zip(row, placed, strict=True):
                slots[s].x = x
    _straighten(rows, slots)


def _closest_in_order(wanted: list[float], widths: list[float], weights: list[float]) -> list[float]:
    """Centres as close as possible to `wanted` (weighted least squares) with each box at least NODE_GAP right
    of the one before: isotonic regression on the centres less their minimal offsets."""
    offsets = [0.0]
    for before, after in itertools.pairwise(widths):
        offsets.append(offsets[-1] + (before + after) / 2 + NODE_GAP)
    blocks: list[list[float]] = []  # [weighted sum, weight, members]
    for target, weight in zip((w - o for w, o in zip(wanted, offsets, strict=True)), weights, strict=True):
        blocks.append([target * weight, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, weight_sum, members = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += weight_sum
            blocks[-1][2] += members
    values = [total / weight_sum for total, weight_sum, members in blocks for _ in range(int(members))]
    return [v + o for v, o in zip(values, offsets, strict=True)]


def _straighten(rows: list[list[int]], slots: list[_Slot]) -> None:
    """Set each run of bends of a long line on one x where its rows have room there, so it runs straight."""
    row_of = {s: r for r, row in enumerate(rows) for s in row}
    seen: set[int] = set()
    for row in rows:
        for s in row:
            if s in seen or slots[s].weight < 8.0 or any(slots[u].weight == 8.0 for u in slots[s].up):
                continue
            run = [s]
            while len(slots[run[-1]].down) == 1 and slots[slots[run[-1]].down[0]].weight == 8.0:
                run.append(slots[run[-1]].down[0])
            seen.update(run)
            xs = sorted(slots[b].x for b in run)
            target = xs[len(xs) // 2]
            if all(_room(rows[row_of[b]], slots, b, target) for b in run):
                for b in run:
                    slots[b].x = target


def _room(row: list[int], slots: list[_Slot], s: int, x: float) -> bool:
    i = row.index(s)
    half = slots[s].width / 2
    if i > 0 and x - half - NODE_GAP < slots[row[i - 1]].x + slots[row[i - 1]].width / 2:
        return False
    return not (i + 1 < len(row) and x + half + NODE_GAP > slots[row[i + 1]].x - slots[row[i + 1]].width / 2)


def _rows_vertically(rows: list[list[int]], slots: list[_Slot]) -> tuple[list[float], list[float]]:
    heights = [max([slots[s].height for s in row] + [THIN_ROW]) for row in rows]
    tops, y = [], MARGIN + START
    for height in heights:
        tops.append(y)
        y += height + ROW_GAP
    return tops, heights


def _points(
    chain: list[int],
    slots: list[_Slot],
    row_of: dict[int, int],
    tops: list[float],
    heights: list[float],
    placed: dict[str, Box],
    state_slot: dict[str, int],
) -> list[tuple[float, float]]:
    """The line of a downward chain: out of the upper state's bottom towards the next bend, through every row
    between (straight down beside its label), into the lower state's top."""
    state_of = {s: name for name, s in state_slot.items()}
    upper, lower = placed[state_of[chain[0]]], placed[state_of[chain[-1]]]
    between = chain[1:-1]
    lines = [slots[s].x + slots[s].anchor for s in between]
    points = [(_port(upper, lines[0]), upper.bottom)]
    for s, line in zip(between, lines, strict=True):
        row = row_of[s]
        if slots[s].height:  # beside a label: straight down its side
            points += [(line, tops[row]), (line, tops[row] + heights[row])]
        else:
            points.append((line, tops[row] + heights[row] / 2))
    points.append((_port(lower, lines[-1]), lower.y))
    return points


def _port(box: Box, towards: float) -> float:
    """Where a line leaves or enters a state's box: below or above the line's next bend, within the box."""
    inset = min(10.0, box.width / 4)
    return min(max(towards, box.x + inset), box.x + box.width - inset)


def _loop(box: Box, label: Size, nth: int) -> Route:
    """A move that stays in its state: a loop out of the box's right side and back, its label beside it."""
    y = box.y + box.height * (nth + 1) / (nth + 2)
    right = box.x + box.width
    points = ((right, y - 6), (right + LOOP, y - 6), (right + LOOP, y + 6), (right, y + 6))
    label_box = Box(right + LOOP + LABEL_INSET / 2, y - label.height / 2, label.width, label.height)
    return Route(points, label_box, loop=True)
