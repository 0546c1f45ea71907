"""A definition's state diagram as a picture (web/diagram.py), read back as XML: every state by its title in the
reader's language, every move by its action's title, the current state marked by more than colour, titles
escaped, nothing the site's CSP forbids — and the cabinet's document page and the definition page show it."""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.site import in_english, sign_in, submitted
from web import create_app, i18n
from web.diagram import Diagram, state_diagram
from workflow.config import PROJECT_ROOT
from workflow.council.catalog import CATALOG
from workflow.definitions.catalog import Catalog
from workflow.definitions.compiled import CompiledDefinition
from workflow.definitions.loader import load_definition_text
from workflow.definitions.registry import DefinitionRegistry

SHIPPED = DefinitionRegistry.from_directory(PROJECT_ROOT / "definitions", CATALOG)
NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = '<script>alert("x")</script> & </svg><b onclick="x()">'


@pytest.fixture(scope="module")
def app() -> Flask:
    app = Flask(__name__)
    i18n.init_app(app)
    return app


@pytest.fixture
def context(app: Flask) -> Iterator[None]:
    with app.test_request_context("/"):
        yield


def drawn(diagram: Diagram) -> ET.Element:
    return ET.fromstring(str(diagram.svg))


def texts(element: ET.Element, css: str) -> list[str]:
    """Each text of that class, its lines joined by spaces (a long title wraps onto several)."""
    return [
        " ".join(span.text or "" for span in text.iterfind("svg:tspan", NS))
        for text in element.iterfind(f".//svg:text[@class='{css}']", NS)
    ]


def states(svg: ET.Element) -> dict[str, ET.Element]:
    """The drawn states by their titles (without the current state's mark)."""
    found = {}
    for group in svg.iterfind(".//svg:g", NS):
        if "state" in group.get("class", "").split():
            (title,) = texts(group, "state-title")
            found[title.split(" ● ")[0]] = group
    return found


def visa_with_title(title: str) -> CompiledDefinition:
    catalog = Catalog()
    catalog.global_role("reviewer", "legal or finance reviewer")
    text = textwrap.dedent(
        f"""\
        kind: visa
        version: 1
        title: {{uk: Віза, en: Visa}}
        create: [reviewer]
        initial: requested
        states:
          requested:
            title: {{uk: {title!r}, en: {title!r}}}
          given:
            title: {{uk: Завізовано, en: Given}}
            final: true
        transitions:
          - trigger: give
            title: {{uk: {title!r}, en: {title!r}}}
            from: requested
            to: given
            roles: [reviewer]
        """
    )
    return load_definition_text(text, "visa.yaml", catalog)


@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize("kind", SHIPPED.kinds())
def test_every_state_and_move_is_drawn_by_its_title_in_the_reader_s_language(context, kind, lang):
    compiled = SHIPPED.current(kind)

    svg = drawn(state_diagram(compiled, lang))

    titles = [getattr(state.title, lang) for state in compiled.definition.states.values()]
    assert sorted(states(svg)) == sorted(titles)
    assert sorted(texts(svg, "move-label")) == sorted(getattr(m.title, lang) for m in compiled.moves.values())
    kind_title = getattr(compiled.definition.title, lang)
    heading = {"uk": f"Діаграма станів: {kind_title}", "en": f"State diagram: {kind_title}"}[lang]
    assert svg.findtext("svg:title", namespaces=NS) == heading
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "state-diagram-title state-diagram-desc"


@pytest.mark.parametrize(
    ("lang", "marked", "mark", "described"),
    [
        ("uk", "На візуванні", "● поточний стан", "Поточний стан: На візуванні. Станів: 14, переходів: 27;"),
        ("en", "Awaiting visas", "● current state", "The current state: Awaiting visas. States: 14, moves: 27;"),
    ],
)
def test_the_current_state_is_marked_by_its_outline_and_in_words(context, lang, marked, mark, described):
    svg = drawn(state_diagram(SHIPPED.current("decision_draft"), lang, "visas"))

    drawn_states = states(svg)
    current = [title for title, group in drawn_states.items() if "current" in group.get("class", "").split()]
    assert current == [marked]
    group = drawn_states[marked]
    (line,) = [text.findall("svg:tspan", NS)[-1] for text in group.iterfind("svg:text", NS)]
    assert (line.text, line.get("font-weight")) == (mark, "bold")
    outline = group.find("svg:rect", NS)
    assert outline is not None
    assert outline.get("stroke-width") == "3"
    others = [g.find("svg:rect", NS) for title, g in drawn_states.items() if title != marked]
    assert {rect.get("stroke-width") for rect in others if rect is not None} == {"1.2"}
    assert (svg.findtext("svg:desc", namespaces=NS) or "").startswith(described)


