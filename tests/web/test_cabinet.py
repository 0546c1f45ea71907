"""The cabinet's first pages, through the application as a browser uses it: signing in and out (with CSRF
tokens on every form), a person's notifications, and the document page each notification links to, open to
those who may read the document and to nobody else."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

import web.auth
from tasks.runner import run_pending
from tests.conftest import World, build_world
from tests.web.conftest import app_in_transaction
from web import create_app
from web.cabinet import local
from workflow.council.delegation.delegation import delegate_role
from workflow.council.drafts import drafts
from workflow.council.messages import messages
from workflow.council.organisation import setup
from workflow.council.organisation.setup import hash_password
from workflow.engine import fire
from workflow.engine.models import AuditEntry, Document
from workflow.files import store_file
from workflow.notifications.models import Notification
from workflow.people import Person, RoleGrant

PASSWORD = "довгий-пароль-для-тесту"


@functools.cache
def password_hash() -> str:
    """PASSWORD hashed once per run: Argon2 is slow on purpose, and every site's people share the password."""
    return hash_password(PASSWORD)


@dataclass
class Site:
    app: Flask
    world: World
    session: Session

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def commit(self) -> None:
        self.session.commit()
        run_pending(self.app.extensions["radaflow"])  # what the embedded mode does after a request's commit


@pytest.fixture
def site(clean_environment: None, connection: Connection, tmp_path: Path) -> Iterator[Site]:
    """The cabinet on the suite's migrated database (SQLite and PostgreSQL), inside the test's transaction."""
    app = app_in_transaction(connection, tmp_path / "instance")
    session = app.extensions["radaflow"].sessions()
    world = build_world(session)
    hashed = password_hash()
    for person in (world.lawyer, world.staff, world.secretary, *world.deputies[:2]):
        person.password_hash = hashed
    session.commit()
    yield Site(app, world, session)
    session.close()
    app.extensions["radaflow"].engine.dispose()


def token(client: FlaskClient) -> str:
    page = client.get("/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found is not None, "the sign-in form carries a CSRF token"
    return found.group(1)


def sign_in(client: FlaskClient, person: Person, password: str = PASSWORD, next_: str | None = None) -> TestResponse:
    url = "/login" if next_ is None else f"/login?next={next_}"
    return client.post(url, data={"email": person.email, "password": password, "csrf_token": token(client)})


def signed_in_as(client: FlaskClient) -> str | None:
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'<span class="who">([^<]+)</span>', page)
    return None if found is None else found.group(1)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def message_to_deputy(site: Site, *, read: bool = False, password: str | None = None) -> tuple[Person, Document]:
    """A citizen's message to the first deputy, written on day 0 (and read by the deputy on day 1)."""
    world = site.world
    citizen = setup.add_person(site.session, "Галина Остапчук", email="halyna@example.org", roles=["citizen"],
                               password=password)
    message = messages.write_to_deputy(site.session, world.actor(citizen), world.deputies[0], "Освітлення",
                                       "Не світять ліхтарі.", now=world.at(0))
    if read:
        messages.read_message(site.session, message, world.actor(world.deputies[0], 1), now=world.at(1))
    return citizen, message


# --- signing in and out ----------------------------------------------------------------------------------------
def test_a_person_signs_in_with_e_mail_and_password_and_lands_on_their_notifications(site):
    client = site.client()

    response = sign_in(client, site.world.lawyer)

    assert (response.status_code, response.headers["Location"]) == (302, "/notifications")
    assert signed_in_as(client) == site.world.lawyer.full_name


def test_the_address_is_read_whatever_its_case_and_surrounding_spaces(site):
    client = site.client()
    address = f"  {str(site.world.lawyer.email).upper()} "

    response = client.post("/login", data={"email": address, "password": PASSWORD, "csrf_token": token(client)})

    assert response.status_code == 302
    assert signed_in_as(client) == site.world.lawyer.full_name


