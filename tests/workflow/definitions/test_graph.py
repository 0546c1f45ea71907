"""A definition drawn as a state diagram, in Mermaid and in Graphviz DOT, with the current state marked."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

from workflow.definitions.catalog import Catalog
from workflow.definitions.compiled import CompiledDefinition
from workflow.definitions.graph import to_dot, to_mermaid
from workflow.definitions.loader import load_definition_text

VISA = textwrap.dedent(
    """\
    kind: visa
    version: 1
    title: {uk: Віза, en: Visa}
    create: [secretary]
    initial: requested
    states:
      requested:
        title: {uk: Очікує візи, en: Awaiting the visa}
      given:
        title: {uk: Завізовано, en: Given}
        final: true
      returned:
        title: {uk: "Повернуто із зауваженнями \\"юриста\\"", en: Returned with remarks}
        final: true
    transitions:
      - trigger: give
        title: {uk: Завізувати, en: Give the visa}
        from: requested
        to: given
        roles: [reviewer]
      - trigger: return
        title: {uk: Повернути, en: Return}
        from: requested
        to: returned
        roles: [reviewer]
    """
)


def visa(text: str = VISA) -> CompiledDefinition:
    catalog = Catalog()
    catalog.global_role("secretary", "council secretary")
    catalog.global_role("reviewer", "legal or finance reviewer")
    return load_definition_text(text, "visa.yaml", catalog)


# --- Mermaid -----------------------------------------------------------------------------------------------


def test_mermaid_declares_states_by_title_and_labels_moves_with_triggers() -> None:
    assert to_mermaid(visa()) == textwrap.dedent(
        """\
        stateDiagram-v2
            state "Awaiting the visa" as requested
            state "Given" as given
            state "Returned with remarks" as returned
            [*] --> requested
            requested --> given : give
            requested --> returned : return
            given --> [*]
            returned --> [*]
        """
    )


def test_mermaid_marks_the_current_state() -> None:
    lines = to_mermaid(visa(), mark="requested").splitlines()

    assert lines[-2:] == [
        "    classDef current fill:#ffe08a,stroke:#b8860b,stroke-width:2px",
        "    class requested current",
    ]


def test_mermaid_shows_ukrainian_titles_with_quotes_escaped() -> None:
    lines = to_mermaid(visa(), lang="uk").splitlines()

    assert lines[1:4] == [
        '    state "Очікує візи" as requested',
        '    state "Завізовано" as given',
        '    state "Повернуто із зауваженнями #quot;юриста#quot;" as returned',
    ]


def test_mermaid_escapes_a_hash_so_it_is_not_read_as_an_entity() -> None:
    text = VISA.replace("en: Given}", "en: 'Given #1; final'}")

    assert '    state "Given #35;1; final" as given' in to_mermaid(visa(text)).splitlines()


def test_a_title_on_several_lines_stays_on_one_line_of_the_diagram() -> None:
    text = VISA.replace("en: Given}", 'en: "Given,\\nat last"}')

    assert '    state "Given, at last" as given' in to_mermaid(visa(text)).splitlines()


# --- DOT ---------------------------------------------------------------------------------------------------


def test_dot_labels_states_with_titles_and_moves_with_triggers() -> None:
    assert to_dot(visa()) == textwrap.dedent(
        """\
        digraph "visa" {
            rankdir=LR;
            node [shape=box, style="rounded"];
            __start__ [shape=point, label=""];
            "requested" [label="Awaiting the visa"];
            "given" [label="Given", peripheries=2];
            "returned" [label="Returned with remarks", peripheries=2];
            __start__ -> "requested";
            "requested" -> "given" [label="give"];
            "requested" -> "returned" [label="return"];
        }
        """
    )


def test_dot_fills_the_marked_state() -> None:
    lines = to_dot(visa(), mark="given").splitlines()

    assert (
        '    "given" [label="Given", peripheries=2, style="rounded,filled", fillcolor="#ffe08a", color="#b8860b"];'
        in lines
    )
    assert '    "requested" [label="Awaiting the visa"];' in lines


def test_dot_escapes_quotes_and_backslashes_in_titles() -> None:
    text = VISA.replace("en: Given}", 'en: "Given \\\\ signed"}')

    lines = to_dot(visa(text), lang="uk").splitlines()

    assert '    "returned" [label="Повернуто із зауваженнями \\"юриста\\"", peripheries=2];' in lines
    assert '    "given" [label="Завізовано", peripheries=2];' in lines
    assert '    "given" [label="Given \\\\ signed", peripheries=2];' in to_dot(visa(text)).splitlines()


# --- refusals ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("draw", [to_mermaid, to_dot])
def test_marking_a_state_the_definition_does_not_have_is_refused(draw: Callable[..., str]) -> None:
    with pytest.raises(ValueError, match=r"cannot mark 'signed': visa has no such state \(its states: requested"):
        draw(visa(), mark="signed")


@pytest.mark.parametrize("draw", [to_mermaid, to_dot])
def test_a_language_without_titles_is_refused(draw: Callable[..., str]) -> None:
    with pytest.raises(ValueError, match="no titles in language 'de': use one of uk, en"):
        draw(visa(), lang="de")
