"""The secretary builds the agenda before the sitting: the drafts that may go on it and the engine's reasons for
those that may not yet, standing items, taking items off, and the order of consideration, which is recorded under
the session's chain. Every refusal leaves everything as it was."""

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from tests.workflow.council.sittings.test_records import as_owner
from workflow.council.drafts import drafts
from workflow.council.sittings import agenda as building
from workflow.council.sittings import sessions
from workflow.council.sittings.models import AgendaItem, AgendaOrder
from workflow.engine import fire
from workflow.engine.audit import RECORD, verify_log
from workflow.engine.models import AuditEntry
from workflow.errors import Conflict, InvalidInput, NotAllowed, WrongState
from workflow.i18n import render

ORDERS = AgendaOrder.__table__


def _titles(session, plenary):
    return [item.title for _detail, item in building.standing(session, plenary)]


def test_the_drafts_waiting_for_a_session_come_with_the_engines_reasons(session, world):
    plenary = world.planned_session(number=12, days=16)  # Wednesday 18 March
    world.reviewed_draft("Про ремонт даху ліцею № 2", days=0)  # published Monday 2 March
    late = world.reviewed_draft("Про облаштування зупинки", days=4)  # published Friday 6 March
    unsigned = world.published_draft("Про сквер", days=0)
    drafts.send_to_committees(session, unsigned, world.actor(world.secretary, 1), world.budget, now=world.at(1))

    found = {c.draft.title: c for c in building.candidates(session, plenary, world.actor(world.secretary, 5))}

    assert found["Про ремонт даху ліцею № 2"].ready
    (reason,) = found["Про облаштування зупинки"].reasons
    assert (
        str(reason)
        == "published on 6 March 2026, the session is on 18 March 2026: 8 working days, the rule asks for 10"
    )
    assert render(reason, "uk").startswith("оприлюднено 6 березня 2026")
    assert not found["Про сквер"].ready
    assert any("conclusion" in str(r) for r in found["Про сквер"].reasons)
    assert late.state == "committee_review"


def test_items_are_proposed_with_standing_ones_and_ordered_by_a_recorded_move(session, world, unchanged):
    plenary = world.planned_session(number=12, days=16)
    roof = world.reviewed_draft("Про ремонт даху ліцею № 2")
    stop = world.reviewed_draft("Про облаштування зупинки")
    secretary = world.actor(world.secretary, 5)
    first = building.propose_draft(session, plenary, secretary, roof, now=world.at(5))
    second = building.propose_draft(session, plenary, secretary, stop, now=world.at(5))
    other = building.add_standing_item(session, plenary, secretary, "  Різне ", now=world.at(5))
    assert _titles(session, plenary) == ["Про ремонт даху ліцею № 2", "Про облаштування зупинки", "Різне"]
    assert (roof.state, first.state, other.title) == ("on_agenda", "proposed", "Різне")
    with unchanged(), pytest.raises(WrongState, match="«Про ремонт даху ліцею № 2» is not waiting for a session"):
        building.propose_draft(session, plenary, secretary, roof, now=world.at(5))  # a second tab

    order = building.move_item(session, plenary, secretary, second, to=1, now=world.at(5.1))

    assert _titles(session, plenary) == ["Про облаштування зупинки", "Про ремонт даху ліцею № 2", "Різне"]
    assert (order.items, order.moved_item_id) == ([second.id, first.id, other.id], second.id)
    entry = session.scalar(
        select(AuditEntry).where(AuditEntry.document_id == plenary.id, AuditEntry.version == order.audit_version)
    )
    assert (entry.trigger, entry.data["record"], entry.data["id"]) == (RECORD, "agenda_order", order.id)
    assert entry.actor_id == world.secretary.id
    assert verify_log(session)[2] is None


def test_an_item_taken_off_leaves_the_order_and_its_draft_waits(session, world):
    plenary = world.planned_session(number=12, days=16)
    roof = world.reviewed_draft("Про ремонт даху ліцею № 2")
    secretary = world.actor(world.secretary, 5)
    item = building.propose_draft(session, plenary, secretary, roof, now=world.at(5))
    building.add_standing_item(session, plenary, secretary, "Різне", now=world.at(5))

    building.take_off_agenda(session, plenary, secretary, item, "Не готові розрахунки", now=world.at(6))

    assert (item.state, roof.state) == ("removed", "postponed")
    assert _titles(session, plenary) == ["Різне"]
    # and it may go on again, as the last item
    again = building.propose_draft(session, plenary, secretary, roof, now=world.at(7))
    assert _titles(session, plenary) == ["Різне", "Про ремонт даху ліцею № 2"]
    assert session.get(AgendaItem, again.id).position == 3