@pytest.mark.parametrize("who", ["wrong password", "unknown address", "no account"])
def test_a_wrong_sign_in_is_refused_with_one_message_that_gives_nothing_away(site, who):
    client = site.client()
    person = {"wrong password": site.world.lawyer, "unknown address": Person(full_name="Ніхто", email="x@y.example"),
              "no account": site.world.accountant}[who]

    response = sign_in(client, person, password=PASSWORD if who != "wrong password" else "не той пароль")

    assert response.status_code == 422
    assert "Неправильна адреса електронної пошти або пароль." in response.get_data(as_text=True)
    assert signed_in_as(client) is None


def test_an_empty_form_says_what_is_missing(site):
    client = site.client()

    response = client.post("/login", data={"email": "", "password": "", "csrf_token": token(client)})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Вкажіть адресу електронної пошти." in page
    assert "Вкажіть пароль." in page


def test_a_form_without_its_csrf_token_is_refused_and_signs_nobody_in(site):
    client = site.client()

    response = client.post("/login", data={"email": site.world.lawyer.email, "password": PASSWORD})

    assert response.status_code == 400
    assert "Форму не прийнято" in response.get_data(as_text=True)
    assert signed_in_as(client) is None


@pytest.mark.parametrize(
    ("next_", "lands_on"),
    [("/documents/1", "/documents/1"), ("//evil.example/login", "/notifications"),
     ("/\\evil.example/login", "/notifications"), ("https://evil.example/", "/notifications"),
     ("javascript:alert(1)", "/notifications")],
)
def test_after_signing_in_only_a_page_of_this_site_is_where_one_is_sent(site, next_, lands_on):
    response = sign_in(site.client(), site.world.lawyer, next_=next_)

    assert response.headers["Location"] == lands_on


def test_the_session_cookie_stays_on_this_site_out_of_scripts_and_in_production_on_https_only(site, tmp_path):
    response = sign_in(site.client(), site.world.lawyer)

    cookie = response.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie
    assert "HttpOnly" in cookie
    assert "Secure" not in cookie  # development serves plain http://127.0.0.1
    production = create_app({"env": "production", "database_url": site.app.extensions["radaflow"].settings.database_url,
                             "instance_dir": tmp_path / "production"})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    production.extensions["radaflow"].engine.dispose()


def test_a_person_without_an_account_is_checked_as_long_as_a_wrong_password(site, monkeypatch):
    checked: list[str | None] = []
    real = web.auth.check_password

    def spy(person: Person, password: str) -> bool:
        checked.append(person.password_hash)
        return real(person, password)

    monkeypatch.setattr(web.auth, "check_password", spy)
    sign_in(site.client(), site.world.accountant)  # has an address, but no password

    assert len(checked) == 1
    assert checked[0] is not None
    assert checked[0].startswith("$argon2")


def test_signing_out_takes_a_form_with_its_token(site):
    client = site.client()
    sign_in(client, site.world.lawyer)

    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert signed_in_as(client) == site.world.lawyer.full_name
    response = client.post("/logout", data={"csrf_token": token(client)})

    assert response.status_code == 302
    assert signed_in_as(client) is None


# --- notifications -------------------------------------------------------------------------------------------
def submitted(site: Site) -> Document:
    world = site.world
    draft = drafts.write_draft(site.session, world.actor(world.staff), "Про ремонт даху ліцею № 2",
                               "Виділити 1,2 млн грн на ремонт.", now=world.at(0))
    drafts.submit_draft(site.session, draft, world.actor(world.staff), now=world.at(0))
    site.commit()
    return draft


def unread(site: Site, person: Person) -> int:
    """Read in a session of its own, closed at once: on SQLite an open transaction holds the write lock."""
    with site.app.extensions["radaflow"].sessions() as session:
        return session.scalar(
            select(func.count()).select_from(Notification)
            .where(Notification.person_id == person.id, Notification.read_at.is_(None))
        ) or 0


