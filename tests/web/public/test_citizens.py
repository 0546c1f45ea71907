"""Citizens write to deputies: registration with an e-mail confirmed from the link the test's SMTP server
received, writing from the deputy's page, following one's messages, the deputy answering in the cabinet; and
every refusal on the way, each leaving the database as it was."""

from __future__ import annotations

import re
import time
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlalchemy import Connection, func, select

from tests.processes import Mailbox, wait_for
from tests.web.public.conftest import form_token, mailed_site, nothing_changed
from tests.web.site import PASSWORD, Site, sign_in, text_of
from workflow.council.organisation import setup
from workflow.engine.models import Document
from workflow.people import Person

CITIZEN = {"full_name": "Галина Остапчук", "email": "Halyna@Example.org", "password": "дуже-довгий-пароль"}


def register(client: FlaskClient, **fields: str):  # type: ignore[no-untyped-def]
    data = {**CITIZEN, **fields, "csrf_token": form_token(client, "/register")}
    return client.post("/register", data=data)


def confirmation_path(mail: Mailbox) -> str:
    wait_for(lambda: mail.count() >= 1, timeout=30, what="the confirmation e-mail")
    body = mail.received[-1].get_content()
    found = re.search(r"https?://[^/\s]+(/register/confirm/\S+)", body)
    assert found is not None, body
    return found.group(1)


def write(client: FlaskClient, deputy_id: int, subject: str = "Освітлення", text: str = "Не світять ліхтарі."):  # type: ignore[no-untyped-def]
    token = form_token(client, "/register")
    return client.post(f"/deputies/{deputy_id}/messages", data={"subject": subject, "text": text, "csrf_token": token})


def confirmed_citizen(site: Site, name: str = "Петро Іваненко", email: str = "petro@example.org") -> Person:
    citizen = setup.add_person(site.session, name, email=email, roles=["citizen"], password=PASSWORD)
    site.commit()
    return citizen


def messages_count(site: Site) -> int:
    return (
        site.session.scalar(select(func.count()).select_from(Document).where(Document.kind == "citizen_message")) or 0
    )


def test_a_citizen_registers_confirms_writes_and_the_public_answer_reaches_the_deputys_page(
    portal: Site, portal_mail: Mailbox
) -> None:
    world = portal.world
    deputy = world.deputies[0]
    citizen = portal.client()

    registered = register(citizen)
    assert registered.status_code == 200
    assert "Перевірте пошту" in registered.get_data(as_text=True)
    path = confirmation_path(portal_mail)
    (mail,) = portal_mail.received
    assert mail["To"].addresses[0].addr_spec == "halyna@example.org"
    assert mail["Subject"] == "Підтвердьте адресу електронної пошти"

    # before the address is confirmed, signing in works but writing does not
    assert sign_in(citizen, Person(email="halyna@example.org"), CITIZEN["password"]).status_code == 302
    page = citizen.get(f"/deputies/{deputy.id}").get_data(as_text=True)
    assert "Спершу підтвердьте адресу" in page
    assert write(citizen, deputy.id).status_code == 403

    confirmed = citizen.get(path)
    assert confirmed.status_code == 200
    assert "Адресу підтверджено" in confirmed.get_data(as_text=True)
    assert 'name="subject"' in citizen.get(f"/deputies/{deputy.id}").get_data(as_text=True)
    sent = write(citizen, deputy.id, text="<script>alert(1)</script> Не світять ліхтарі.")
    assert sent.status_code == 302
    assert sent.headers["Location"] == "/my/messages"
    mine = citizen.get("/my/messages").get_data(as_text=True)
    assert "Освітлення" in mine
    assert "Надіслано" in mine
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mine
    assert "<script>" not in mine

    # the deputy's inbox in the cabinet, with its age and due date; reading, then answering publicly
    member = portal.client()
    sign_in(member, deputy)
    inbox = member.get("/cabinet/messages").get_data(as_text=True)
    assert "<title>Звернення громадян — Radaflow</title>" in inbox
    (message_id,) = (int(i) for i in re.findall(r'href="/cabinet/messages/(\d+)"', inbox))
    assert "0 дн." in text_of(inbox)
    token = form_token(member, f"/cabinet/messages/{message_id}")
    assert member.post(f"/cabinet/messages/{message_id}/read", data={"csrf_token": token}).status_code == 302
    page = member.get(f"/cabinet/messages/{message_id}").get_data(as_text=True)
    assert "Відповісти до" in page
    answered = member.post(
        f"/cabinet/messages/{message_id}/answer",
        data={"csrf_token": token, "answer": "Ліхтарі полагодять у п'ятницю.", "visibility": "public"},
    )
    assert answered.status_code == 302
    assert "Жодне звернення не чекає" in member.get("/cabinet/messages").get_data(as_text=True)

    public = portal.client().get(f"/deputies/{deputy.id}").get_data(as_text=True)
    assert "Освітлення" in public
    assert "Ліхтарі полагодять у п&#39;ятницю." in public
    assert "Галина" not in public
    assert "halyna@example.org" not in public.lower()
    assert "Ліхтарі полагодять у п&#39;ятницю." in citizen.get("/my/messages").get_data(as_text=True)
    wait_for(lambda: portal_mail.count() >= 2, timeout=30, what="the e-mail telling the citizen of the answer")


