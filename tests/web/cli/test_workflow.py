"""`radaflow workflow`, as an operator runs it: checking and drawing the definitions, and moving documents to a
new definition version."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.web.cli.shipped import SHIPPED_KINDS, broken_copy, line_of


# --- radaflow workflow check -------------------------------------------------------------------------------
def test_workflow_check_lists_every_shipped_definition(radaflow):
    result = radaflow("workflow", "check")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[1] for line in lines] == SHIPPED_KINDS
    assert "ok  decision_draft v2: 14 states, 17 transitions" in lines
    assert "ok  committee_conclusion v2: 4 states, 4 transitions" in lines


def test_workflow_check_names_the_file_and_line_of_an_unknown_state(radaflow, tmp_path):
    directory = broken_copy(tmp_path)
    draft = directory / "decision_draft.yaml"
    # the first `to: visas` is the submit transition's
    draft.write_text(
        draft.read_text(encoding="utf-8").replace("    to: visas\n", "    to: nowhere\n", 1), encoding="utf-8"
    )
    line = line_of(draft, "to: nowhere")

    result = radaflow("workflow", "check", "--dir", str(directory))

    assert result.exit_code == 1
    assert f"{draft}:{line}: transition 'submit': unknown state 'nowhere' in 'to'" in result.stderr
    assert f"1 problem(s) in {directory}" in result.stderr
    assert result.stdout == "", "nothing is reported as ok when any file is refused"


def test_workflow_check_names_the_file_and_line_of_a_yaml_syntax_error(radaflow, tmp_path):
    directory = broken_copy(tmp_path)
    visa = directory / "visa.yaml"
    visa.write_text(visa.read_text(encoding="utf-8").replace("version: 1\n", "version: 1: 2\n"), encoding="utf-8")
    line = line_of(visa, "version: 1: 2")

    result = radaflow("workflow", "check", "--dir", str(directory))

    assert result.exit_code == 1
    assert f"{visa}:{line}: invalid YAML: mapping values are not allowed here" in result.stderr
    assert "Traceback" not in result.output


def test_workflow_check_refuses_a_definition_nested_500_levels_deep_at_its_line_without_a_traceback(radaflow, tmp_path):
    directory = broken_copy(tmp_path)
    visa = directory / "visa.yaml"
    nested = "[" * 500 + "]" * 500  # a kilobyte
    visa.write_text(
        visa.read_text(encoding="utf-8").replace("version: 1\n", f"version: 1\nx: {nested}\n"), encoding="utf-8"
    )

    result = radaflow("workflow", "check", "--dir", str(directory))

    assert result.exit_code == 1
    assert (
        f"{visa}:{line_of(visa, 'x: [[[')}: invalid YAML: collections are nested more than 40 levels deep"
        in result.stderr
    )
    assert "Traceback" not in result.output
    assert "RecursionError" not in result.output


def test_workflow_check_reports_every_broken_file_at_once(radaflow, tmp_path):
    directory = broken_copy(tmp_path)
    draft, visa = directory / "decision_draft.yaml", directory / "visa.yaml"
    draft.write_text(
        draft.read_text(encoding="utf-8").replace("    to: visas\n", "    to: nowhere\n", 1), encoding="utf-8"
    )
    visa.write_text(visa.read_text(encoding="utf-8").replace("version: 1\n", "version: 1: 2\n"), encoding="utf-8")

    result = radaflow("workflow", "check", "--dir", str(directory))

    assert result.exit_code == 1
    assert f"{draft}:{line_of(draft, 'to: nowhere')}: " in result.stderr
    assert f"{visa}:{line_of(visa, 'version: 1: 2')}: " in result.stderr
    assert f"2 problem(s) in {directory}" in result.stderr


def test_workflow_check_refuses_a_directory_without_definitions(radaflow, tmp_path):
    result = radaflow("workflow", "check", "--dir", str(tmp_path))

    assert result.exit_code == 1
    assert f"no definitions (*.yaml) in {tmp_path}" in result.stderr


# --- radaflow workflow graph -------------------------------------------------------------------------------
def test_workflow_graph_prints_mermaid_by_default(radaflow):
    result = radaflow("workflow", "graph", "decision_draft")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert '    state "Підготовка" as drafting' in lines
    assert "    [*] --> drafting" in lines
    assert "    drafting --> visas : submit" in lines
    assert "    in_force --> [*]" in lines
    assert "class visas current" not in result.stdout


def test_workflow_graph_in_english(radaflow):
    result = radaflow("workflow", "graph", "decision_draft", "--lang", "en")

    assert result.exit_code == 0, result.output
    assert '    state "Drafting" as drafting' in result.stdout.splitlines()


def test_workflow_graph_prints_graphviz_dot(radaflow):
    result = radaflow("workflow", "graph", "decision_draft", "--format", "dot")

    assert result.exit_code == 0, result.output
    lines = result.stdout.rstrip("\n").splitlines()
    assert lines[0] == 'digraph "decision_draft" {'
    assert lines[-1] == "}"
    assert '    "drafting" -> "visas" [label="submit"];' in lines
    assert "filled" not in result.stdout


def test_workflow_graph_marks_a_state_in_both_formats(radaflow):
    mermaid = radaflow("workflow", "graph", "decision_draft", "--mark", "visas")
    dot = radaflow("workflow", "graph", "decision_draft", "--format", "dot", "--mark", "visas")

    assert mermaid.exit_code == 0, mermaid.output
    assert "    class visas current" in mermaid.stdout.splitlines()
    assert dot.exit_code == 0, dot.output
    (marked,) = [line for line in dot.stdout.splitlines() if "filled" in line]
    assert marked.startswith('    "visas" [label="На візуванні"')


def test_workflow_graph_of_an_unknown_kind_says_which_kinds_exist(radaflow):
    result = radaflow("workflow", "graph", "resolution")

    assert result.exit_code == 2
    assert "Invalid value for KIND: no definition 'resolution'; known: " + ", ".join(SHIPPED_KINDS) in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_workflow_graph_refuses_to_mark_an_unknown_state(radaflow):
    result = radaflow("workflow", "graph", "decision_draft", "--mark", "archived")

    assert result.exit_code == 2
    assert "Invalid value for --mark: cannot mark 'archived': decision_draft has no such state" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_workflow_graph_of_a_broken_directory_names_the_problem(radaflow, tmp_path):
    directory = broken_copy(tmp_path)
    visa = directory / "visa.yaml"
    visa.write_text(visa.read_text(encoding="utf-8").replace("version: 1\n", "version: 1: 2\n"), encoding="utf-8")

    result = radaflow("workflow", "graph", "decision_draft", "--dir", str(directory))

    assert result.exit_code == 1
    assert f"{visa}:{line_of(visa, 'version: 1: 2')}: invalid YAML" in result.stderr
    assert "Traceback" not in result.output


# --- radaflow workflow migrate -----------------------------------------------------------------------------
def version_3_with_visas_renamed(tmp_path: Path, new_name: str) -> Path:
    """definitions/ where decision_draft is at version 3 and its state `visas` is called `new_name`."""
    directory = broken_copy(tmp_path)
    path = directory / "decision_draft.yaml"
    definition = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert definition["version"] == 2, "the scenarios start from decision_draft version 2, the shipped one"
    definition["version"] = 3
    definition["states"] = {new_name if n == "visas" else n: s for n, s in definition["states"].items()}

    def rename(states: str | list[str]) -> str | list[str]:
        if isinstance(states, str):
            return new_name if states == "visas" else states
        return [new_name if s == "visas" else s for s in states]

    for transition in definition["transitions"]:
        transition["from"], transition["to"] = rename(transition["from"]), rename(transition["to"])
    path.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return directory


@pytest.fixture
def drafts_on_version_2(radaflow, database_url, council):
    """Three draft decisions on version 2: two submitted for visas, one still being drafted."""
    radaflow.use_database(database_url)
    assert radaflow("db", "upgrade").exit_code == 0
    rada = council(database_url)
    author = rada.author()
    for title, submitted in [
        ("Про ремонт шкільного стадіону", True),
        ("Про затвердження програми благоустрою", False),
        ("Про встановлення тарифів на воду", True),
    ]:
        rada.draft(author, title, submitted=submitted)
    assert [(version, state) for _, version, state, _ in rada.documents()] == [
        (2, "visas"),
        (2, "drafting"),
        (2, "visas"),
    ]
    return rada


def test_workflow_migrate_moves_every_document_to_the_new_version_renaming_states(
    radaflow, drafts_on_version_2, tmp_path
):
    before = drafts_on_version_2.documents()
    radaflow.use_definitions(version_3_with_visas_renamed(tmp_path, "awaiting_visas"))

    result = radaflow(
        "workflow", "migrate", "decision_draft", "--from", "2", "--to", "3", "--map", "visas=awaiting_visas"
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "     1  drafting -> drafting",
        "     2  visas -> awaiting_visas",
        "3 decision_draft document(s) moved from version 2 to 3",
    ]
    after = drafts_on_version_2.documents()
    assert [(id_, version, state) for id_, version, state, _ in after] == [
        (before[0][0], 3, "awaiting_visas"),
        (before[1][0], 3, "drafting"),
        (before[2][0], 3, "awaiting_visas"),
    ]
    assert [number for *_, number in after] == [number + 1 for *_, number in before]
    *_, migrated = drafts_on_version_2.audit_entries(before[0][0])
    assert (migrated.trigger, migrated.from_state, migrated.to_state, migrated.actor_id) == (
        "migrate",
        "visas",
        "awaiting_visas",
        None,
    )
    assert migrated.data == {"from_version": 2, "to_version": 3}

    verified = radaflow("audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "ok: 8 audit entries of 3 document(s)" in verified.stdout


def test_workflow_migrate_refuses_the_same_version_and_changes_nothing(radaflow, drafts_on_version_2):
    before = drafts_on_version_2.documents()

    result = radaflow("workflow", "migrate", "decision_draft", "--from", "2", "--to", "2")

    assert result.exit_code == 1
    assert "Error: the versions to migrate from and to are the same" in result.stderr
    assert drafts_on_version_2.documents() == before


@pytest.mark.parametrize("mapping", ["visas", "=awaiting_visas", "visas= ", "visas:awaiting_visas"])
def test_workflow_migrate_refuses_a_badly_written_map_and_changes_nothing(
    radaflow, drafts_on_version_2, tmp_path, mapping
):
    before = drafts_on_version_2.documents()
    radaflow.use_definitions(version_3_with_visas_renamed(tmp_path, "awaiting_visas"))

    result = radaflow("workflow", "migrate", "decision_draft", "--from", "2", "--to", "3", "--map", mapping)

    assert result.exit_code == 2
    assert f"Invalid value for --map: {mapping!r}: write it as old_state=new_state" in result.stderr
    assert "Traceback" not in result.output
    assert drafts_on_version_2.documents() == before


def test_workflow_migrate_refuses_to_leave_documents_in_a_state_the_new_version_lacks(
    radaflow, drafts_on_version_2, tmp_path
):
    before = drafts_on_version_2.documents()
    radaflow.use_definitions(version_3_with_visas_renamed(tmp_path, "awaiting_visas"))

    result = radaflow("workflow", "migrate", "decision_draft", "--from", "2", "--to", "3")

    assert result.exit_code == 1
    assert (
        "Error: decision_draft version 3 has no state for: 'visas' (2 documents); map them with old=new"
    ) in result.stderr
    assert drafts_on_version_2.documents() == before


def test_workflow_migrate_refuses_a_map_naming_unknown_states_and_changes_nothing(
    radaflow, drafts_on_version_2, tmp_path
):
    before = drafts_on_version_2.documents()
    radaflow.use_definitions(version_3_with_visas_renamed(tmp_path, "awaiting_visas"))

    result = radaflow(
        "workflow",
        "migrate",
        "decision_draft",
        "--from",
        "2",
        "--to",
        "3",
        "--map",
        "visa=awaiting_visas",
        "--map",
        "drafting=draft",
    )

    assert result.exit_code == 1
    assert (
        "Error: decision_draft version 2 has no state 'visa'; decision_draft version 3 has no state 'draft'"
    ) in result.stderr
    assert drafts_on_version_2.documents() == before


def test_workflow_migrate_to_a_version_never_loaded_says_so(radaflow, drafts_on_version_2):
    before = drafts_on_version_2.documents()

    result = radaflow("workflow", "migrate", "decision_draft", "--from", "2", "--to", "3")

    assert result.exit_code == 1
    assert "Error: version 3 of 'decision_draft' was never stored" in result.stderr
    assert drafts_on_version_2.documents() == before


def test_the_command_line_speaks_ukrainian_when_asked(radaflow, monkeypatch):
    assert radaflow("db", "upgrade").exit_code == 0
    monkeypatch.setenv("RADAFLOW_LANG", "uk")

    verified = radaflow("audit", "verify")
    refused = radaflow("workflow", "migrate", "decision_draft", "--from", "2", "--to", "2")

    assert verified.stdout == "гаразд: записів журналу — 0, документів — 0; усе узгоджено\n"
    assert (refused.exit_code, refused.stderr) == (1, "Error: версії, з якої і на яку переносять, однакові\n")