def test_a_reviewer_sees_the_visa_request_and_opening_the_draft_marks_it_read(site):
    draft = submitted(site)
    client = site.client()
    sign_in(client, site.world.lawyer)

    page = client.get("/notifications").get_data(as_text=True)

    assert "Проєкт рішення чекає на вашу візу: «Про ремонт даху ліцею № 2»" in page
    assert '<span class="visually-hidden">, непрочитаних: 1</span>' in page
    assert f'href="/documents/{draft.id}"' in page
    assert client.get(f"/documents/{draft.id}").status_code == 200
    assert unread(site, site.world.lawyer) == 0


def test_a_notification_is_marked_read_by_its_recipient_only(site):
    submitted(site)
    mine = site.session.scalars(select(Notification).where(Notification.person_id == site.world.lawyer.id)).one()
    site.commit()  # ends the read's transaction, which holds SQLite's write lock
    client = site.client()
    sign_in(client, site.world.staff)  # the author, who was not told of their own move

    refused = client.post("/notifications/read", data={"id": str(mine.id), "csrf_token": token(client)})

    assert refused.status_code == 403
    assert unread(site, site.world.lawyer) == 1
    sign_in(client, site.world.lawyer)
    done = client.post("/notifications/read", data={"id": str(mine.id), "csrf_token": token(client)})
    assert (done.status_code, done.headers["Location"]) == (302, "/notifications")
    assert unread(site, site.world.lawyer) == 0


def test_marking_read_without_saying_which_is_refused_and_all_marks_all(site):
    submitted(site)
    submitted(site)
    client = site.client()
    sign_in(client, site.world.lawyer)

    assert client.post("/notifications/read", data={"csrf_token": token(client)}).status_code == 422
    assert client.post("/notifications/read", data={"id": "x", "csrf_token": token(client)}).status_code == 422
    assert unread(site, site.world.lawyer) == 2
    done = client.post("/notifications/read", data={"all": "1", "csrf_token": token(client)})
    assert (done.status_code, done.headers["Location"]) == (302, "/notifications")
    assert unread(site, site.world.lawyer) == 0


def test_the_notifications_page_asks_a_stranger_to_sign_in(site):
    response = site.client().get("/notifications")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


# --- the document page -----------------------------------------------------------------------------------------
def test_the_document_page_shows_the_stage_due_date_text_related_documents_and_history(site):
    world = site.world
    draft = submitted(site)
    visa = drafts.children(site.session, draft, "visa")[0]  # the fire below and the commit end this read
    fire(site.session, visa, "return", world.actor(world.lawyer), comment="Уточніть джерело коштів", now=world.at(1))
    site.commit()
    client = site.client()
    sign_in(client, world.staff)

    page = text_of(client.get(f"/documents/{draft.id}").get_data(as_text=True))

    assert "Проєкт рішення Про ремонт даху ліцею № 2 Етап Підготовка" in page  # the returned visa sent it back
    assert f"Автор {world.staff.full_name}" in page
    assert "Зміст Текст Виділити 1,2 млн грн на ремонт." in page
    # the returned visa sent the draft back, and the finance department is asked no more
    assert ("Пов'язані документи Віза «Юридичний відділ» — Повернуто із зауваженнями "
            "Віза «Фінансове управління» — Скасовано") in page
    assert f"02.03.2026 11:00 — Створено: Підготовка ({world.staff.full_name})" in page
    assert f"02.03.2026 11:00 — Подати на візування: Підготовка → На візуванні ({world.staff.full_name})" in page
    assert ("— Повернути на доопрацювання: На візуванні → Підготовка (система) "
            "Юридичний відділ: Уточніть джерело коштів") in page


def test_a_stranger_is_asked_to_sign_in_and_comes_back_to_the_document(site):
    draft = submitted(site)
    client = site.client()

    response = client.get(f"/documents/{draft.id}")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next=%2Fdocuments%2F{draft.id}"
    back = client.post(response.headers["Location"], data={
        "email": site.world.lawyer.email, "password": PASSWORD, "csrf_token": token(client),
    })
    assert back.headers["Location"] == f"/documents/{draft.id}"


