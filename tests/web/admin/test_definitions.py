"""The kinds of documents (`/definitions`, moved from the front page, which is the citizens' now) and a
definition's page: its states, transitions, deadlines and diagram, in Ukrainian."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.web.pages import SHIPPED, tables
from web import create_app


@pytest.fixture
def client(clean_environment: None, database_file: str, tmp_path: Path) -> Iterator[FlaskClient]:
    app = create_app({"database_url": database_file, "instance_dir": tmp_path / "instance", "TESTING": True})
    yield app.test_client()
    app.extensions["radaflow"].engine.dispose()


def test_a_definition_page_shows_its_states(client):
    page = client.get("/definitions/decision_draft").get_data(as_text=True)

    states, _ = tables(page)
    header, *rows = states
    assert header == ["Стан", "Публічний", "Кінцевий", "Редагують", "Строк"]
    assert [row[0] for row in rows] == [
        f"{state['title']['uk']} {name}" + (" — початковий" if name == "drafting" else "")
        for name, state in SHIPPED["decision_draft"]["states"].items()
    ]
    by_name = dict(zip(SHIPPED["decision_draft"]["states"], rows, strict=True))
    assert by_name["drafting"][1:] == ["ні", "ні", "author", "—"]
    assert by_name["visas"][1:] == ["ні", "ні", "—", "5 робочих дн."]
    # the mayor's five days, then the decision stands signed by law
    assert by_name["adopted"][1:] == ["так", "ні", "—", "5 дн., потім veto_period_ends"]
    assert by_name["in_force"][1:] == ["так", "так", "—", "—"]
    assert '<tr class="initial">' in page


def test_a_deadline_until_a_field_s_moment_is_shown_as_such(client):
    page = client.get("/definitions/delegation").get_data(as_text=True)

    states, _ = tables(page)
    _header, active, *_ = states
    assert active[-1] == "до моменту в полі ends_at, потім expire"


def test_a_definition_page_shows_its_transitions_with_titles_and_roles(client):
    page = client.get("/definitions/decision_draft").get_data(as_text=True)

    _, transitions = tables(page)
    header, *rows = transitions
    assert header == ["Дія", "Зі стану", "До стану", "Хто", "Умови", "Наслідки"]
    assert len(rows) == len(SHIPPED["decision_draft"]["transitions"])
    assert rows[0] == [
        "Подати на візування submit",
        "Підготовка",
        "На візуванні",
        "author",
        "has_text",
        "notify",
    ]
    (postpone,) = [row for row in rows if " postpone " in f"{row[0]} "]
    assert postpone == [
        "Перенести розгляд postpone (з коментарем)",
        "У порядку денному",
        "Розгляд перенесено",
        "secretary",
        "—",
        "notify",
    ]
    (sign,) = [row for row in rows if row[0].endswith(" sign")]
    assert sign[3:] == ["mayor", "—", "assign_number, render_docx, notify"]
    (returning,) = [row for row in rows if "return_for_revision" in row[0]]
    assert returning[1].split(", ") == [
        "На візуванні",
        "Громадське обговорення",
        "Розгляд у комісіях",
        "У порядку денному",
        "Розгляд перенесено",
    ]
    assert returning[3] == "secretary, system"


def test_a_definition_page_carries_its_mermaid_diagram_in_ukrainian(client):
    page = client.get("/definitions/decision_draft").get_data(as_text=True)

    assert "stateDiagram-v2" in page
    assert "drafting --&gt; visas : submit" in page
    assert "state &#34;Підготовка&#34; as drafting" in page


def test_an_unknown_kind_is_not_found(client):
    response = client.get("/definitions/resolution")

    assert response.status_code == 404


def test_the_kinds_page_lists_every_shipped_definition_with_its_ukrainian_title(client):
    response = client.get("/definitions")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<html lang="uk">' in page
    assert "<h1>Види документів</h1>" in page
    (listing,) = tables(page)
    header, *rows = listing
    assert header == ["Вид", "Версія", "Станів", "Дій"]
    assert sorted(rows) == sorted(
        [
            f"{d['title']['uk']} ({d['title']['en']})",
            str(d["version"]),
            str(len(d["states"])),
            str(len(d["transitions"])),
        ]
        for d in SHIPPED.values()
    )
    for kind, definition in SHIPPED.items():
        assert f'<a href="/definitions/{kind}">{definition["title"]["uk"]}</a>' in page


def test_every_definition_linked_from_the_kinds_page_opens(client):
    for kind, definition in SHIPPED.items():
        response = client.get(f"/definitions/{kind}")
        assert response.status_code == 200, kind
        assert f"<h1>{definition['title']['uk']} <small>версія {definition['version']}</small></h1>" in (
            response.get_data(as_text=True)
        )