def test_the_diagram_in_words_names_the_current_state_and_every_move(context):
    diagram = state_diagram(SHIPPED.current("visa"), "en", "requested")

    (current,) = [s for s in diagram.states if s.current]
    assert (current.title, current.initial, current.final) == ("Awaiting the visa", True, False)
    assert [(m.action, m.to) for m in current.moves] == [
        ("Give the visa", "Given"),
        ("Return with remarks", "Returned with remarks"),
        ("Cancel the request", "Cancelled"),
    ]


def test_a_hostile_title_is_drawn_as_text_escaped(context):
    diagram = state_diagram(visa_with_title(HOSTILE), "uk", "requested")

    markup = str(diagram.svg)
    assert "<script" not in markup
    assert "<b " not in markup
    assert markup.count("</svg>") == 1
    assert "&lt;script&gt;" in markup
    assert "&amp;" in markup
    svg = ET.fromstring(markup)
    words = " ".join(" ".join(span.text or "" for span in t.iter(f"{{{NS['svg']}}}tspan")) for t in svg.iter())
    assert HOSTILE[:20] in words  # the same characters, as text (wrapped onto lines)
    assert "".join(texts(svg, "move-label")).replace(" ", "") == HOSTILE.replace(" ", "")


def test_nothing_in_the_picture_needs_what_the_csp_forbids(context):
    markup = str(state_diagram(SHIPPED.current("decision_draft"), "uk", "visas").svg)
    svg = ET.fromstring(markup)

    tags = {element.tag.split("}")[1] for element in svg.iter()}
    assert tags <= {"svg", "title", "desc", "g", "rect", "circle", "path", "polygon", "text", "tspan"}
    attributes = {name for element in svg.iter() for name in element.attrib}
    assert "style" not in attributes
    assert not [name for name in attributes if name.startswith("on")]
    assert "href" not in markup
    assert "url(" not in markup


def test_a_drawing_is_made_once_per_kind_version_language_and_state(context):
    compiled = SHIPPED.current("decision_draft")

    first = state_diagram(compiled, "uk", "visas")

    assert state_diagram(compiled, "uk", "visas") is first
    assert state_diagram(compiled, "en", "visas") is not first
    assert state_diagram(compiled, "uk", "drafting") is not first


def test_marking_a_state_the_kind_has_not_is_refused(context):
    with pytest.raises(ValueError, match="no state 'archived'"):
        state_diagram(SHIPPED.current("visa"), "uk", "archived")


# --- on the pages ----------------------------------------------------------------------------------------------
def picture_in(page: str) -> ET.Element:
    frame = r'<div class="diagram-picture" tabindex="0" role="region" aria-label="[^"]+">(<svg.*?</svg>)'
    found = re.search(frame, page, re.S)
    assert found is not None, "the page carries the diagram in its scrollable frame"
    return ET.fromstring(found.group(1))


def test_the_document_page_shows_its_diagram_with_its_stage_marked(site):
    draft = submitted(site)
    client = site.client()
    sign_in(client, site.world.staff)

    page = client.get(f"/documents/{draft.id}").get_data(as_text=True)

    assert '<h2 id="state-diagram-heading">Діаграма станів</h2>' in page
    drawn_states = states(picture_in(page))
    assert [t for t, g in drawn_states.items() if "current" in g.get("class", "")] == ["На візуванні"]
    assert '<li aria-current="step"><strong>На візуванні</strong> — поточний стан' in page
    assert "<li>Подати на візування → На візуванні</li>" in page

    english = in_english(client).get(f"/documents/{draft.id}").get_data(as_text=True)
    assert [t for t, g in states(picture_in(english)).items() if "current" in g.get("class", "")] == ["Awaiting visas"]
    assert '<li aria-current="step"><strong>Awaiting visas</strong> — current state' in english


@pytest.fixture
def client(clean_environment: None, database_file: str, tmp_path: Path) -> Iterator[FlaskClient]:
    app = create_app({"database_url": database_file, "instance_dir": tmp_path / "instance", "TESTING": True})
    yield app.test_client()
    app.extensions["radaflow"].engine.dispose()


def test_the_definition_page_shows_the_kind_s_diagram_with_no_state_marked(client):
    response = client.get("/definitions/decision_draft")

    page = response.get_data(as_text=True)
    svg = picture_in(page)
    assert len(states(svg)) == 14
    assert not any("current" in g.get("class", "") for g in states(svg).values())
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "Діаграма словами" in page