def test_a_draft_open_for_public_discussion_is_read_by_anyone(site):
    draft = site.world.published_draft()
    site.commit()

    response = site.client().get(f"/documents/{draft.id}")

    assert response.status_code == 200
    assert "Громадське обговорення" in response.get_data(as_text=True)


def test_the_public_reads_a_public_draft_without_what_was_said_inside_and_the_council_reads_it_all(site):
    world = site.world
    draft = submitted(site)
    visa = next(v for v in drafts.children(site.session, draft, "visa") if v.fields["department_kind"] == "legal")
    fire(site.session, visa, "return", world.actor(world.lawyer), comment="Уточніть джерело коштів", now=world.at(1))
    site.commit()  # the returned visa sends the draft back for revision (an effect, run in sessions of its own)
    site.session.refresh(draft)
    drafts.submit_draft(site.session, draft, world.actor(world.staff, 2), now=world.at(2))
    for again in drafts.children(site.session, draft, "visa", states=("requested",)):
        reviewer = world.lawyer if again.fields["department_kind"] == "legal" else world.accountant
        fire(site.session, again, "give", world.actor(reviewer, 2), now=world.at(2))
    fire(site.session, draft, "publish_for_discussion", world.actor(world.secretary, 2), now=world.at(2))
    site.commit()

    public = text_of(site.client().get(f"/documents/{draft.id}").get_data(as_text=True))
    insider = site.client()
    sign_in(insider, world.secretary)
    full = text_of(insider.get(f"/documents/{draft.id}").get_data(as_text=True))

    assert "Громадське обговорення" in public
    assert "Уточніть джерело коштів" not in public  # the reviewers' remarks stay inside
    assert "Пов'язані документи" not in public  # the visas are internal papers
    assert "Юридичний відділ: Уточніть джерело коштів" in full
    assert "Віза «Юридичний відділ» — Повернуто із зауваженнями" in full


def test_a_public_answer_does_not_name_the_citizen_to_the_public(site):
    world = site.world
    _citizen, message = message_to_deputy(site, read=True)
    messages.answer(site.session, message, world.actor(world.deputies[0], 1), "Полагодять.", public=True,
                    now=world.at(1))
    site.commit()

    public = text_of(site.client().get(f"/documents/{message.id}").get_data(as_text=True))

    assert "Полагодять." in public
    assert "Галина Остапчук" not in public
    assert "(автор звернення)" in public


def test_a_citizen_cannot_read_an_internal_draft_and_is_told_there_is_no_such_page(site):
    # a document one may not read answers like a missing one (tests/web/test_security.py): its existence is kept
    draft = submitted(site)
    citizen = setup.add_person(site.session, "Галина Остапчук", email="halyna@example.org", roles=["citizen"],
                               password=PASSWORD)
    site.commit()
    client = site.client()
    sign_in(client, citizen)

    response = client.get(f"/documents/{draft.id}")

    assert response.status_code == 404
    assert "Такої сторінки немає." in response.get_data(as_text=True)
    assert draft.title not in response.get_data(as_text=True)
    response = in_english(client).get(f"/documents/{draft.id}")
    assert response.status_code == 404
    assert "There is no such page." in response.get_data(as_text=True)
    assert draft.title not in response.get_data(as_text=True)


def test_a_citizen_s_message_is_read_by_the_citizen_the_deputy_and_the_secretary_only(site):
    world = site.world
    citizen, message = message_to_deputy(site, password=PASSWORD)
    site.commit()

    readers = {}
    for person in (citizen, world.deputies[0], world.secretary, world.deputies[1], world.staff):
        client = site.client()
        sign_in(client, person)
        readers[person.full_name] = client.get(f"/documents/{message.id}").status_code

    assert readers == {citizen.full_name: 200, world.deputies[0].full_name: 200, world.secretary.full_name: 200,
                       world.deputies[1].full_name: 404, world.staff.full_name: 404}


def test_an_unknown_document_is_not_found(site):
    # signed in; a stranger is sent to sign in whatever the id, so that no id tells whether it exists
    client = site.client()
    sign_in(client, site.world.lawyer)

    assert client.get("/documents/999999").status_code == 404


