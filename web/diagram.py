"""A definition's state diagram as a picture: inline SVG drawn here from workflow.definitions.layout, with the
current state marked, and the same diagram in words for those who do not see it.

Drawn in Python rather than by Graphviz: nothing to install on a server and no program started per page, and the
drawing is ours to make accessible and safe under the site's CSP (no `style` attribute or element: presentation
attributes and the stylesheet's classes only). Every text is set through ElementTree, which escapes it.
A drawing is cached per kind, version, language and marked state: there are a few hundred of them at most.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from textwrap import wrap

from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from workflow.definitions.compiled import CompiledDefinition
from workflow.definitions.layout import Box, Layout, Route, Size, layered
from workflow.definitions.schema import Title

SVG = "http://www.w3.org/2000/svg"
FONT_SIZE, LINE = 13.0, 16.0
#: characters on a line of a state's title and of a move's label before it wraps
STATE_LINE, LABEL_LINE = 22, 20
PAD_X, PAD_Y = 10.0, 6.0
INK, LINES, FILL, FINAL, CURRENT = "#1b1b1b", "#4a4a4a", "#f0f3f8", "#0b3d91", "#ffe08a"
#: what the page calls the two diagram elements it refers to (one diagram per page)
TITLE_ID, DESC_ID = "state-diagram-title", "state-diagram-desc"
_CACHE_LIMIT = 1024


@dataclass(frozen=True)
class MoveInWords:
    action: str
    to: str


@dataclass(frozen=True)
class StateInWords:
    title: str
    initial: bool
    final: bool
    current: bool
    moves: tuple[MoveInWords, ...]


@dataclass(frozen=True)
class Diagram:
    svg: Markup
    states: tuple[StateInWords, ...]


_cache: dict[tuple[str, int, str, str, str | None], Diagram] = {}
_lock = threading.Lock()


def state_diagram(compiled: CompiledDefinition, lang: str, mark: str | None = None) -> Diagram:
    """The diagram of `compiled` with titles in `lang` ("uk" or "en"), `mark` (a state's name) as the current
    state."""
    if mark is not None and mark not in compiled.definition.states:
        raise ValueError(f"{compiled.kind} has no state {mark!r}")
    key = (compiled.kind, compiled.version, compiled.sha256, lang, mark)
    found = _cache.get(key)
    if found is None:
        with force_locale(lang):
            found = Diagram(_svg(compiled, lang, mark), _in_words(compiled, lang, mark))
        with _lock:
            if len(_cache) >= _CACHE_LIMIT:
                _cache.clear()
            _cache[key] = found
    return found


def _in_words(compiled: CompiledDefinition, lang: str, mark: str | None) -> tuple[StateInWords, ...]:
    definition = compiled.definition
    return tuple(
        StateInWords(
            title=_say(state.title, lang),
            initial=name == definition.initial,
            final=state.final,
            current=name == mark,
            moves=tuple(
                MoveInWords(_say(move.title, lang), _say(compiled.state(move.dest).title, lang))
                for move in compiled.moves_from[name]
            ),
        )
        for name, state in definition.states.items()
    )


def _svg(compiled: CompiledDefinition, lang: str, mark: str | None) -> Markup:
    definition = compiled.definition
    current_words = _("current state")
    state_lines = {
        name: _lines(_say(state.title, lang), STATE_LINE) + ([f"● {current_words}"] if name == mark else [])
        for name, state in definition.states.items()
    }
    moves = list(compiled.moves.values())
    label_lines = [_lines(_say(move.title, lang), LABEL_LINE) for move in moves]
    layout = layered(
        {name: _box_size(lines, marked=name == mark) for name, lines in state_lines.items()},
        [(move.source, move.dest, _label_size(lines)) for move, lines in zip(moves, label_lines, strict=True)],
        definition.initial,
    )
    kind = _say(definition.title, lang)
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG,
            "class": "state-diagram",
            "viewBox": f"0 0 {_n(layout.width)} {_n(layout.height)}",
            "width": _n(layout.width),
            "height": _n(layout.height),
            "role": "img",
            "aria-labelledby": f"{TITLE_ID} {DESC_ID}",
            "focusable": "false",
            "font-family": "system-ui, sans-serif",
            "font-size": _n(FONT_SIZE),
        },
    )
    ET.SubElement(svg, "title", id=TITLE_ID).text = _("State diagram: %(kind)s", kind=kind)
    if mark is None:
        described = _("States: %(states)s, moves: %(moves)s; they are listed in words after the picture.")
    else:
        described = _(
            "The current state: %(current)s. States: %(states)s, moves: %(moves)s; they are listed in words after "
            "the picture."
        )
    ET.SubElement(svg, "desc", id=DESC_ID).text = described % {
        "current": "" if mark is None else _say(compiled.state(mark).title, lang),
        "states": len(definition.states),
        "moves": len(moves),
    }
    _start(svg, layout, definition.initial)
    for route, lines in zip(layout.routes, label_lines, strict=True):
        _move(svg, route, lines)
    for name, state in definition.states.items():
        _state(svg, layout.nodes[name], state_lines[name], final=state.final, current=name == mark)
    return Markup(ET.tostring(svg, encoding="unicode", short_empty_elements=False))


def _start(svg: ET.Element, layout: Layout, initial: str) -> None:
    x, y = layout.start
    group = ET.SubElement(svg, "g", {"class": "start", "aria-hidden": "true"})
    ET.SubElement(group, "circle", cx=_n(x), cy=_n(y), r="5", fill=INK)
    top = layout.nodes[initial].y
    ET.SubElement(group, "path", d=f"M{_n(x)},{_n(y + 5)} V{_n(top - 7)}", stroke=LINES, fill="none")
    _arrowhead(group, (x, top), downwards=True)


def _move(svg: ET.Element, route: Route, lines: list[str]) -> None:
    group = ET.SubElement(svg, "g", {"class": "move"})
    points = route.points
    d = "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in points) if route.loop else _curve(points)
    ET.SubElement(group, "path", {"d": d, "fill": "none", "stroke": LINES, "stroke-width": "1.2"})
    (_x0, y0), (x1, y1) = points[-2], points[-1]
    if route.loop:
        _arrowhead(group, (x1, y1), downwards=None)
    else:
        _arrowhead(group, (x1, y1), downwards=y1 > y0)
    label = route.label
    ET.SubElement(
        group,
        "rect",
        {
            "x": _n(label.x - 2),
            "y": _n(label.y),
            "width": _n(label.width + 4),
            "height": _n(label.height),
            "fill": "#ffffff",
            "fill-opacity": "0.85",
        },
    )
    _text(group, lines, label.x, label.y, anchor="start", css="move-label", fill="#333333")


def _curve(points: tuple[tuple[float, float], ...]) -> str:
    """A smooth line through `points` (Catmull-Rom, as cubic Béziers) that leaves and arrives vertically and
    stops short of its last point, where the arrowhead's tip is."""
    (x_end, y_end), (_, y_before) = points[-1], points[-2]
    ends = [*points[:-1], (x_end, y_end + (-7 if y_end > y_before else 7))]
    # a point beyond each end, straight above or below it, makes the line leave and arrive vertically
    first, second = ends[0], ends[1]
    last, before = ends[-1], ends[-2]
    padded = [
        (first[0], 2 * first[1] - second[1]),
        *ends,
        (last[0], 2 * last[1] - before[1]),
    ]
    d = f"M{_n(first[0])},{_n(first[1])}"
    for i in range(1, len(padded) - 2):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = padded[i - 1 : i + 3]
        c1 = (x1 + (x2 - x0) / 6, y1 + (y2 - y0) / 6)
        c2 = (x2 - (x3 - x1) / 6, y2 - (y3 - y1) / 6)
        d += f" C{_n(c1[0])},{_n(c1[1])} {_n(c2[0])},{_n(c2[1])} {_n(x2)},{_n(y2)}"
    return d


def _state(svg: ET.Element, box: Box, lines: list[str], *, final: bool, current: bool) -> None:
    css = " ".join(["state", *(["final"] if final else []), *(["current"] if current else [])])
    group = ET.SubElement(svg, "g", {"class": css})
    ET.SubElement(group, "title").text = " — ".join(lines)
    outline = {"stroke": INK if current else FINAL, "stroke-width": "3" if current else "1.2"}
    ET.SubElement(
        group,
        "rect",
        {
            "x": _n(box.x),
            "y": _n(box.y),
            "width": _n(box.width),
            "height": _n(box.height),
            "rx": "6",
            "fill": CURRENT if current else FILL,
            **outline,
        },
    )
    if final:  # a double border, as state diagrams draw a final state
        inner = {"x": _n(box.x + 3), "y": _n(box.y + 3), "width": _n(box.width - 6), "height": _n(box.height - 6)}
        ET.SubElement(group, "rect", {**inner, "rx": "4", "fill": "none", "stroke": FINAL, "stroke-width": "1"})
    _text(group, lines, box.centre_x, box.y + PAD_Y, anchor="middle", css="state-title", fill=INK, bold_last=current)


def _text(
    parent: ET.Element,
    lines: list[str],
    x: float,
    top: float,
    *,
    anchor: str,
    css: str,
    fill: str,
    bold_last: bool = False,
) -> None:
    text = ET.SubElement(parent, "text", {"class": css, "text-anchor": anchor, "fill": fill})
    for i, line in enumerate(lines):
        attributes = {"x": _n(x), "y": _n(top + LINE * i + FONT_SIZE - 1)}
        if bold_last and i == len(lines) - 1:
            attributes["font-weight"] = "bold"
        ET.SubElement(text, "tspan", attributes).text = line


def _arrowhead(parent: ET.Element, tip: tuple[float, float], *, downwards: bool | None) -> None:
    x, y = tip
    if downwards is None:  # a loop comes back leftwards into its state
        corners = f"{_n(x)},{_n(y)} {_n(x + 7)},{_n(y - 4)} {_n(x + 7)},{_n(y + 4)}"
    else:
        back = -7 if downwards else 7
        corners = f"{_n(x)},{_n(y)} {_n(x - 4)},{_n(y + back)} {_n(x + 4)},{_n(y + back)}"
    ET.SubElement(parent, "polygon", points=corners, fill=LINES)


def _box_size(lines: list[str], *, marked: bool) -> Size:
    widths = [_width(line) for line in lines]
    if marked:  # the mark's line is bold, wider than the estimate
        widths[-1] *= 1.15
    return Size(max(90.0, max(widths) + 2 * PAD_X), LINE * len(lines) + 2 * PAD_Y - 2)


def _label_size(lines: list[str]) -> Size:
    return Size(max(_width(line) for line in lines), LINE * len(lines))


def _lines(text: str, width: int) -> list[str]:
    # a title is free text: characters XML cannot carry are dropped, white space made single
    clean = " ".join("".join(c for c in text if c >= " " or c in "\t\n").split())
    return wrap(clean, width, break_long_words=True) or ["—"]


def _width(line: str) -> float:
    """An estimate of a line's width in the page's sans-serif at FONT_SIZE (no font metrics on a server):
    generous, so a title never overflows its box."""
    return sum(_advance(c) for c in line)


def _advance(c: str) -> float:
    if c in " .,:;'’!|()[]ійїIltfr-":
        return 4.6
    if c.isupper() or c in "mwжшщюмдфыѐ—●":
        return 10.4
    return 7.8


def _say(title: Title, lang: str) -> str:
    return title.uk if lang == "uk" else title.en


def _n(value: float) -> str:
    """A coordinate with at most one decimal, as short as it can be."""
    return f"{value:.1f}".removesuffix(".0")
