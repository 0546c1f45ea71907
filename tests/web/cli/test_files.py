"""`radaflow files`: the operator lists a document's rendered files, saves one version to disk, and renders a
document again by hand — a new version each time, the old ones kept; a wrong document or template is refused
with the reason, a non-zero exit, and nothing stored or written."""

from __future__ import annotations

import hashlib
import re

import docx
import pytest

from tests.conftest import build_world
from workflow.council.sittings import sessions


@pytest.fixture
def agenda_session(radaflow, database_url, council) -> tuple[int, str]:
    """A migrated database with session № 12 planned and one draft on its agenda; (session id, draft title)."""
    radaflow.use_database(database_url)
    assert radaflow("db", "upgrade").exit_code == 0
    with council(database_url).sessions.begin() as session:
        world = build_world(session)
        draft = world.reviewed_draft("Про ремонт даху ліцею № 2")
        plenary = world.planned_session(number=12, days=16)
        sessions.add_to_agenda(
            session, plenary, world.actor(world.secretary, 5), draft, reporter=world.staff, now=world.at(5)
        )
        return plenary.id, draft.title


def test_files_render_adds_versions_that_list_shows_and_get_writes_out(radaflow, agenda_session, tmp_path):
    plenary_id, title = agenda_session

    first = radaflow("files", "render", str(plenary_id), "agenda")
    second = radaflow("files", "render", str(plenary_id), "agenda")

    assert first.exit_code == 0, first.output
    assert first.output.startswith(f"rendered agenda version 1 of document {plenary_id} (")
    assert second.output.startswith(f"rendered agenda version 2 of document {plenary_id} (")
    listed = radaflow("files", "list", str(plenary_id))
    assert listed.exit_code == 0, listed.output
    rows = [line.split() for line in listed.output.splitlines()[:-1]]
    assert [row[:2] for row in rows] == [["agenda", "v1"], ["agenda", "v2"]]
    assert listed.output.splitlines()[-1] == f"2 file(s) of document {plenary_id}"

    output = tmp_path / "agenda-v1.docx"
    got = radaflow("files", "get", str(plenary_id), "agenda", "--version", "1", "-o", str(output))
    assert got.exit_code == 0, got.output
    content = output.read_bytes()
    sha256 = hashlib.sha256(content).hexdigest()
    assert got.output.strip() == f"wrote {output}: agenda version 1, {len(content)} bytes, sha256 {sha256}"
    assert rows[0][2] == str(len(content))
    assert rows[0][4] == sha256
    paper = docx.Document(str(output))
    assert "ПОРЯДОК ДЕННИЙ" in "\n".join(p.text for p in paper.paragraphs)
    assert [cell.text for cell in paper.tables[0].rows[1].cells] == ["1", title, "Оксана Мельник"]


def test_files_refuses_an_unknown_document_or_template_and_stores_or_writes_nothing(radaflow, agenda_session, tmp_path):
    plenary_id, _title = agenda_session
    output = tmp_path / "out.docx"

    unknown_template = radaflow("files", "render", str(plenary_id), "minutes")
    wrong_kind = radaflow("files", "render", str(plenary_id), "protocol")
    no_document = radaflow("files", "render", "999999", "agenda")
    no_file = radaflow("files", "get", str(plenary_id), "agenda", "-o", str(output))
    no_listing = radaflow("files", "list", "999999")

    assert unknown_template.exit_code == 1
    assert "unknown template 'minutes': one of decision, agenda, protocol" in unknown_template.output
    assert wrong_kind.exit_code == 1
    assert re.search(
        r"the protocol template is rendered for a session_protocol document; document \d+ is a "
        r"session",
        wrong_kind.output,
    )
    assert no_document.exit_code == 1
    assert "there is no document 999999" in no_document.output
    assert no_file.exit_code == 1
    assert f"document {plenary_id} has no file agenda" in no_file.output
    assert not output.exists()
    assert no_listing.exit_code == 1
    assert "there is no document 999999" in no_listing.output
    assert radaflow("files", "list", str(plenary_id)).output.strip() == f"0 file(s) of document {plenary_id}"


@pytest.mark.parametrize("document_id", ["2147483648", "99999999999999999999", "0", "seven"])
def test_files_refuse_an_id_no_document_can_have_with_an_error_line_not_a_traceback(
    radaflow, agenda_session, tmp_path, document_id
):
    output = tmp_path / "out.docx"

    results = [
        radaflow("files", "list", document_id),
        radaflow("files", "get", document_id, "agenda", "-o", str(output)),
        radaflow("files", "render", "--", document_id, "agenda"),
    ]

    for result in results:
        assert result.exit_code == 2, result.output
        assert "Error: Invalid value for 'DOCUMENT_ID':" in result.output
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not output.exists()


def test_retrying_an_effect_or_e_mail_id_out_of_range_is_refused_with_an_error_line(radaflow, agenda_session):
    for group in ("effects", "mail"):
        result = radaflow(group, "retry", "99999999999999999999")

        assert result.exit_code == 2
        assert "there is no" in result.output
        assert "ids run from 1 to 2147483647" in result.output
        assert "Traceback" not in result.output