def test_a_rendered_file_is_downloaded_as_stored_and_a_damaged_one_is_not_handed_out(site):
    draft = submitted(site)
    other = submitted(site)
    stored = store_file(site.session, draft, "decision", b"PK\x03\x04 docx bytes", key="manual:test",
                        now=site.world.at(0), filename="Рішення № 1.docx")
    site.commit()
    client = site.client()
    sign_in(client, site.world.lawyer)

    response = client.get(f"/documents/{draft.id}/files/{stored.id}")

    assert response.status_code == 200
    assert response.data == b"PK\x03\x04 docx bytes"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"decision-v1.docx\"; "
        "filename*=UTF-8''%D0%A0%D1%96%D1%88%D0%B5%D0%BD%D0%BD%D1%8F%20%E2%84%96%201.docx"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["ETag"] == f'"{stored.sha256}"'
    # the file is as open as its document: a stranger is sent to sign in, an outsider told there is no such page
    assert site.client().get(f"/documents/{draft.id}/files/{stored.id}").status_code == 302
    citizen = setup.add_person(site.session, "Галина Остапчук", email="halyna@example.org", roles=["citizen"],
                               password=PASSWORD)
    site.commit()
    outsider = site.client()
    sign_in(outsider, citizen)
    assert outsider.get(f"/documents/{draft.id}/files/{stored.id}").status_code == 404
    assert client.get(f"/documents/{other.id}/files/{stored.id}").status_code == 404
    stored.sha256 = "0" * 64
    site.commit()
    assert client.get(f"/documents/{draft.id}/files/{stored.id}").status_code == 500


# --- acting from the document page -----------------------------------------------------------------------------
def in_english(client: FlaskClient) -> FlaskClient:
    """The reader switches the pages to English (the language cookie the header's switch sets)."""
    client.set_cookie("radaflow_lang", "en")
    return client


def page_of(client: FlaskClient, document: Document) -> str:
    return client.get(f"/documents/{document.id}").get_data(as_text=True)


def act(client: FlaskClient, document: Document, trigger: str, version: int | None = None,
        **form: str) -> TestResponse:
    data = {"csrf_token": token(client), "version": str(document.version if version is None else version), **form}
    return client.post(f"/documents/{document.id}/actions/{trigger}", data=data)


def stored(site: Site, document: Document) -> tuple[str, int, int]:
    """The document's state, version and number of audit entries, read afresh."""
    with site.app.extensions["radaflow"].sessions() as session:
        found = session.get(Document, document.id)
        assert found is not None
        entries = session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.document_id == document.id))
        return found.state, found.version, entries or 0


def legal_visa(site: Site) -> Document:
    draft = submitted(site)
    visa = next(v for v in drafts.children(site.session, draft, "visa") if v.fields["department_kind"] == "legal")
    site.commit()
    return visa


def test_a_reviewer_gives_the_visa_from_its_page(site):
    visa = legal_visa(site)
    client = site.client()
    sign_in(client, site.world.lawyer)
    page = page_of(client, visa)
    assert f'action="/documents/{visa.id}/actions/give"' in page
    assert f'action="/documents/{visa.id}/actions/return"' in page

    response = act(client, visa, "give")

    assert (response.status_code, response.headers["Location"]) == (302, f"/documents/{visa.id}")
    assert "Виконано: Завізувати." in page_of(client, visa)
    assert stored(site, visa) == ("given", 2, 2)


def test_returning_a_visa_without_the_required_remarks_is_refused_and_changes_nothing(site):
    visa = legal_visa(site)
    client = site.client()
    sign_in(client, site.world.lawyer)

    response = act(client, visa, "return", comment="   ")

    assert response.status_code == 422
    assert "Не виконано." in response.get_data(as_text=True)
    assert "«Повернути із зауваженнями» потребує коментаря з поясненням причини" in response.get_data(as_text=True)
    assert stored(site, visa) == ("requested", 1, 1)
    response = act(in_english(client), visa, "return", comment="   ")
    assert response.status_code == 422
    assert "Not done." in response.get_data(as_text=True)
    assert "needs a comment saying why" in response.get_data(as_text=True)
    assert stored(site, visa) == ("requested", 1, 1)


