"""The front page: the kinds of documents the council handles, each linked to its machine."""

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


def test_the_front_page_lists_every_shipped_definition_with_its_ukrainian_title(client):
    response = client.get("/")

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


def test_every_definition_linked_from_the_front_page_opens(client):
    for kind, definition in SHIPPED.items():
        response = client.get(f"/definitions/{kind}")
        assert response.status_code == 200, kind
        assert f"<h1>{definition['title']['uk']} <small>версія {definition['version']}</small></h1>" in (
            response.get_data(as_text=True)
        )
