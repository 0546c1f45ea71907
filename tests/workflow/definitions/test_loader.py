"""A definition file is refused before anything runs, with its file, line and what is wrong."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

import pytest
from pydantic import BaseModel

from workflow.definitions.catalog import Catalog
from workflow.definitions.compiled import CompiledDefinition, Move
from workflow.definitions.loader import (
    DefinitionError,
    DefinitionProblem,
    load_definition_text,
    load_directory,
)
from workflow.definitions.schema import EffectRef
from workflow.definitions.yamltree import MAX_DEPTH

PATH = "definitions/decision_draft.yaml"

VALID = textwrap.dedent(
    """\
    kind: decision_draft
    version: 1
    title: {uk: Проєкт рішення, en: Draft decision}
    create: [executor, secretary]
    initial: drafting
    states:
      drafting:
        title: {uk: Чернетка, en: Drafting}
        edit: [author]
      visas:
        title: {uk: На візуванні, en: Collecting visas}
        deadline: {days: 5, working: true}
      adopted:
        title: {uk: Ухвалено, en: Adopted}
        final: true
        public: true
      withdrawn:
        title: {uk: Відкликано, en: Withdrawn}
        final: true
    transitions:
      - trigger: submit
        title: {uk: Подати, en: Submit}
        from: drafting
        to: visas
        roles: [author]
        effects:
          - notify: {roles: [reviewer], template: draft_submitted}
      - trigger: return_for_rework
        title: {uk: Повернути, en: Return for rework}
        from: visas
        to: drafting
        roles: [reviewer]
        comment: required
        effects:
          - name: notify
            params: {roles: [author], template: draft_returned}
      - trigger: adopt
        title: {uk: Ухвалити, en: Adopt}
        from: visas
        to: adopted
        roles: [secretary]
        guards: [all_visas_given]
        effects: [assign_number]
      - trigger: withdraw
        title: {uk: Відкликати, en: Withdraw}
        from: [drafting, visas]
        to: withdrawn
        roles: [author]
    """
)


class NotifyParams(BaseModel):
    roles: list[str]
    template: str


def make_catalog() -> Catalog:
    catalog = Catalog()
    catalog.global_role("executor", "department staff")
    catalog.global_role("reviewer", "legal or finance reviewer")
    catalog.global_role("secretary", "council secretary")
    catalog.relative_role("author", "the document's author")(lambda document, actor: True)
    catalog.guard("all_visas_given", "every reviewer put a visa")(lambda context: None)
    catalog.effect("notify", "send an e-mail and an in-app notification", NotifyParams)
    catalog.effect("assign_number", "give the decision its official number")
    return catalog


def edit(text: str, old: str, new: str) -> str:
    """The text with one unique snippet replaced: each scenario is the valid file with one mistake."""
    assert text.count(old) == 1, f"{old!r} is not unique in the text"
    return text.replace(old, new)


def line_of(text: str, snippet: str) -> int:
    """The 1-based number of the only line containing `snippet`."""
    lines = [number for number, line in enumerate(text.splitlines(), 1) if snippet in line]
    assert len(lines) == 1, f"{snippet!r} is on lines {lines}"
    return lines[0]


def move(compiled: CompiledDefinition, state: str, trigger: str) -> Move:
    found = compiled.move(state, trigger)
    assert found is not None, f"no {trigger!r} from {state!r}"
    return found


def problems_of(text: str) -> list[DefinitionProblem]:
    with pytest.raises(DefinitionError) as caught:
        load_definition_text(text, PATH, make_catalog())
    return caught.value.problems


def only_problem(text: str) -> DefinitionProblem:
    problems = problems_of(text)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


# --- a valid file ------------------------------------------------------------------------------------------


def test_a_valid_definition_compiles_into_moves() -> None:
    compiled = load_definition_text(VALID, PATH, make_catalog())

    assert (compiled.kind, compiled.version, compiled.initial) == ("decision_draft", 1, "drafting")
    assert compiled.source_text == VALID
    assert move(compiled, "drafting", "submit").dest == "visas"
    assert move(compiled, "visas", "withdraw").dest == "withdrawn"
    assert move(compiled, "visas", "adopt").guards[0].name == "all_visas_given"
    assert compiled.move("adopted", "withdraw") is None


def test_every_way_of_writing_an_effect_gives_the_same_reference() -> None:
    compiled = load_definition_text(VALID, PATH, make_catalog())

    assert move(compiled, "drafting", "submit").effects == (
        EffectRef(name="notify", params={"roles": ["reviewer"], "template": "draft_submitted"}),
    )
    assert move(compiled, "visas", "return_for_rework").effects == (
        EffectRef(name="notify", params={"roles": ["author"], "template": "draft_returned"}),
    )
    assert move(compiled, "visas", "adopt").effects == (EffectRef(name="assign_number"),)


# --- the problem and the error -----------------------------------------------------------------------------


def test_a_problem_reads_file_line_message() -> None:
    assert str(DefinitionProblem("a.yaml", 7, "unknown key 'x'")) == "a.yaml:7: unknown key 'x'"
    assert str(DefinitionProblem("a.yaml", None, "the file is empty")) == "a.yaml: the file is empty"


def test_the_error_lists_its_problems_one_per_line_and_survives_pickling() -> None:
    error = DefinitionError([DefinitionProblem("a.yaml", 1, "one"), DefinitionProblem("b.yaml", None, "two")])

    assert str(error) == "a.yaml:1: one\nb.yaml: two"
    assert pickle.loads(pickle.dumps(error)).problems == error.problems


# --- YAML itself -------------------------------------------------------------------------------------------


def test_a_yaml_syntax_error_is_refused_at_its_line() -> None:
    text = edit(VALID, "    from: drafting\n", "    from: drafting: visas\n")

    problem = only_problem(text)

    assert (problem.path, problem.line) == (PATH, line_of(text, "from: drafting: visas"))
    assert problem.message == "invalid YAML: mapping values are not allowed here"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    to: visas\n", "\tto: visas\n", "invalid YAML: found character '\\t' that cannot start any token"),
        (
            "    to: visas\n",
            "    to: visas\x07\n",
            "invalid YAML: special characters are not allowed (character U+0007)",
        ),
        (
            "    to: visas\n",
            "    to: !!python/object/apply:os.system [ls]\n",
            "invalid YAML: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
    ],
    ids=["tab", "control character", "python tag"],
)
def test_yaml_that_cannot_be_read_safely_is_refused_at_its_line(old: str, new: str, message: str) -> None:
    text = edit(VALID, old, new)

    problem = only_problem(text)

    assert problem.line == line_of(text, new.strip())
    assert problem.message == message


def test_an_unclosed_bracket_names_where_it_was_opened() -> None:
    text = edit(VALID, "    to: visas\n", "    to: [visas\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "to: [visas") + 1  # where PyYAML finds out
    assert problem.message == (
        f"invalid YAML: while parsing a flow sequence (line {line_of(text, 'to: [visas')}), "
        "expected ',' or ']', but got ':'"
    )


def test_a_key_written_twice_is_refused_at_the_second() -> None:
    text = edit(VALID, "    public: true\n", "    public: true\n    public: false\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "public: false")
    assert problem.message == (
        f"key 'public' appears twice in the same mapping (first at line {line_of(text, 'public: true')}); "
        "YAML would silently keep only the last one"
    )


def test_anchors_and_merge_keys_are_not_mistaken_for_keys_written_twice() -> None:
    text = edit(VALID, "    final: true\n    public: true\n", "    <<: &closed {final: true, public: true}\n")
    text = edit(text, "Withdrawn}\n    final: true\n", "Withdrawn}\n    <<: *closed\n    public: false\n")

    compiled = load_definition_text(text, PATH, make_catalog())

    assert (compiled.state("adopted").final, compiled.state("adopted").public) == (True, True)
    assert (compiled.state("withdrawn").final, compiled.state("withdrawn").public) == (True, False)


@pytest.mark.parametrize(
    ("nested", "where"),
    [("[" * 500 + "]" * 500, "flow"), ("".join(f"\n{'  ' * (depth + 3)}- " for depth in range(500)) + "x", "block")],
    ids=["a kilobyte of brackets", "indented lists"],
)
def test_a_definition_nested_hundreds_of_levels_deep_is_refused_at_its_line_not_by_a_recursion_error(
    nested: str, where: str
) -> None:
    text = edit(VALID, "    to: visas\n", f"    to: {nested}\n")

    problem = only_problem(text)

    assert problem.path == PATH
    assert problem.line is not None
    if where == "flow":
        assert problem.line == line_of(text, "to: [[")
    else:  # on the line of the first list too many, among the 500
        opened = text.splitlines().index("    to: ") + 1
        assert opened < problem.line <= opened + 500
        assert text.splitlines()[problem.line - 1] == "  " * (problem.line - opened + 2) + "- "
    assert problem.message == (
        f"invalid YAML: collections are nested more than {MAX_DEPTH} levels deep; a definition needs far fewer"
    )


def test_nesting_up_to_the_limit_is_read_as_yaml() -> None:
    text = edit(VALID, "    to: visas\n", f"    to: {'[' * (MAX_DEPTH - 4)}visas{']' * (MAX_DEPTH - 4)}\n")

    problem = only_problem(text)  # a valid file's depth is 4 where `to` is; the nesting is YAML, the value is not

    assert "nested" not in problem.message


@pytest.mark.parametrize("text", ["", "# nothing yet\n", "---\n"])
def test_an_empty_file_is_refused_without_a_traceback(text: str) -> None:
    problem = only_problem(text)

    assert problem.line is None
    assert problem.message.startswith("the file is empty: a definition is a mapping with the keys kind, version")


@pytest.mark.parametrize(("text", "found"), [("- kind: decision_draft\n", "a list"), ("just words\n", "'just words'")])
def test_a_file_that_is_not_a_mapping_is_refused(text: str, found: str) -> None:
    problem = only_problem(text)

    assert problem.line == 1
    assert problem.message.startswith("the file should be a mapping with the keys kind, version, title")
    assert problem.message.endswith(f", not {found}")


def test_two_documents_in_one_file_are_refused() -> None:
    text = VALID + "---\nkind: visa\n"

    problem = only_problem(text)

    assert problem.line == line_of(text, "---")
    assert problem.message == (
        "invalid YAML: expected a single document in the stream (line 1), but found another document"
    )


# --- the shape of the file ---------------------------------------------------------------------------------


def test_an_unknown_key_names_the_keys_allowed_there() -> None:
    text = edit(VALID, "    final: true\n    public: true\n", "    finale: true\n    public: true\n")

    # and not also "adopted is not final": while its shape is wrong, its meaning is unknown
    problem = only_problem(text)

    assert problem.line == line_of(text, "finale: true")
    assert problem.message == (
        "state 'adopted': unknown key 'finale' (allowed keys: title, final, public, edit, fields, deadline)"
    )


def test_an_unknown_key_in_a_transition_lists_from_and_to_as_written_in_yaml() -> None:
    text = edit(VALID, "    comment: required\n", "    coment: required\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "coment: required")
    assert problem.message == (
        "transition 'return_for_rework': unknown key 'coment' "
        "(allowed keys: trigger, title, from, to, roles, guards, effects, comment)"
    )


def test_an_unknown_key_inside_a_title_says_where() -> None:
    text = edit(VALID, "{uk: Ухвалено, en: Adopted}", "{uk: Ухвалено, en: Adopted, de: Angenommen}")

    problem = only_problem(text)

    assert problem.line == line_of(text, "de: Angenommen")
    assert problem.message == "state 'adopted': unknown key 'de' in 'title' (allowed keys: uk, en)"


def test_a_missing_key_is_refused_at_the_transition_that_lacks_it() -> None:
    text = edit(VALID, "    to: adopted\n", "")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- trigger: adopt")
    assert problem.message == "transition 'adopt': missing required key 'to'"


def test_a_missing_title_is_refused_at_the_state_name() -> None:
    text = edit(VALID, "    title: {uk: На візуванні, en: Collecting visas}\n", "")

    problem = only_problem(text)

    assert problem.line == line_of(text, "  visas:")
    assert problem.message == "state 'visas': missing required key 'title'"


def test_a_missing_top_level_key_is_refused_at_line_1() -> None:
    text = edit(VALID, "initial: drafting\n", "")

    problem = only_problem(text)

    assert problem.line == 1
    assert problem.message == "missing required key 'initial'"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    public: true\n",
            "    public: maybe\n",
            "state 'adopted': 'public' should be true or false (got 'maybe')",
        ),
        (
            "{days: 5, working: true}",
            "{days: 0, working: true}",
            "state 'visas': 'deadline.days' should be greater than 0 (got the number 0)",
        ),
        (
            "    roles: [secretary]\n",
            "    roles: secretary\n",
            "transition 'adopt': 'roles' should be a list (got 'secretary')",
        ),
        (
            "    comment: required\n",
            "    comment: yes\n",
            "transition 'return_for_rework': 'comment' should be 'required', 'optional' or 'none' (got true)",
        ),
        ("version: 1\n", "version: first\n", "'version' should be a whole number (got 'first')"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_at_its_line(old: str, new: str, message: str) -> None:
    text = edit(VALID, old, new)

    problem = only_problem(text)

    assert problem.line == line_of(text, new.strip())
    assert problem.message == message


def test_a_state_given_no_mapping_is_refused() -> None:
    text = edit(VALID, "  withdrawn:\n    title: {uk: Відкликано, en: Withdrawn}\n    final: true\n", "  withdrawn:\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "withdrawn:")
    assert problem.message == "state 'withdrawn' should be a mapping of keys and values (got nothing)"


def test_a_transition_that_is_not_a_mapping_is_refused_by_its_number() -> None:
    text = edit(VALID, "transitions:\n", "transitions:\n  - submit\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- submit")
    assert problem.message == "transition #1 should be a mapping of keys and values (got 'submit')"


def test_an_effect_written_in_a_wrong_shape_is_refused_with_the_forms_allowed() -> None:
    text = edit(VALID, "effects: [assign_number]", "effects: [{name: assign_number, when: now}]")

    problem = only_problem(text)

    assert problem.line == line_of(text, "when: now")
    assert problem.message.startswith(
        "transition 'adopt', effect 'assign_number': unknown key 'when' (allowed keys: name, params); "
        "write an effect as `notify`"
    )


# --- names -------------------------------------------------------------------------------------------------


def test_an_unknown_initial_state_is_refused() -> None:
    text = edit(VALID, "initial: drafting\n", "initial: draft\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "initial: draft")
    assert problem.message == (
        "'initial': unknown state 'draft' (known states: drafting, visas, adopted, withdrawn; did you mean 'drafting'?)"
    )


def test_an_unknown_state_in_to_is_refused() -> None:
    text = edit(VALID, "    to: visas\n", "    to: vissas\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "to: vissas")
    assert problem.message == (
        "transition 'submit': unknown state 'vissas' in 'to' "
        "(known states: drafting, visas, adopted, withdrawn; did you mean 'visas'?)"
    )


def test_an_unknown_state_in_a_list_of_from_is_refused_at_its_item() -> None:
    text = edit(VALID, "    from: [drafting, visas]\n", "    from:\n      - drafting\n      - on_visas\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- on_visas")
    assert problem.message.startswith("transition 'withdraw': unknown state 'on_visas' in 'from' (known states:")


def test_a_wildcard_source_is_not_a_state() -> None:
    """`transitions` would read '*' as "from every state"; a definition spells its states out."""
    text = edit(VALID, "    from: [drafting, visas]\n", "    from: '*'\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "from: '*'")
    assert problem.message.startswith("transition 'withdraw': unknown state '*' in 'from'")


def test_a_state_name_must_be_an_identifier() -> None:
    text = VALID.replace(" visas", " Visas")  # the state, not the guard all_visas_given

    problem = only_problem(text)

    assert problem.line == line_of(text, "  Visas:")
    assert problem.message == (
        "state name 'Visas' should be a snake_case identifier "
        "(lowercase Latin letters, digits and '_', starting with a letter)"
    )


def test_an_unknown_role_in_a_transition_is_refused() -> None:
    text = edit(VALID, "    roles: [secretary]\n", "    roles: [secretary, clerk]\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "roles: [secretary, clerk]")
    assert problem.message == (
        "transition 'adopt': unknown role 'clerk' (known roles: executor, reviewer, secretary, author)"
    )


def test_an_unknown_role_among_editors_is_refused() -> None:
    text = edit(VALID, "    edit: [author]\n", "    edit: [autor]\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "edit: [autor]")
    assert problem.message == (
        "state 'drafting': unknown role 'autor' "
        "(known roles: executor, reviewer, secretary, author; did you mean 'author'?)"
    )


def test_a_document_is_created_by_a_global_role_not_by_a_relative_one() -> None:
    text = edit(VALID, "create: [executor, secretary]\n", "create: [author, deputy]\n")

    problems = problems_of(text)

    assert [(p.line, p.message) for p in problems] == [
        (
            line_of(text, "create: [author, deputy]"),
            "'create': role 'author' holds only with respect to an existing document, "
            "so it cannot create one (global roles: executor, reviewer, secretary)",
        ),
        (
            line_of(text, "create: [author, deputy]"),
            "'create': unknown role 'deputy' (known roles: executor, reviewer, secretary, author)",
        ),
    ]


def test_an_unknown_guard_is_refused() -> None:
    text = edit(VALID, "    guards: [all_visas_given]\n", "    guards: [all_visas]\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "guards: [all_visas]")
    assert problem.message == (
        "transition 'adopt': unknown guard 'all_visas' (known guards: all_visas_given; did you mean 'all_visas_given'?)"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "effects: [assign_number]",
            "effects: [assign_numbr]",
            "transition 'adopt', effect 'assign_numbr': unknown effect 'assign_numbr' "
            "(known effects: notify, assign_number; did you mean 'assign_number'?)",
        ),
        (
            "- notify: {roles: [reviewer], template: draft_submitted}",
            "- notfy: {roles: [reviewer], template: draft_submitted}",
            "transition 'submit', effect 'notfy': unknown effect 'notfy' "
            "(known effects: notify, assign_number; did you mean 'notify'?)",
        ),
        (
            "- name: notify\n",
            "- name: notfy\n",
            "transition 'return_for_rework', effect 'notfy': unknown effect 'notfy' "
            "(known effects: notify, assign_number; did you mean 'notify'?)",
        ),
    ],
    ids=["name only", "name with params", "name and params keys"],
)
def test_an_unknown_effect_is_refused_whichever_way_it_is_written(old: str, new: str, message: str) -> None:
    text = edit(VALID, old, new)

    problem = only_problem(text)

    assert problem.line == line_of(text, new.strip())
    assert problem.message == message


def test_effect_params_are_checked_against_the_effects_model() -> None:
    text = edit(
        VALID,
        "      - notify: {roles: [reviewer], template: draft_submitted}\n",
        "      - notify:\n          roles: reviewer\n          tempalte: draft_submitted\n",
    )

    problems = problems_of(text)

    assert [(p.line, p.message) for p in problems] == [
        (
            line_of(text, "      - notify:"),
            "transition 'submit', effect 'notify': missing required parameter 'template'",
        ),
        (
            line_of(text, "roles: reviewer"),
            "transition 'submit', effect 'notify': 'roles' should be a list (got 'reviewer')",
        ),
        (
            line_of(text, "tempalte: draft_submitted"),
            "transition 'submit', effect 'notify': unknown parameter 'tempalte' (allowed parameters: roles, template)",
        ),
    ]


def test_params_given_in_the_name_and_params_form_are_checked_at_their_line() -> None:
    text = edit(VALID, "params: {roles: [author], template: draft_returned}", "params: {roles: [author], template: 7}")

    problem = only_problem(text)

    assert problem.line == line_of(text, "template: 7")
    assert (
        problem.message
        == "transition 'return_for_rework', effect 'notify': 'template' should be text (got the number 7)"
    )


def test_a_role_an_effect_tells_must_be_known() -> None:
    text = edit(
        VALID,
        "params: {roles: [author], template: draft_returned}",
        "params: {roles: [author, reviewr], template: draft_returned}",
    )

    problem = only_problem(text)

    assert problem.line == line_of(text, "roles: [author, reviewr]")
    assert problem.message == (
        "transition 'return_for_rework', effect 'notify': unknown role 'reviewr' in 'roles' "
        "(known roles: executor, reviewer, secretary, author; did you mean 'reviewer'?)"
    )


def test_effects_on_creation_compile_in_their_order() -> None:
    text = edit(
        VALID,
        "initial: drafting\n",
        "initial: drafting\non_create:\n  - notify: {roles: [secretary], template: draft_created}\n  - assign_number\n",
    )

    compiled = load_definition_text(text, PATH, make_catalog())

    assert compiled.create_rows == (
        ("notify", '{"roles": ["secretary"], "template": "draft_created"}'),
        ("assign_number", "{}"),
    )


@pytest.mark.parametrize(
    ("on_create", "at", "message"),
    [
        (
            "on_create: [notfy]",
            "on_create: [notfy]",
            "'on_create', effect 'notfy': unknown effect 'notfy' (known effects: notify, assign_number; "
            "did you mean 'notify'?)",
        ),
        (
            "on_create:\n  - notify: {roles: [nobody], template: t}",
            "roles: [nobody]",
            "'on_create', effect 'notify': unknown role 'nobody' in 'roles' (known roles: executor, reviewer, "
            "secretary, author)",
        ),
        (
            "on_create:\n  - notify: {roles: [author]}",
            "  - notify: {roles: [author]}",
            "'on_create', effect 'notify': missing required parameter 'template'",
        ),
        ("on_create: notify", "on_create: notify", "'on_create' should be a list (got 'notify')"),
    ],
    ids=["unknown effect", "unknown role", "missing parameter", "not a list"],
)
def test_effects_on_creation_are_checked_like_a_transition_s(on_create: str, at: str, message: str) -> None:
    text = edit(VALID, "initial: drafting\n", f"initial: drafting\n{on_create}\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, at)
    assert problem.message == message


def test_an_effect_without_params_refuses_params() -> None:
    text = edit(VALID, "effects: [assign_number]", "effects: [{assign_number: {prefix: R}}]")

    problem = only_problem(text)

    assert problem.line == line_of(text, "assign_number: {prefix: R}")
    assert problem.message == "transition 'adopt', effect 'assign_number': takes no parameters, but got prefix"


# --- the graph ---------------------------------------------------------------------------------------------


def test_the_same_trigger_twice_from_one_state_is_refused() -> None:
    text = edit(VALID, "  - trigger: withdraw\n", "  - trigger: submit\n")  # submit from drafting, twice

    problem = only_problem(text)

    assert problem.line == line_of(text, "from: [drafting, visas]")
    assert problem.message == (
        "transition 'submit' from state 'drafting' is declared twice "
        f"(first at line {line_of(text, 'from: drafting')}): a state may have each trigger only once"
    )


def test_a_state_nobody_can_reach_is_refused() -> None:
    text = edit(
        VALID,
        "    from: [drafting, visas]\n    to: withdrawn\n",
        "    from: [drafting, visas]\n    to: adopted\n",
    )

    problem = only_problem(text)

    assert problem.line == line_of(text, "  withdrawn:")
    assert problem.message == "state 'withdrawn' cannot be reached from the initial state 'drafting'"


def test_a_state_with_no_way_out_must_be_final() -> None:
    text = edit(VALID, "    final: true\n    public: true\n", "    public: true\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "  adopted:")
    assert problem.message == (
        "state 'adopted' is not final, but no transition leads out of it to another state "
        "(add one, or mark the state `final: true`)"
    )


def test_a_state_whose_only_transition_comes_back_to_it_has_no_way_out() -> None:
    text = edit(VALID, "    final: true\n    public: true\n", "    public: true\n")
    text = edit(
        text,
        "transitions:\n",
        "transitions:\n"
        "  - trigger: annotate\n"
        "    title: {uk: Додати примітку, en: Add a note}\n"
        "    from: adopted\n"
        "    to: adopted\n"
        "    roles: [secretary]\n",
    )

    problem = only_problem(text)

    assert problem.line == line_of(text, "  adopted:")
    assert problem.message.startswith("state 'adopted' is not final, but no transition leads out of it")


def test_a_final_state_has_no_way_out() -> None:
    text = edit(VALID, "    from: [drafting, visas]\n", "    from: [drafting, visas, adopted]\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "from: [drafting, visas, adopted]")
    assert problem.message == "transition 'withdraw' leaves final state 'adopted': a final state has no way out"


def test_the_initial_state_cannot_be_final() -> None:
    text = edit(VALID, "initial: drafting\n", "initial: withdrawn\n")

    problems = problems_of(text)

    assert [(p.line, p.message) for p in problems] == [
        (
            line_of(text, "initial: withdrawn"),
            "initial state 'withdrawn' is final: a document would start finished",
        ),
        # and, a final state having no way out, every other state is out of reach
        (
            line_of(text, "  drafting:"),
            "state 'drafting' cannot be reached from the initial state 'withdrawn'",
        ),
        (line_of(text, "  visas:"), "state 'visas' cannot be reached from the initial state 'withdrawn'"),
        (line_of(text, "  adopted:"), "state 'adopted' cannot be reached from the initial state 'withdrawn'"),
    ]


# --- all at once -------------------------------------------------------------------------------------------


def test_every_problem_of_a_file_is_reported_at_once_in_line_order() -> None:
    text = edit(VALID, "version: 1\n", "version: 0\n")
    text = edit(text, "    to: visas\n", "    to: vissas\n")
    text = edit(text, "    guards: [all_visas_given]\n", "    guards: [all_visas]\n")
    text = edit(text, "    comment: required\n", "    coment: required\n")  # this transition is malformed

    problems = problems_of(text)

    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [
        (line_of(text, "version: 0"), "'version' should be greater than or equal to 1"),
        (line_of(text, "to: vissas"), "transition 'submit': unknown state 'vissas' in 'to'"),
        (line_of(text, "coment: required"), "transition 'return_for_rework': unknown key 'coment'"),
        (line_of(text, "guards: [all_visas]"), "transition 'adopt': unknown guard 'all_visas'"),
    ]


# --- a directory -------------------------------------------------------------------------------------------


def test_a_directory_loads_every_yaml_file_by_name(tmp_path: Path) -> None:
    (tmp_path / "decision_draft.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "amendment.yaml").write_text(VALID.replace("kind: decision_draft", "kind: amendment"), "utf-8")
    (tmp_path / "notes.txt").write_text("not a definition", encoding="utf-8")

    loaded = load_directory(tmp_path, make_catalog())

    assert [compiled.kind for compiled in loaded] == ["amendment", "decision_draft"]


def test_problems_of_every_file_in_a_directory_are_reported_together(tmp_path: Path) -> None:
    wrong_kind = VALID.replace("kind: decision_draft", "kind: decision")
    unknown_role = edit(VALID, "    roles: [secretary]\n", "    roles: [clerk]\n").replace(
        "kind: decision_draft", "kind: visa"
    )
    (tmp_path / "decision_draft.yaml").write_text(wrong_kind, encoding="utf-8")
    (tmp_path / "visa.yaml").write_text(unknown_role, encoding="utf-8")

    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path, make_catalog())

    assert [(p.path, p.line) for p in caught.value.problems] == [
        (str(tmp_path / "decision_draft.yaml"), 1),
        (str(tmp_path / "visa.yaml"), line_of(unknown_role, "roles: [clerk]")),
    ]
    assert caught.value.problems[0].message == (
        "kind 'decision' does not match the file name: decision_draft.yaml must hold kind 'decision_draft'"
    )
    assert caught.value.problems[1].message.startswith("transition 'adopt': unknown role 'clerk'")


def test_a_file_that_is_not_utf8_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "decision_draft.yaml").write_bytes(VALID.encode("cp1251"))

    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path, make_catalog())

    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (str(tmp_path / "decision_draft.yaml"), None)
    assert problem.message.startswith("is not UTF-8 text")


def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path / "nowhere", make_catalog())

    assert str(caught.value) == f"{tmp_path / 'nowhere'}: is not a directory of definitions"


# --- deadlines: reminders, escalation, the automatic move at expiry ------------------------------------------
DEADLINE = "    deadline: {days: 5, working: true}\n"


def with_deadline(deadline: str) -> str:
    return edit(VALID, DEADLINE, f"    deadline: {deadline}\n")


def test_a_deadline_with_reminders_escalation_and_an_automatic_move_compiles() -> None:
    text = with_deadline(
        "{days: 5, working: true, remind_before: 2, remind: [reviewer], escalate: [secretary], on_expiry: adopt}"
    )
    text = edit(
        text,
        "    roles: [secretary]\n    guards: [all_visas_given]\n",
        "    roles: [secretary, system]\n    guards: [all_visas_given]\n",
    )
    catalog = make_catalog()
    catalog.global_role("system", "the scheduler")

    deadline = load_definition_text(text, PATH, catalog).state("visas").deadline

    assert deadline is not None
    assert (deadline.remind_before, deadline.remind, deadline.escalate, deadline.on_expiry) == (
        2,
        ("reviewer",),
        ("secretary",),
        "adopt",
    )


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        ("{days: 5, remind_before: 1, remind: [reviewr]}", "state 'visas', deadline 'remind': unknown role 'reviewr'"),
        ("{days: 5, escalate: [nobody]}", "state 'visas', deadline 'escalate': unknown role 'nobody'"),
        (
            "{days: 5, remind_before: 1}",
            "state 'visas', deadline: 'remind_before' is set but 'remind' names nobody to remind",
        ),
        (
            "{days: 5, remind: [reviewer]}",
            "state 'visas', deadline: 'remind' names roles but 'remind_before' does not say when",
        ),
        (
            "{days: 5, remind_before: 5, remind: [reviewer]}",
            "state 'visas', deadline: 'remind_before' (5) must be fewer days than the deadline itself (5)",
        ),
        (
            "{days: 5, on_expiry: submit}",
            "state 'visas', deadline: 'on_expiry' names 'submit', which is no transition out of 'visas'",
        ),
        (
            "{days: 5, on_expiry: adopt}",
            "state 'visas', deadline: 'on_expiry' transition 'adopt' must allow the role 'system', which fires it "
            "when the time is up",
        ),
    ],
)
def test_a_deadline_that_cannot_work_is_refused_at_its_line(deadline: str, message: str) -> None:
    text = with_deadline(deadline)

    problem = only_problem(text)

    assert problem.line == line_of(text, "deadline: {days: 5")
    assert problem.message.startswith(message), problem.message


def test_a_deadline_may_run_until_the_moment_a_field_holds() -> None:
    deadline = load_definition_text(with_deadline("{until: ends_at}"), PATH, make_catalog()).state("visas").deadline

    assert deadline is not None
    assert (deadline.days, deadline.until) == (None, "ends_at")


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (
            "{days: 5, until: ends_at}",
            "state 'visas': 'deadline': a deadline has either 'days' or 'until' (the field holding the due moment), "
            "not both",
        ),
        (
            "{remind_before: 1, remind: [reviewer]}",
            "state 'visas': 'deadline': a deadline needs 'days' or 'until' (the field holding the due moment)",
        ),
        (
            "{until: ends_at, working: true}",
            "state 'visas': 'deadline': 'working' counts days: a deadline 'until' a field's moment takes none",
        ),
    ],
    ids=["both", "neither", "working days until a moment"],
)
def test_a_deadline_has_days_or_a_field_s_moment(deadline: str, message: str) -> None:
    text = with_deadline(deadline)

    problem = only_problem(text)

    assert problem.line == line_of(text, f"deadline: {deadline}")
    assert problem.message == message
