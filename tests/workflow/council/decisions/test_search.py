"""The registry's search on both databases: Ukrainian word forms found by their lemmas, apostrophes and case as
one, every word needed, filters, order, pages; whatever a reader types is a normal answer."""

from __future__ import annotations

import pytest

from tests.workflow.council.decisions.corpus import CORPUS, decided
from workflow.council.decisions.search import Query, search


def found(session, text, **filters):
    return [hit.document_id for hit in search(session, Query(text=text, **filters)).hits]


@pytest.fixture
def corpus(world):
    return decided(world, CORPUS)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("рішенням", "school"),
        ("РІШЕННЯ", "school"),
        ("рішення", "school"),
        ("земельних ділянок", "land"),
        ("земельна ділянка", "land"),
        ("ЗЕМЕЛЬНОЮ ДІЛЯНКОЮ", "land"),
        ("м'ясо", "meat"),
        ("м’ясо", "meat"),
        ("мʼясо", "meat"),
        ("об'єкт", "meat"),
        ("бюджетом громади", "budget"),
        ("ліцеї", "budget"),
    ],
)
def test_a_word_in_another_form_finds_the_decision(session, corpus, query, key):
    assert found(session, query) == [corpus[key].id]
