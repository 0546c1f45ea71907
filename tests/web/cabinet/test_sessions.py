"""The secretary's sessions through the application: the list, a new session, the agenda built without
JavaScript (drafts ready and not ready with the engine's reasons, standing items, moves up and down recorded in
the session's chain, items taken off), convening; every refusal says why in the reader's language and changes
nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.web.cabinet.sessions_site import nothing_changes, post, today, version_of
from tests.web.site import in_english, sign_in, text_of
from workflow.council.sittings import agenda as building
from workflow.council.sittings.models import AgendaOrder, PlenarySession
from workflow.council.sittings.sessions import plan_session
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.timeutil import utcnow


def _secretary(site):
    client = site.client()
    sign_in(client, site.world.secretary)
    return client


def _future_session(site, days_ahead=20, number=12):
    world = site.world
    plenary = plan_session(
        site.session,
        world.actor(world.secretary, today()),
        number=number,
        starts_at=utcnow().replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=days_ahead),
        place="Сесійна зала, пл. Свободи, 1",
        now=utcnow(),
    )
    site.commit()
    return plenary


def _page(client, plenary):
    return client.get(f"/cabinet/sessions/{plenary.id}").get_data(as_text=True)


# --- the list and a new session ----------------------------------------------------------------------------------
def test_the_secretary_lists_the_sessions_with_their_stages_and_plans_a_new_one(site):
    client = _secretary(site)
    page = client.get("/cabinet").get_data(as_text=True)
    assert 'href="/cabinet/sessions"' in page  # the header leads to the workplace

    response = post(
        client,
        "/cabinet/sessions/new",
        number="14",
        day="2027-01-20",
        starts="10:00",
        place="  Сесійна   зала ",
        kind="extraordinary",
    )

    assert response.status_code == 302
    detail = site.session.scalar(select(PlenarySession).where(PlenarySession.number == 14))
    assert (detail.place, detail.kind, detail.starts_at.isoformat()[:16]) == (
        "Сесійна зала",
        "extraordinary",
        "2027-01-20T08:00",  # 10:00 in Kyiv is 08:00 UTC in winter
    )
    assert response.headers["Location"] == f"/cabinet/sessions/{detail.document_id}"
    listing = text_of(client.get("/cabinet/sessions").get_data(as_text=True))
    assert "Сесія № 14 позачергова 20.01.2027 10:00 Сесійна зала Заплановано" in listing
    shown = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "20 січня 2027 р., 10:00 (за київським часом)" in shown


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({"number": "0"}, "Номер сесії — від 1 до 9999."),
        ({"place": ""}, "Укажіть, де збирається сесія."),
        ({"day": "31.02.2027"}, "Укажіть дату так, як її пропонує календар"),
        ({"starts": "пів на десяту"}, "Укажіть час годинами й хвилинами"),
        ({"kind": "secret"}, "Виберіть чергову або позачергову сесію."),
        ({"number": "12"}, "сесія № 12 цього скликання вже існує"),
    ],
)
def test_a_new_session_with_bad_input_is_refused_and_nothing_is_stored(site, form, says):
    _future_session(site, number=12)
    client = _secretary(site)
    data = {"number": "13", "day": "2027-01-20", "starts": "10:00", "place": "Зала", "kind": "regular", **form}

    with nothing_changes(site):
        response = post(client, "/cabinet/sessions/new", **data)

    assert response.status_code == 422
    assert "Не виконано." in response.get_data(as_text=True)
    assert says in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/cabinet/sessions", "/cabinet/sessions/new"])
def test_the_sessions_are_the_secretarys_and_a_deputy_is_told_so(site, url):
    client = site.client()
    sign_in(client, site.world.deputies[0])

    with nothing_changes(site):
        read = client.get(url + "?lang=en")
        sent = post(client, "/cabinet/sessions/new", number="30", day="2027-01-20", starts="10", place="x")

    assert read.status_code == 403
    assert "the sessions are prepared by the council&#39;s secretary" in read.get_data(as_text=True)
    assert sent.status_code == 403
    assert 'href="/cabinet/sessions"' not in read.get_data(as_text=True)


# --- building the agenda -----------------------------------------------------------------------------------------
def test_the_page_shows_the_drafts_ready_and_those_not_ready_with_the_engines_reason(site):
    world = site.world
    plenary = _future_session(site, days_ahead=20)
    world.reviewed_draft("Про ремонт даху ліцею № 2", days=today() - 30)
    world.reviewed_draft("Про облаштування зупинки", days=today() + 12)  # too late for this session
    site.commit()
    client = _secretary(site)

    page = text_of(_page(client, plenary))
    english = text_of(in_english(client).get(f"/cabinet/sessions/{plenary.id}").get_data(as_text=True))

    ready, waiting = page.split("Готові")[1].split("Ще не готові")
    assert "Про ремонт даху ліцею № 2" in ready
    assert "Про облаштування зупинки оприлюднено " in waiting
    assert "робочих днів, а правило вимагає 10" in waiting
    assert "working days, the rule asks for 10" in english or "working day, the rule asks for 10" in english


def test_the_secretary_builds_and_orders_the_agenda_without_javascript(site):
    world = site.world
    plenary = _future_session(site)
    roof = world.reviewed_draft("Про ремонт даху ліцею № 2", days=today() - 30)
    stop = world.reviewed_draft("Про облаштування зупинки", days=today() - 30)
    site.commit()
    client = _secretary(site)

    for draft in (roof, stop):
        assert post(client, f"/cabinet/sessions/{plenary.id}/items", plenary, draft_id=str(draft.id)).status_code == 302
    response = post(client, f"/cabinet/sessions/{plenary.id}/standing", plenary, title="Різне")
    assert response.status_code == 302
    items = [item for _d, item in building.standing(site.session, plenary)]
    assert [i.title for i in items] == ["Про ремонт даху ліцею № 2", "Про облаштування зупинки", "Різне"]

    moved = post(client, f"/cabinet/sessions/{plenary.id}/items/{items[2].id}/move", plenary, direction="up")
    assert moved.status_code == 302
    site.session.refresh(plenary)
    typed = post(client, f"/cabinet/sessions/{plenary.id}/items/{items[0].id}/move", plenary, position="3")
    assert typed.status_code == 302

    site.session.expire_all()
    assert [i.title for _d, i in building.standing(site.session, plenary)] == [
        "Різне",
        "Про облаштування зупинки",
        "Про ремонт даху ліцею № 2",
    ]
    page = text_of(_page(client, plenary))
    assert "1. Різне" in page
    assert "2. Про облаштування зупинки" in page
    assert "3. Про ремонт даху ліцею № 2" in page
    # each order is a record of its own in the session's chain, by the secretary
    orders = site.session.scalars(select(AgendaOrder).order_by(AgendaOrder.id)).all()
    assert [o.moved_item_id for o in orders] == [items[2].id, items[0].id]
    entries = site.session.scalars(
        select(AuditEntry).where(AuditEntry.document_id == plenary.id, AuditEntry.trigger == "record")
    ).all()
    assert [(e.data["record"], e.actor_id) for e in entries] == [("agenda_order", world.secretary.id)] * 2


def test_an_item_is_taken_off_only_with_a_reason(site):
    world = site.world
    plenary = _future_session(site)
    roof = world.reviewed_draft("Про ремонт даху ліцею № 2", days=today() - 30)
    item = building.propose_draft(site.session, plenary, world.actor(world.secretary), roof, now=utcnow())
    site.commit()
    client = _secretary(site)
    url = f"/cabinet/sessions/{plenary.id}/items/{item.id}/remove"

    with nothing_changes(site):
        refused = post(client, url, plenary, reason="  ")
    assert refused.status_code == 422
    assert "скажіть, чому питання знімають з порядку денного" in refused.get_data(as_text=True)

    assert post(client, url, plenary, reason="Не готові розрахунки").status_code == 302
    site.session.expire_all()
    assert (site.session.get(Document, item.id).state, site.session.get(Document, roof.id).state) == (
        "removed",
        "postponed",
    )


def test_a_form_from_a_page_that_is_out_of_date_changes_nothing(site):
    world = site.world
    plenary = _future_session(site)
    secretary = world.actor(world.secretary)
    one = building.add_standing_item(site.session, plenary, secretary, "Інформація", now=utcnow())
    building.add_standing_item(site.session, plenary, secretary, "Різне", now=utcnow())
    site.commit()
    client = _secretary(site)
    stale = str(version_of(site, plenary))
    url = f"/cabinet/sessions/{plenary.id}/items/{one.id}/move"
    assert post(client, url, plenary, direction="down", version=stale).status_code == 302

    with nothing_changes(site):
        again = post(client, url, plenary, direction="down", version=stale)  # the second tab

    assert again.status_code == 409
    assert "сесія змінилася після того, як ви відкрили її сторінку" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    ("case", "status", "says"),
    [
        ("position out of range", 422, "a position on this agenda is from 1 to 2"),
        ("position not a number", 422, "a position is a number from 1 to 2"),
        ("empty standing title", 422, "an item of the agenda needs its title"),
        ("draft not ready", 409, "the rule asks for 10"),
        ("not a draft", 422, "choose one from the list"),
        ("draft on it already", 409, "is not waiting for a session&#39;s agenda"),
        ("a deputy", 403, "the sessions are prepared by the council&#39;s secretary"),
        ("sitting open", 409, "the agenda is built before the sitting opens"),
    ],
)
def test_refused_agenda_forms_say_why_in_english_too_and_change_nothing(site, case, status, says):
    world = site.world
    plenary = _future_session(site, days_ahead=20)
    secretary = world.actor(world.secretary)
    item = building.add_standing_item(site.session, plenary, secretary, "Інформація", now=utcnow())
    building.add_standing_item(site.session, plenary, secretary, "Різне", now=utcnow())
    late = world.reviewed_draft("Про облаштування зупинки", days=today() + 12)
    placed = None
    if case == "draft on it already":  # put on it from another tab a moment ago
        placed = world.reviewed_draft("Про сквер", days=today() - 30)
        building.propose_draft(site.session, plenary, secretary, placed, now=utcnow())
    if case == "sitting open":  # a session of March, whose sitting opened then
        plenary = world.planned_session(number=20, days=16)
        building.add_standing_item(site.session, plenary, world.actor(world.secretary, 5), "Різне", now=world.at(5))
        world.open(plenary, days=16)
    site.commit()
    client = site.client()
    sign_in(client, world.deputies[0] if case == "a deputy" else world.secretary)
    in_english(client)
    base = f"/cabinet/sessions/{plenary.id}"
    url, form = {
        "position out of range": (f"{base}/items/{item.id}/move", {"position": "3"}),
        "position not a number": (f"{base}/items/{item.id}/move", {"position": "перший"}),
        "empty standing title": (f"{base}/standing", {"title": " "}),
        "draft not ready": (f"{base}/items", {"draft_id": str(late.id)}),
        "not a draft": (f"{base}/items", {"draft_id": str(item.id)}),
        "draft on it already": (f"{base}/items", {"draft_id": str(placed.id if placed else 0)}),
        "a deputy": (f"{base}/standing", {"title": "Різне"}),
        "sitting open": (f"{base}/standing", {"title": "Різне"}),
    }[case]

    with nothing_changes(site):
        response = post(client, url, plenary, **form)

    assert response.status_code == status
    assert says in response.get_data(as_text=True)


# --- convening ---------------------------------------------------------------------------------------------------
def test_convening_an_empty_agenda_or_too_late_is_refused_with_the_reason(site):
    world = site.world
    empty = _future_session(site, days_ahead=20, number=12)
    soon = _future_session(site, days_ahead=5, number=13)
    building.add_standing_item(site.session, soon, world.actor(world.secretary), "Різне", now=utcnow())
    site.commit()
    client = _secretary(site)

    page = text_of(_page(client, empty))
    assert "Скликати сесію порядок денний порожній" in page  # the button greyed, with the reason

    with nothing_changes(site):
        first = post(client, f"/cabinet/sessions/{empty.id}/convene", empty)
        second = post(client, f"/cabinet/sessions/{soon.id}/convene", soon)

    assert first.status_code == 409
    assert "порядок денний порожній" in first.get_data(as_text=True)
    assert second.status_code == 409
    assert "чергову сесію скликають щонайменше за 10 днів" in second.get_data(as_text=True)


def test_convening_publishes_the_agenda_and_tells_everyone(site):
    world = site.world
    plenary = _future_session(site, days_ahead=20)
    roof = world.reviewed_draft("Про ремонт даху ліцею № 2", days=today() - 30)
    building.propose_draft(site.session, plenary, world.actor(world.secretary), roof, now=utcnow())
    site.commit()
    client = _secretary(site)

    response = post(client, f"/cabinet/sessions/{plenary.id}/convene", plenary)

    assert response.status_code == 302
    site.session.expire_all()
    assert site.session.get(Document, plenary.id).state == "convened"
    effects = site.session.scalars(select(OutboxRow.effect).where(OutboxRow.document_id == plenary.id)).all()
    assert sorted(effects) == ["notify", "render_docx"]
    page = _page(client, plenary)
    assert f'href="/cabinet/sessions/{plenary.id}/sitting"' in page
    assert "Скликано" in text_of(page)