def test_acting_on_a_page_opened_before_someone_else_acted_is_refused(site):
    visa = legal_visa(site)
    client = site.client()
    sign_in(client, site.world.lawyer)
    act(client, visa, "give")

    response = act(client, visa, "return", version=1, comment="Уточніть джерело коштів")

    assert response.status_code == 409
    assert "документ змінився після того, як ви його відкрили" in response.get_data(as_text=True)
    assert stored(site, visa) == ("given", 2, 2)
    response = act(in_english(client), visa, "return", version=1, comment="Уточніть джерело коштів")
    assert response.status_code == 409
    assert "the document changed after you opened it" in response.get_data(as_text=True)
    assert stored(site, visa) == ("given", 2, 2)


def test_someone_who_may_not_act_sees_why_and_a_forged_request_is_refused(site):
    visa = legal_visa(site)
    client = site.client()
    sign_in(client, site.world.staff)  # the draft's author reads the visa, but gives none

    page = page_of(client, visa)
    assert '<button type="button" disabled aria-describedby="give-why">Завізувати</button>' in page
    assert "«Завізувати» може виконати лише: department_reviewer" in page
    assert "&#39;Give the visa&#39; can be done only by: department_reviewer" in page_of(in_english(client), visa)

    assert act(client, visa, "give").status_code == 403
    assert stored(site, visa) == ("requested", 1, 1)


def test_an_action_done_at_a_workplace_of_its_own_is_no_form_here(site):
    draft = site.world.published_draft()
    site.commit()
    client = site.client()
    sign_in(client, site.world.secretary)

    page = text_of(page_of(client, draft))
    assert "Направити до комісій — виконується на окремому робочому місці" in page
    before = stored(site, draft)

    response = act(client, draft, "send_to_committees")

    assert response.status_code == 422
    assert "виконується не зі сторінки документа, а на окремому робочому місці" in response.get_data(as_text=True)
    assert stored(site, draft) == before
    response = act(in_english(client), draft, "send_to_committees")
    assert response.status_code == 422
    assert "is not done from the document page but at its own workplace" in response.get_data(as_text=True)
    assert stored(site, draft) == before


def test_a_deputy_reads_and_answers_a_citizen_publicly_and_the_citizen_is_told(site):
    world = site.world
    citizen, message = message_to_deputy(site)
    site.commit()
    client = site.client()
    sign_in(client, world.deputies[0])

    assert act(client, message, "read").status_code == 302
    # the answer is typed in the form that sends it: the action is offered before the answer exists
    assert f'action="/documents/{message.id}/actions/answer_publicly"' in page_of(client, message)
    refused = act(client, message, "answer_publicly", version=1, answer="Полагодять у п'ятницю.")
    assert refused.status_code == 409
    assert "Полагодять у п&#39;ятницю.</textarea>" in refused.get_data(as_text=True), "what was typed is kept"
    assert act(client, message, "answer_publicly", version=2, answer="Полагодять у п'ятницю.").status_code == 302

    assert stored(site, message)[0] == "answered_publicly"
    anonymous = site.client().get(f"/documents/{message.id}").get_data(as_text=True)
    assert "Полагодять у п&#39;ятницю." in anonymous  # a public answer is public
    with site.app.extensions["radaflow"].sessions() as session:
        answered = session.scalars(select(Notification.person_id).where(Notification.template == "message_answered"))
        assert list(answered) == [citizen.id]


def test_what_only_the_system_does_is_no_one_s_button(site):
    world = site.world
    delegation = delegate_role(site.session, world.actor(world.lawyer), world.staff, "reviewer",
                               scope_id=world.legal.id, starts_at=world.at(1), ends_at=world.at(10),
                               reason="відпустка юриста", now=world.at(0))
    site.commit()
    client = site.client()
    sign_in(client, world.lawyer)

    page = page_of(client, delegation)

    assert f'action="/documents/{delegation.id}/actions/revoke"' in page  # its author may revoke it
    assert "/actions/expire" not in page  # it expires by itself: the sweep's move, nobody's button
    assert "Закінчення строку" not in page.split("<h2>Історія</h2>")[0]