def test_registering_from_a_deputys_page_leads_back_to_it_after_confirming_and_signing_in(
    portal: Site, portal_mail: Mailbox
) -> None:
    deputy = portal.world.deputies[0]
    client = portal.client()
    back = f"/deputies/{deputy.id}#write"
    page = client.get(f"/deputies/{deputy.id}").get_data(as_text=True)
    assert f'href="/register?next=/deputies/{deputy.id}%23write"' in page

    token = form_token(client, f"/register?next={quote(back)}")
    registered = client.post(f"/register?next={quote(back)}", data={**CITIZEN, "csrf_token": token})
    assert f'href="/login?next=/deputies/{deputy.id}%23write"' in registered.get_data(as_text=True)
    path = confirmation_path(portal_mail)
    assert path.endswith(f"?next=/deputies/{deputy.id}%23write")

    confirmed = client.get(path).get_data(as_text=True)
    assert "Увійдіть — і зможете писати депутатам" in confirmed
    assert f'<a href="/login?next=/deputies/{deputy.id}%23write">Увійти</a>' in confirmed
    signed = sign_in(client, Person(email="halyna@example.org"), CITIZEN["password"], next_=quote(back))
    assert signed.headers["Location"] == back
    assert 'name="subject"' in client.get(f"/deputies/{deputy.id}").get_data(as_text=True)

    # the same link opened again once signed in: on to the page, no second sign-in
    again = client.get(path).get_data(as_text=True)
    assert f'<a href="{back}">Далі</a>' in again


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_a_way_back_to_another_site_is_dropped_from_the_link_and_the_confirmation_leads_to_the_deputies(
    portal: Site, portal_mail: Mailbox, elsewhere: str
) -> None:
    client = portal.client()
    token = form_token(client, "/register")
    client.post(f"/register?next={quote(elsewhere)}", data={**CITIZEN, "csrf_token": token})
    path = confirmation_path(portal_mail)
    assert "next" not in path
    assert "evil" not in portal_mail.received[-1].get_content()

    confirmed = client.get(path + f"?next={quote(elsewhere)}").get_data(as_text=True)
    assert '<a href="/login?next=/deputies">Увійти</a>' in confirmed
    assert "evil" not in confirmed.split('<main id="main">')[1]


