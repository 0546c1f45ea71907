"""My work: the documents waiting for the signed-in person's action, most urgent first."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.web.site import (
    act,
    message_to_deputy,
    sign_in,
    submitted,
    text_of,
)
from web.cabinet.presenting import local
from workflow.council.drafts import drafts


def work_rows(client: FlaskClient) -> list[list[str]]:
    page = client.get("/cabinet").get_data(as_text=True)
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [[text_of(cell) for cell in re.findall(r"<td>(.*?)</td>", row, flags=re.S)] for row in rows]


def linked(client: FlaskClient, path: str) -> list[int]:
    """The documents a page's table links to, in order."""
    page = client.get(path).get_data(as_text=True)
    return [int(found) for found in re.findall(r'<td>[^<]*<br><a href="/documents/(\d+)">', page)]


# --- my work -----------------------------------------------------------------------------------------------------
def test_my_work_lists_what_waits_for_me_most_urgent_first_and_forgets_what_i_did(site):
    world = site.world
    first = submitted(site)
    site.session.refresh(first)
    second = drafts.write_draft(
        site.session, world.actor(world.staff, 1), "Про освітлення вулиці Лісової", "Текст.", now=world.at(1)
    )
    drafts.submit_draft(site.session, second, world.actor(world.staff, 1), now=world.at(1))
    site.commit()
    client = site.client()
    sign_in(client, world.lawyer)

    rows = work_rows(client)

    # both requests are long overdue by now (the test council lives in March 2026), the one due first on top
    visas = [
        next(v for v in drafts.children(site.session, d, "visa") if v.fields["department_kind"] == "legal")
        for d in (first, second)
    ]
    site.commit()
    assert linked(client, "/cabinet") == [visa.id for visa in visas]
    assert [row[:2] for row in rows] == [["Віза Юридичний відділ", "Очікує візи"]] * 2
    assert [row[2] for row in rows] == [f"прострочено: до {local(visa.due_at)}" for visa in visas]
    assert [row[3] for row in rows] == ["Завізувати, Повернути із зауваженнями"] * 2
    visa = visas[0]
    act(client, visa, "give")
    assert len(work_rows(client)) == 1


def test_what_one_merely_may_do_is_not_work_waiting(site):
    submitted(site)  # the secretary may cancel the visa requests, but nobody waits for that
    client = site.client()
    sign_in(client, site.world.secretary)

    assert work_rows(client) == []
    assert "Жоден документ зараз не чекає на вашу дію." in client.get("/cabinet").get_data(as_text=True)


def test_an_author_s_unsubmitted_draft_waits_for_them(site):
    world = site.world
    drafts.write_draft(site.session, world.actor(world.staff), "Про сквер", "Текст.", now=world.at(0))
    site.commit()
    client = site.client()
    sign_in(client, world.staff)

    assert work_rows(client) == [["Проєкт рішення Про сквер", "Підготовка", "—", "Подати на візування, Відкликати"]]


# --- what waits, more -----------------------------------------------------------------------------------------------
def test_a_read_message_waits_for_its_answer_and_a_published_draft_for_the_secretary(site):
    world = site.world
    _citizen, _message = message_to_deputy(site, read=True)
    draft = world.published_draft(title="Про сквер")
    site.commit()
    deputy, secretary = site.client(), site.client()
    sign_in(deputy, world.deputies[0])
    sign_in(secretary, world.secretary)

    assert [row[3] for row in work_rows(deputy)] == ["Відповісти публічно, Відповісти особисто"]
    assert linked(secretary, "/cabinet") == [draft.id]
    assert work_rows(secretary)[0][3] == "Направити до комісій, Повернути на доопрацювання"