# --- my work -----------------------------------------------------------------------------------------------------
def work_rows(client: FlaskClient) -> list[list[str]]:
    page = client.get("/cabinet").get_data(as_text=True)
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [[text_of(cell) for cell in re.findall(r"<td>(.*?)</td>", row, flags=re.S)] for row in rows]


def test_my_work_lists_what_waits_for_me_most_urgent_first_and_forgets_what_i_did(site):
    world = site.world
    first = submitted(site)
    site.session.refresh(first)
    second = drafts.write_draft(site.session, world.actor(world.staff, 1), "Про освітлення вулиці Лісової",
                                "Текст.", now=world.at(1))
    drafts.submit_draft(site.session, second, world.actor(world.staff, 1), now=world.at(1))
    site.commit()
    client = site.client()
    sign_in(client, world.lawyer)

    rows = work_rows(client)

    # both requests are long overdue by now (the test council lives in March 2026), the one due first on top
    visas = [next(v for v in drafts.children(site.session, d, "visa") if v.fields["department_kind"] == "legal")
             for d in (first, second)]
    site.commit()
    assert linked(client, "/cabinet") == [visa.id for visa in visas]
    assert [row[:2] for row in rows] == [["Віза Юридичний відділ", "Очікує візи"]] * 2
    assert [row[2] for row in rows] == [f"прострочено: до {local(visa.due_at)}" for visa in visas]
    assert [row[3] for row in rows] == ["Завізувати, Повернути із зауваженнями"] * 2
    visa = visas[0]
    act(client, visa, "give")
    assert len(work_rows(client)) == 1


def linked(client: FlaskClient, path: str) -> list[int]:
    """The documents a page's table links to, in order."""
    page = client.get(path).get_data(as_text=True)
    return [int(found) for found in re.findall(r'<td>[^<]*<br><a href="/documents/(\d+)">', page)]


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


# --- refusals of an action change nothing ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("case", "status", "says", "lang"),
    [
        ("no csrf token", 400, "Форму не прийнято", "uk"),
        ("no version", 409, "the document changed after you opened it", "en"),
        ("no version", 409, "документ змінився після того, як ви його відкрили", "uk"),
        ("not possible in this state", 409, "&#39;submit&#39; is not possible while", "en"),
        ("not possible in this state", 409, "«submit» неможливо, поки документ на етапі «На візуванні»", "uk"),
        ("a rule does not hold", 409, "is not possible now", "en"),
        ("a rule does not hold", 409, "«Оприлюднити для обговорення» зараз неможливо", "uk"),
        ("unknown action", 409, "has no action &#39;sing&#39;", "en"),
        ("unknown action", 409, "немає дії «sing»", "uk"),
    ],
)
def test_a_refused_action_says_why_and_changes_nothing(site, case, status, says, lang):
    world = site.world
    draft = submitted(site)
    visas_before = [v.state for v in drafts.children(site.session, draft, "visa")]
    site.commit()
    client = site.client()
    sign_in(client, world.secretary if case == "a rule does not hold" else world.staff)
    before = stored(site, draft)
    data = {"csrf_token": token(client), "version": str(draft.version)}
    trigger = {"not possible in this state": "publish_for_discussion", "a rule does not hold": "publish_for_discussion",
               "unknown action": "sing"}.get(case, "withdraw")
    if case == "no csrf token":
        del data["csrf_token"]
    if case == "no version":
        del data["version"]
    if case == "not possible in this state":
        trigger = "submit"  # the draft awaits its visas: it was submitted already
    data["comment"] = "Причина"

    response = client.post(f"/documents/{draft.id}/actions/{trigger}?lang={lang}", data=data)

    assert response.status_code == status
    assert says in response.get_data(as_text=True)
    assert stored(site, draft) == before
    with site.app.extensions["radaflow"].sessions() as session:
        found = session.get(Document, draft.id)
        assert found is not None
        assert [v.state for v in drafts.children(session, found, "visa")] == visas_before