def test_a_deputy_finds_the_citizens_messages_from_the_header_and_staff_have_no_such_link(portal: Site) -> None:
    citizen = portal.client()
    sign_in(citizen, confirmed_citizen(portal))
    write(citizen, portal.world.deputies[0].id)
    member = portal.client()
    sign_in(member, portal.world.deputies[0])

    header = member.get("/notifications").get_data(as_text=True).split("</header>")[0]
    assert '<a href="/cabinet/messages">Звернення громадян</a>' in header
    assert "Освітлення" in member.get("/cabinet/messages").get_data(as_text=True)
    for person in (portal.world.secretary, confirmed_citizen(portal, "Ольга Ярош", "olha@example.org")):
        other = portal.client()
        sign_in(other, person)
        assert "/cabinet/messages" not in other.get("/notifications").get_data(as_text=True)


def test_a_private_answer_stays_off_the_deputys_page(portal: Site) -> None:
    deputy = portal.world.deputies[0]
    citizen = portal.client()
    sign_in(citizen, confirmed_citizen(portal))
    write(citizen, deputy.id, subject="Приватне питання", text="Моя адреса: вул. Лісова, 3.")
    member = portal.client()
    sign_in(member, deputy)
    (message_id,) = (
        int(i) for i in re.findall(r'/cabinet/messages/(\d+)"', member.get("/cabinet/messages").get_data(as_text=True))
    )
    token = form_token(member, f"/cabinet/messages/{message_id}")
    member.post(f"/cabinet/messages/{message_id}/read", data={"csrf_token": token})

    refused = member.post(f"/cabinet/messages/{message_id}/answer", data={"csrf_token": token, "answer": "Так."})
    assert refused.status_code == 422
    assert "Оберіть, публічна відповідь чи особиста." in refused.get_data(as_text=True)
    member.post(
        f"/cabinet/messages/{message_id}/answer",
        data={"csrf_token": token, "answer": "Відповідаю особисто.", "visibility": "private"},
    )

    public = portal.client().get(f"/deputies/{deputy.id}").get_data(as_text=True)
    for secret in ("Приватне питання", "Лісова", "Відповідаю особисто.", "Петро"):
        assert secret not in public
    assert "відповідей: 1" in text_of(public)
    assert "Відповідаю особисто." in citizen.get("/my/messages").get_data(as_text=True)


def test_another_deputy_cannot_open_or_answer_the_message(portal: Site) -> None:
    citizen = portal.client()
    sign_in(citizen, confirmed_citizen(portal))
    write(citizen, portal.world.deputies[0].id)
    message_id = portal.session.scalar(select(Document.id).where(Document.kind == "citizen_message"))
    other = portal.client()
    sign_in(other, portal.world.deputies[1])
    token = form_token(other, "/register")

    with nothing_changed(portal):
        assert other.get(f"/cabinet/messages/{message_id}").status_code == 404
        assert other.post(f"/cabinet/messages/{message_id}/read", data={"csrf_token": token}).status_code == 404


def test_a_taken_address_is_answered_like_a_new_one_and_changes_nothing(portal: Site, portal_mail: Mailbox) -> None:
    deputy = portal.world.deputies[0]
    client = portal.client()
    first = register(client, email="someone-new@example.org").get_data(as_text=True)
    confirmation_path(portal_mail)

    with nothing_changed(portal):
        again = register(portal.client(), email=deputy.email.upper())

    assert again.status_code == 200
    # the same words, but for the address typed in
    told = text_of(again.get_data(as_text=True)).replace(deputy.email.upper(), "ADDRESS")
    assert told == text_of(first).replace("someone-new@example.org", "ADDRESS")
    time.sleep(0.5)
    assert portal_mail.count() == 1


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"password": "короткий"}, "Пароль має від 10 до 1000 символів."),
        ({"email": "не адреса"}, "це не адреса електронної пошти"),
        ({"full_name": "   "}, "Напишіть своє ім"),
        ({"full_name": "Я" * 201}, "щонайбільше 200 символів"),
    ],
)
def test_bad_registrations_are_refused_with_the_reason(portal: Site, fields: dict[str, str], said: str) -> None:
    with nothing_changed(portal):
        refused = register(portal.client(), **fields)
    assert refused.status_code == 422
    assert said in refused.get_data(as_text=True)


