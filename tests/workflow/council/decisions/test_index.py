"""The registry's index follows every change of a decision in the change's own transaction: a decision appears
when the council has voted on it, carries its number once signed, the text of its files once attached, and
leaves the index when it is no longer public; the legal status and the links between decisions; a rebuild."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from tests.workflow.council.decisions.corpus import CORPUS, DAY, Text, decided, reviewed
from tests.workflow.council.decisions.papers import docx_with, pdf_with
from workflow.council.decisions.index import rebuild
from workflow.council.decisions.models import DecisionEntry, DecisionLink
from workflow.council.decisions.search import Query, search
from workflow.council.decisions.status import legal_status
from workflow.council.sittings.models import AgendaItem
from workflow.council.sittings.votes import hold_vote
from workflow.engine import create_document, fire
from workflow.files import DOCX_MEDIA_TYPE, store_file


def found(session, text="", **filters):
    return [hit.document_id for hit in search(session, Query(text=text, **filters)).hits]


def entries(session):
    return session.scalar(select(func.count()).select_from(DecisionEntry))


def test_a_draft_is_not_in_the_registry_until_the_council_votes_on_it(session, world):
    reviewed(world, CORPUS["land"])

    assert entries(session) == 0
    assert found(session, "ділянка") == []


def test_the_vote_the_signature_and_the_number_reach_the_index_in_their_own_transaction(session, world):
    made = decided(world, {"land": CORPUS["land"]}, sign=False)
    land = made["land"]
    entry = session.get(DecisionEntry, land.id)
    assert (entry.status, entry.official_number, entry.decided_on.isoformat()) == ("adopted", None, "2026-03-18")

    fire(session, land, "sign", world.actor(world.mayor, DAY + 1), now=world.at(DAY + 1))

    entry = session.get(DecisionEntry, land.id)
    assert (entry.status, entry.official_number) == ("signed", "№ 1-12-VIII")
    assert found(session, "1-12-VIII") == [land.id]
    assert found(session, "ділянка", status="signed") == [land.id]


def test_a_rejected_draft_is_listed_as_not_adopted(session, world):
    made = decided(world, {"meat": CORPUS["meat"]}, reject=("meat",))

    assert found(session, "м'ясо") == [made["meat"].id]
    assert session.get(DecisionEntry, made["meat"].id).status == "rejected"


def test_a_decision_sent_back_to_drafting_after_a_veto_leaves_the_index(session, world):
    land = decided(world, {"land": CORPUS["land"]}, sign=False)["land"]
    mayor = world.actor(world.mayor, DAY + 1)
    fire(session, land, "veto", mayor, comment="Суперечить генеральному плану", now=world.at(DAY + 1))
    assert found(session, "ділянка", status="vetoed") == [land.id]

    fire(
        session,
        land,
        "revise_after_veto",
        world.actor(world.staff, DAY + 2),
        comment="Доопрацюємо",
        now=world.at(DAY + 2),
    )

    assert session.get(DecisionEntry, land.id) is None
    assert found(session, "ділянка") == []


def test_the_text_of_attached_word_and_pdf_files_is_searched(session, world):
    land = decided(world, {"land": CORPUS["land"]})["land"]
    at = world.at(DAY + 2)
    store_file(session, land, "annex", docx_with("Схема розташування сквериків"), key="t:annex", now=at)
    store_file(
        session,
        land,
        "plan",
        pdf_with("Кадастровий план з координатами поворотних точок"),
        key="t:plan",
        now=at,
        filename="plan.pdf",
        media_type="application/pdf",
    )
    store_file(session, land, "broken", b"%PDF-1.4 not really", key="t:broken", now=at, filename="b.pdf")

    assert found(session, "скверики") == [land.id]
    assert found(session, "кадастрового плану") == [land.id]
    (hit,) = search(session, Query(text="координати")).hits
    assert hit.snippet_from == "files"
    assert [part.text for part in hit.snippet if part.found] == ["координатами"]
    assert found(session, "ділянка") == [land.id]  # a file that cannot be read takes nothing away
    assert DOCX_MEDIA_TYPE  # the Word file went in with the default type


def test_a_later_decision_that_amends_or_repeals_an_earlier_one_links_both_ways(session, world):
    earlier = decided(world, {"land": CORPUS["land"], "meat": CORPUS["meat"]})
    land, meat = earlier["land"], earlier["meat"]
    later = decided(
        world,
        {
            "amending": Text("Про внесення змін до рішення про дозвіл", "Змінити площу на 0,12 га."),
            "repealing": Text("Про скасування правил торгівлі", "Скасувати рішення."),
        },
        fields={"amending": {"amends": [land.id]}, "repealing": {"repeals": [meat.id]}},
        number=13,
        day=DAY + 7,
        sign=False,
    )
    # adopted, not signed yet: they would change the earlier ones, but do not yet
    assert legal_status(session, land).amended_by == ()
    assert [link.document_id for link in legal_status(session, land).changed_by] == [later["amending"].id]

    for draft in later.values():
        fire(session, draft, "sign", world.actor(world.mayor, DAY + 8), now=world.at(DAY + 8))

    assert [link.document_id for link in legal_status(session, land).amended_by] == [later["amending"].id]
    assert [link.document_id for link in legal_status(session, meat).repealed_by] == [later["repealing"].id]
    (changes,) = legal_status(session, later["repealing"]).changes
    assert (changes.document_id, changes.how, changes.official_number) == (meat.id, "repeals", "№ 2-12-VIII")
    assert found(session, effect="repeals") == [later["repealing"].id]


def test_the_status_tells_a_veto_and_its_override(session, world):
    land = decided(world, {"land": CORPUS["land"]}, sign=False)["land"]
    fire(session, land, "veto", world.actor(world.mayor, DAY + 1), comment="Не погоджуюся", now=world.at(DAY + 1))
    plenary = world.planned_session(number=13, days=DAY + 7)
    item = create_document(
        session,
        "agenda_item",
        world.actor(world.secretary, 5),
        parent=plenary,
        title="Про подолання вето",
        now=world.at(5),
    )
    session.add(AgendaItem(document_id=item.id, session_id=plenary.id, position=1))
    session.flush()
    world.open(plenary, days=DAY + 7)
    hold_vote(
        session,
        plenary,
        world.actor(world.secretary, DAY + 7),
        purpose="veto_override",
        subject=land,
        threshold="two_thirds",
        question="Про подолання вето",
        ballots=world.ballots(for_=9),
        now=world.at(DAY + 7),
    )

    fire(session, land, "override_veto", world.actor(world.secretary, DAY + 7), now=world.at(DAY + 7))

    status = legal_status(session, land)
    assert status.state == "signed"
    assert status.veto_overridden
    assert set(status.moments) >= {"adopted", "vetoed", "veto_overridden"}
    assert session.get(DecisionEntry, land.id).official_number == "№ 1-12-VIII"


def test_a_rebuild_makes_the_index_anew_from_the_decisions(session, world):
    made = decided(world, {"land": CORPUS["land"], "meat": CORPUS["meat"]})
    session.execute(delete(DecisionLink))
    session.execute(delete(DecisionEntry))
    assert found(session, "ділянка") == []

    assert rebuild(session) == 2

    assert found(session, "ділянка") == [made["land"].id]
    assert entries(session) == 2