def test_acting_signed_out_asks_to_sign_in_and_an_outsider_is_refused_as_if_there_were_no_document(site):
    draft = submitted(site)
    citizen = setup.add_person(site.session, "Галина Остапчук", email="halyna@example.org", roles=["citizen"],
                               password=PASSWORD)
    site.commit()
    before = stored(site, draft)
    stranger = site.client()
    response = stranger.post(f"/documents/{draft.id}/actions/withdraw",
                             data={"csrf_token": token(stranger), "version": "2", "comment": "x"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")

    outsider = site.client()
    sign_in(outsider, citizen)
    response = act(outsider, draft, "withdraw", comment="x")

    assert response.status_code == 404
    assert stored(site, draft) == before


def test_an_empty_answer_is_refused_and_nothing_is_written(site):
    world = site.world
    _citizen, message = message_to_deputy(site, read=True)
    site.commit()
    client = site.client()
    sign_in(client, world.deputies[0])
    before = stored(site, message)

    response = act(client, message, "answer_privately", answer="   ")

    assert response.status_code == 422
    assert "відповідь порожня: спершу напишіть її" in response.get_data(as_text=True)
    assert stored(site, message) == before
    response = act(in_english(client), message, "answer_privately", answer="   ")
    assert response.status_code == 422
    assert "the answer is empty: write it first" in response.get_data(as_text=True)
    assert stored(site, message) == before


# --- actions that take more than one move, from the page ----------------------------------------------------------
def test_the_author_submits_a_draft_and_the_departments_are_asked(site):
    world = site.world
    draft = drafts.write_draft(site.session, world.actor(world.staff), "Про сквер", "Текст.", now=world.at(0))
    site.commit()
    client = site.client()
    sign_in(client, world.staff)
    assert 'id="submit-comment"' not in page_of(client, draft), "no comment box where none would be kept"

    assert act(client, draft, "submit").status_code == 302

    assert stored(site, draft)[0] == "visas"
    with site.app.extensions["radaflow"].sessions() as session:
        found = session.get(Document, draft.id)
        assert found is not None
        assert sorted(v.state for v in drafts.children(session, found, "visa")) == ["requested", "requested"]


@pytest.mark.parametrize(("who", "trigger"), [("staff", "withdraw"), ("secretary", "return_for_revision")])
def test_a_draft_withdrawn_or_returned_from_the_page_asks_the_departments_no_more(site, who, trigger):
    draft = submitted(site)
    client = site.client()
    sign_in(client, getattr(site.world, who))

    assert act(client, draft, trigger, comment="Питання вирішено інакше").status_code == 302

    assert stored(site, draft)[0] == {"withdraw": "withdrawn", "return_for_revision": "drafting"}[trigger]
    with site.app.extensions["radaflow"].sessions() as session:
        found = session.get(Document, draft.id)
        assert found is not None
        assert [v.state for v in drafts.children(session, found, "visa")] == ["cancelled", "cancelled"]


def test_revoking_a_delegation_from_its_page_ends_the_grant(site):
    world = site.world
    delegation = delegate_role(site.session, world.actor(world.lawyer), world.staff, "reviewer",
                               scope_id=world.legal.id, starts_at=world.at(-1), ends_at=world.at(1000),
                               reason="відпустка юриста", now=world.at(-1))
    site.commit()
    client = site.client()
    sign_in(client, world.lawyer)

    assert act(client, delegation, "revoke", comment="Юрист повернувся").status_code == 302

    assert stored(site, delegation)[0] == "revoked"
    with site.app.extensions["radaflow"].sessions() as session:
        grant = session.scalars(select(RoleGrant).where(RoleGrant.delegation_id == delegation.id)).one()
        assert grant.ends_at is not None


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