def test_a_registration_without_the_forms_token_is_refused(portal: Site) -> None:
    with nothing_changed(portal):
        refused = portal.client().post("/register", data=CITIZEN)
    assert refused.status_code == 400


def test_a_forged_or_expired_link_confirms_nothing(
    portal: Site, portal_mail: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(portal.client())
    path = confirmation_path(portal_mail)
    client = portal.client()
    forged = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")

    with nothing_changed(portal):
        refused = client.get(forged)
        assert refused.status_code == 400
        assert "Це посилання для підтвердження недійсне." in refused.get_data(as_text=True)
        # another person's id in a link signed with another key
        assert client.get("/register/confirm/WzEsImFAYi5jIl0.Z0123.abcdefgh").status_code == 400

        later = time.time() + 49 * 3600
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(later))
        expired = client.get(path)
        assert expired.status_code == 400
        assert "Термін дії посилання минув" in expired.get_data(as_text=True)
    person = portal.session.scalar(select(Person).where(Person.email == "halyna@example.org"))
    assert person is not None
    assert person.email_confirmed_at is None


def test_writing_to_someone_who_is_not_a_deputy_is_not_found_and_changes_nothing(portal: Site) -> None:
    citizen = portal.client()
    sign_in(citizen, confirmed_citizen(portal))
    for person in (portal.world.mayor, portal.world.secretary):
        with nothing_changed(portal):
            assert write(citizen, person.id).status_code == 404
    assert messages_count(portal) == 0


def test_a_message_too_long_or_empty_is_refused_with_the_reason(portal: Site) -> None:
    citizen = portal.client()
    sign_in(citizen, confirmed_citizen(portal))
    deputy = portal.world.deputies[0]
    with nothing_changed(portal):
        too_long = write(citizen, deputy.id, text="а" * 5001)
        empty = write(citizen, deputy.id, subject="")
    assert too_long.status_code == 422
    assert "Звернення — щонайбільше 5000 символів." in too_long.get_data(as_text=True)
    assert empty.status_code == 422
    assert "Напишіть тему звернення." in empty.get_data(as_text=True)


def test_signed_out_the_page_invites_to_sign_in_and_writing_asks_for_it(portal: Site) -> None:
    deputy = portal.world.deputies[0]
    client = portal.client()
    page = client.get(f"/deputies/{deputy.id}").get_data(as_text=True)
    assert f'href="/register?next=/deputies/{deputy.id}%23write"' in page
    with nothing_changed(portal):
        response = write(client, deputy.id)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_flood_of_registrations_is_paused(
    clean_environment: None,
    connection: Connection,
    tmp_path,
    mailbox: tuple[Mailbox, int],  # type: ignore[no-untyped-def]
) -> None:
    site = mailed_site(connection, tmp_path, mailbox[1], limit_per_address="2 per minute")
    client = site.client()
    register(client, email="one@example.org")
    register(client, email="two@example.org")

    with nothing_changed(site):
        paused = register(client, email="three@example.org")

    assert paused.status_code == 429
    assert "Retry-After" in paused.headers
    assert site.session.scalar(select(Person.id).where(Person.email == "three@example.org")) is None
    site.session.close()
    site.app.extensions["radaflow"].engine.dispose()


def test_registering_again_before_confirming_sends_a_new_link_and_changes_nothing_else(
    portal: Site, portal_mail: Mailbox
) -> None:
    register(portal.client())
    confirmation_path(portal_mail)
    person = portal.session.scalar(select(Person).where(Person.email == "halyna@example.org"))
    assert person is not None
    password_hash = person.password_hash

    again = register(portal.client(), full_name="Хтось Інший", password="зовсім-інший-пароль")

    assert again.status_code == 200
    wait_for(lambda: portal_mail.count() == 2, timeout=30, what="the second confirmation e-mail")
    path = confirmation_path(portal_mail)
    portal.session.expire_all()
    assert (person.full_name, person.password_hash) == ("Галина Остапчук", password_hash)
    assert portal.client().get(path).status_code == 200
    portal.session.expire_all()
    assert person.email_confirmed_at is not None
