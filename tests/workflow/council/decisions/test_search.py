"""The registry's search on both databases: Ukrainian word forms found by their lemmas, apostrophes and case as
one, every word needed, filters, order, pages; whatever a reader types is a normal answer."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.council.decisions.corpus import CORPUS, DAY, Text, decided
from workflow.council.decisions import search as registry
from workflow.council.decisions.search import MOST_WORDS, Query, search

#: a query, and the corpus's decision it finds (by a form of its words that is not the one written)
FORMS = [
    ("рішенням", "school"),
    ("РІШЕННЯ", "school"),
    ("Рішення", "school"),
    ("земельних ділянок", "land"),
    ("земельна ділянка", "land"),
    ("ЗЕМЕЛЬНОЮ ДІЛЯНКОЮ", "land"),
    ("м'ясо", "meat"),
    ("м’ясо", "meat"),
    ("мʼясо", "meat"),
    ("М`ЯСНИЙ", "meat"),
    ("об'єкт", "meat"),
    ("бюджетом громади", "budget"),
    ("ліцеї", "budget"),
    ("вулиці", "school"),
]


def found(session, text="", **filters):
    return [hit.document_id for hit in search(session, Query(text=text, **filters)).hits]


@pytest.fixture
def corpus(world):
    return decided(world, CORPUS)


def test_every_form_of_a_word_finds_the_decision_that_has_another(session, corpus):
    for query, key in FORMS:
        assert found(session, query) == [corpus[key].id], query


def test_every_word_of_the_query_must_be_found_in_one_decision(session, corpus):
    assert found(session, "земельна бюджет") == []
    assert found(session, "ремонту даху") == [corpus["budget"].id]


def test_the_words_found_are_marked_in_the_title_and_a_passage_of_the_text(session, corpus):
    (hit,) = search(session, Query(text="ділянками")).hits

    assert [part.text for part in hit.snippet if part.found] == ["ділянки", "ділянка"]
    assert hit.snippet_from == "body"
    assert not any(part.found for part in hit.title)
    (titled,) = search(session, Query(text="бюджетові")).hits
    assert [part.text for part in titled.title if part.found] == ["бюджету"]


#: what a reader may type that means something to a database's search syntax, or nothing at all; and whether it
#: finds the decision on a land plot (its words are all there: NEAR, AND, title are words like any other)
HOSTILE = [
    ('"', False),
    ("'", False),
    ("%", False),
    ("_", False),
    ("*", False),
    ("-", False),
    ("''", False),
    ('"земельна', True),
    ("земельна\"'", True),
    ("%ділянка%", True),
    ("_ділянка_", True),
    ("ділянка*", True),
    ("-ділянка", True),
    ("NEAR", False),
    ("NEAR(земельна ділянка)", False),
    ("земельна NEAR ділянка", False),
    ("земельна AND OR NOT ділянка", False),
    ("title:ділянка", False),
    ("{title body}: ділянка", False),
    ("^ділянка", True),
    ("ділянка:*", True),
    ("ділянка & !земельна | (", True),
    ("' OR 1=1 --", False),
    ("\x00ділянка", True),
    ("ділянка\x00", True),
    ("🙂 ділянка", True),
    ("(((", False),
    (")", False),
    ("\\", False),
    ("ділянка " * 5000, True),
    ("я" * 10_000, False),
    ("а " * 5000, False),
]


def test_any_input_is_a_normal_answer_and_its_words_are_only_words(session, corpus):
    land = corpus["land"].id
    for text, finds_land in HOSTILE:
        results = search(session, Query(text=text))
        assert results.total == len(results.hits), repr(text[:40])
        if results.searched:
            assert [hit.document_id for hit in results.hits] == ([land] if finds_land else []), repr(text[:40])
        else:  # no word at all: every decision, the newest first
            assert results.total == len(CORPUS), repr(text[:40])


def test_a_query_s_words_beyond_the_most_searched_are_said_to_be_ignored(session, corpus):
    words = " ".join(f"слово{i}" for i in range(MOST_WORDS + 5))

    results = search(session, Query(text=words))

    assert len(results.searched) == MOST_WORDS
    assert results.ignored == 5
    assert results.total == 0


def test_filters_by_status_session_date_committee_initiator_and_kind(session, world):
    first = decided(world, {"land": CORPUS["land"], "meat": CORPUS["meat"]}, reject=("meat",), number=12)
    later = decided(
        world,
        {"budget": CORPUS["budget"]},
        number=13,
        day=DAY + 7,
        fields={"budget": {"amends": [first["land"].id]}},
    )
    land, meat, budget = first["land"].id, first["meat"].id, later["budget"].id

    assert found(session, status="rejected") == [meat]
    assert found(session, status="signed") == [budget, land]
    assert sorted(found(session, date_to=date(2026, 3, 18))) == sorted([land, meat])
    assert found(session, date_from=date(2026, 3, 19)) == [budget]
    assert found(session, date_from=date(2026, 3, 26)) == []
    assert found(session, committee_id=world.budget.id) == [budget, meat, land]
    assert found(session, committee_id=world.education.id) == []
    assert found(session, initiator_id=world.staff.id) == [budget, meat, land]
    assert found(session, initiator_id=world.mayor.id) == []
    assert found(session, effect="amends") == [budget]
    assert found(session, effect="new") == [meat, land]
    assert found(session, effect="repeals") == []
    assert set(found(session, session_id=_session_of(session, land))) == {land, meat}
    assert found(session, session_id=_session_of(session, budget)) == [budget]
    assert found(session, "ділянка", status="rejected") == []


def _session_of(session, document_id):
    from workflow.council.decisions.models import DecisionEntry

    return session.get(DecisionEntry, document_id).session_id


def test_sorted_by_relevance_the_title_counts_more_than_the_text_by_date_the_newest_first(session, world):
    in_title = decided(world, {"in_title": Text("Про ділянку під сквер", "Відвести територію під сквер.")})
    later = {"in_text": Text("Про благоустрій", "Відремонтувати ділянку дороги біля ринку.")}
    made = {**in_title, **decided(world, later, number=13, day=DAY + 7)}

    assert found(session, "ділянка") == [made["in_title"].id, made["in_text"].id]
    assert found(session, "ділянка", sort="date") == [made["in_text"].id, made["in_title"].id]


def test_pages_of_results_with_the_count(session, world, monkeypatch):
    monkeypatch.setattr(registry, "PER_PAGE", 2)
    decided(world, {key: CORPUS[key] for key in ("land", "budget", "meat")})

    first, second = search(session, Query(page=1)), search(session, Query(page=2))
    beyond = search(session, Query(page=99))

    assert (first.total, first.pages, len(first.hits)) == (3, 2, 2)
    assert (second.page, len(second.hits)) == (2, 1)
    assert {hit.document_id for hit in first.hits}.isdisjoint(hit.document_id for hit in second.hits)
    assert (beyond.page, [h.document_id for h in beyond.hits]) == (2, [h.document_id for h in second.hits])
