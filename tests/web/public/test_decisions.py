"""The public registry of decisions and a decision's page, as a citizen uses them (signed out): search by word
forms, filters, order, pages, snippets escaped; the page's number, date, text, files with SHA-256 and legal status;
nothing that is not public, and any input a normal answer."""

from __future__ import annotations

import re

import pytest

from tests.web.site import text_of
from tests.workflow.council.decisions.corpus import CORPUS, decided


def results_of(page: str) -> list[str]:
    """The titles of the results, in order, as text."""
    return [text_of(found) for found in re.findall(r"<h2><a href=\"/decisions/\d+\">(.*?)</a></h2>", page)]


@pytest.fixture
def council(site):
    made = decided(site.world, CORPUS)
    site.commit()
    return made


def test_a_citizen_finds_a_decision_by_a_word_form_not_in_its_title(site, council):
    page = site.client().get("/decisions?q=земельних+ділянок")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert results_of(html) == [CORPUS["land"].title]
    assert "Знайдено 1 рішення" in text_of(html)
    assert "<mark>земельної</mark> <mark>ділянки</mark>" in html
    assert "<title>Рішення ради: пошук «земельних ділянок» — Radaflow</title>" in html