def test_an_agenda_order_cannot_be_rewritten_and_a_rewrite_behind_the_engine_is_found(session, world):
    plenary = world.planned_session(number=12, days=16)
    secretary = world.actor(world.secretary, 5)
    one = building.add_standing_item(session, plenary, secretary, "Інформація міського голови", now=world.at(5))
    other = building.add_standing_item(session, plenary, secretary, "Різне", now=world.at(5))
    order = building.move_item(session, plenary, secretary, one, to=2, now=world.at(5))
    rewrite = update(ORDERS).where(ORDERS.c.id == order.id).values(items=[one.id, other.id])

    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.connection().execute(rewrite)

    as_owner(session, "agenda_orders", rewrite)
    found = verify_log(session)[2]
    assert found is not None, "the rewrite went unnoticed"
    assert (found.document_id, found.version) == (plenary.id, order.audit_version)


# --- refusals ----------------------------------------------------------------------------------------------------
def test_only_the_secretary_builds_the_agenda(session, world, unchanged):
    plenary = world.planned_session(number=12, days=16)
    roof = world.reviewed_draft()
    secretary = world.actor(world.secretary, 5)
    item = building.add_standing_item(session, plenary, secretary, "Різне", now=world.at(5))
    building.add_standing_item(session, plenary, secretary, "Інше", now=world.at(5))
    deputy = world.actor(world.deputies[0], 5)

    with unchanged():
        for attempt in (
            lambda: building.propose_draft(session, plenary, deputy, roof, now=world.at(5)),
            lambda: building.add_standing_item(session, plenary, deputy, "Різне", now=world.at(5)),
            lambda: building.move_item(session, plenary, deputy, item, to=2, now=world.at(5)),
            lambda: building.take_off_agenda(session, plenary, deputy, item, "так", now=world.at(5)),
        ):
            with pytest.raises(NotAllowed, match="built by the council's secretary"):
                attempt()


def test_the_agenda_is_not_built_once_the_sitting_opened(session, world, unchanged):
    plenary = world.planned_session(number=12, days=16)
    secretary = world.actor(world.secretary, 5)
    item = building.add_standing_item(session, plenary, secretary, "Різне", now=world.at(5))
    building.add_standing_item(session, plenary, secretary, "Інше", now=world.at(5))
    world.open(plenary, days=16)

    with unchanged():
        with pytest.raises(WrongState, match="built before the sitting opens"):
            building.add_standing_item(session, plenary, secretary, "Ще", now=world.at(16))
        with pytest.raises(WrongState, match="built before the sitting opens"):
            building.move_item(session, plenary, secretary, item, to=2, now=world.at(16))


def test_bad_positions_titles_and_orders_are_refused(session, world, unchanged):
    plenary = world.planned_session(number=12, days=16)
    other = world.planned_session(number=13, days=30)
    secretary = world.actor(world.secretary, 5)
    item = building.add_standing_item(session, plenary, secretary, "Різне", now=world.at(5))
    elsewhere = building.add_standing_item(session, other, secretary, "Різне", now=world.at(5))
    gone = building.add_standing_item(session, plenary, secretary, "Зайве", now=world.at(5))
    building.take_off_agenda(session, plenary, secretary, gone, "Помилково", now=world.at(5))

    with unchanged():
        with pytest.raises(InvalidInput, match="from 1 to 1"):
            building.move_item(session, plenary, secretary, item, to=2, now=world.at(5))
        with pytest.raises(InvalidInput, match="not on the agenda of this session"):
            building.move_item(session, plenary, secretary, elsewhere, to=1, now=world.at(5))
        with pytest.raises(WrongState, match="taken off the agenda"):
            building.move_item(session, plenary, secretary, gone, to=1, now=world.at(5))
        with pytest.raises(InvalidInput, match="«Різне» is on this agenda already"):
            building.add_standing_item(session, plenary, secretary, "Різне ", now=world.at(5))
        with pytest.raises(InvalidInput, match="needs its title"):
            building.add_standing_item(session, plenary, secretary, "   ", now=world.at(5))
        with pytest.raises(InvalidInput, match="at most 500"):
            building.add_standing_item(session, plenary, secretary, "я" * 501, now=world.at(5))
        with pytest.raises(Conflict, match="agenda changed"):
            building.order_agenda(session, plenary, secretary, [item.id, item.id], now=world.at(5))
        with pytest.raises(InvalidInput, match="say why the item is taken off"):
            building.take_off_agenda(session, plenary, secretary, item, "", now=world.at(5))
    assert session.scalars(select(AgendaOrder)).all() == []


def test_a_session_is_convened_only_with_an_agenda_and_in_time(session, world, unchanged):
    plenary = world.planned_session(number=12, days=16)
    secretary = world.actor(world.secretary, 10)

    with unchanged(), pytest.raises(Exception, match="the agenda is empty"):
        fire(session, plenary, "convene", secretary, now=world.at(10))

    building.add_standing_item(session, plenary, secretary, "Різне", now=world.at(10))
    with unchanged(), pytest.raises(Exception, match="a regular session is convened at least 10 days before"):
        fire(session, plenary, "convene", secretary, now=world.at(10))
    sessions.cancel_session(session, plenary, secretary, "Перенесено", now=world.at(10))
