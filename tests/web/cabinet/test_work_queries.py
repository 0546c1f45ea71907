"""What "my work" and the sitting console cost the database: a fixed number of statements, however many documents
wait for others (bench/web.py measures the time on 100,000 documents; these pin the round trips, so that a query per
document coming back fails here first)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask.testing import FlaskClient
from sqlalchemy import event

from tests.web.cabinet.sitting import console, sitting
from tests.web.cabinet.test_work import work_rows
from tests.web.site import Site, sign_in
from workflow.council.drafts import drafts
from workflow.engine import fire
from workflow.engine.models import Document
from workflow.people import Person


@contextmanager
def statements(site: Site) -> Iterator[list[str]]:
    """Every statement sent to the database meanwhile, on the test's connection."""
    sent: list[str] = []
    engine = site.session.connection().engine

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def page_statements(site: Site, client: FlaskClient, path: str) -> int:
    client.get(path)  # once first: what a process reads once (definitions, the council) is not the page's cost
    with statements(site) as sent:
        assert client.get(path).status_code == 200
    return len(sent)


def waiting_for_others(site: Site, count: int, start: int = 0) -> None:
    """`count` drafts of the staff member in every early state: written, awaiting visas (the reviewers' work),
    one visa given and the other awaited (the draft is nobody's work yet)."""
    world = site.world
    author = world.actor(world.staff)
    for n in range(start, start + count):
        draft = drafts.write_draft(site.session, author, f"Про ремонт школи № {n}", "Текст.", now=world.at(0))
        if n % 3:
            visas = drafts.submit_draft(site.session, draft, author, now=world.at(0))
            if n % 3 == 2:
                fire(site.session, visas[0], "give", world.actor(_reviewer(site, visas[0])), now=world.at(0))
    site.commit()


def _reviewer(site: Site, visa: Document) -> Person:
    world = site.world
    return world.lawyer if visa.fields["department_kind"] == "legal" else world.accountant


def test_the_secretary_s_work_costs_the_same_statements_with_ten_times_the_documents_waiting_for_others(site):
    world = site.world
    for n in range(2):
        world.published_draft(f"Про сквер № {n}")  # waiting for the secretary: to be sent to committees
    waiting_for_others(site, 3)
    client = site.client()
    sign_in(client, world.secretary)
    few = page_statements(site, client, "/cabinet")
    assert len(work_rows(client)) == 2

    waiting_for_others(site, 30, start=3)
    many = page_statements(site, client, "/cabinet")

    assert len(work_rows(client)) == 2
    assert many == few


def test_an_author_s_work_costs_the_same_statements_however_many_drafts_others_wait_on(site):
    world = site.world
    drafts.write_draft(site.session, world.actor(world.deputies[0]), "Про освітлення", "Текст.", now=world.at(0))
    site.commit()
    client = site.client()
    sign_in(client, world.deputies[0])
    few = page_statements(site, client, "/cabinet")

    waiting_for_others(site, 30)
    many = page_statements(site, client, "/cabinet")

    assert [row[0] for row in work_rows(client)] == ["Проєкт рішення Про освітлення"]
    assert many == few


def test_a_reviewer_s_work_grows_by_no_statement_per_visa_awaited(site):
    world = site.world
    waiting_for_others(site, 3)
    client = site.client()
    sign_in(client, world.lawyer)
    few_rows = len(work_rows(client))
    few = page_statements(site, client, "/cabinet")

    waiting_for_others(site, 12, start=3)
    many_rows = len(work_rows(client))
    many = page_statements(site, client, "/cabinet")

    assert many_rows > few_rows
    assert many == few


def test_the_console_costs_the_same_statements_with_the_documents_of_the_council_around_it(site):
    plenary, _item = sitting(site, approved=True)
    client = site.client()
    sign_in(client, site.world.secretary)
    few = page_statements(site, client, console(plenary))

    waiting_for_others(site, 30)
    many = page_statements(site, client, console(plenary))

    assert many == few
