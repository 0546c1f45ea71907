"""Signing in and out of the cabinet, as a browser does it: an e-mail address and a password, a CSRF token on
every form, one message for any wrong sign-in, and only this site's pages to land on."""

from __future__ import annotations

import pytest

import web.auth.views
from tests.web.site import (
    PASSWORD,
    sign_in,
    signed_in_as,
    token,
)
from web import create_app
from workflow.people import Person


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
    person = {
        "wrong password": site.world.lawyer,
        "unknown address": Person(full_name="Ніхто", email="x@y.example"),
        "no account": site.world.accountant,
    }[who]

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
    [
        ("/documents/1", "/documents/1"),
        ("//evil.example/login", "/notifications"),
        ("/\\evil.example/login", "/notifications"),
        ("https://evil.example/", "/notifications"),
        ("javascript:alert(1)", "/notifications"),
    ],
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
    production = create_app(
        {
            "env": "production",
            "database_url": site.app.extensions["radaflow"].settings.database_url,
            "instance_dir": tmp_path / "production",
        }
    )
    assert production.config["SESSION_COOKIE_SECURE"] is True
    production.extensions["radaflow"].engine.dispose()


def test_a_person_without_an_account_is_checked_as_long_as_a_wrong_password(site, monkeypatch):
    checked: list[str | None] = []
    real = web.auth.views.check_password

    def spy(person: Person, password: str) -> bool:
        checked.append(person.password_hash)
        return real(person, password)

    monkeypatch.setattr(web.auth.views, "check_password", spy)
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
