"""A web that keeps intruders out, tried as an intruder would: the headers every answer carries, sign-in guessed
at in a loop, a session cookie copied before its owner signed out, ids no record can have, requests too large
to read, and documents one may not read probed for whether they exist."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from tests.processes import redis_server
from tests.web.site import (
    PASSWORD,
    Site,
    act,
    in_english,
    sign_in,
    signed_in_as,
    stored,
    submitted,
    token,
)
from web import create_app
from workflow import limits, schema
from workflow.council.organisation import setup
from workflow.db import make_engine
from workflow.files import store_file
from workflow.notifications.models import Notification
from workflow.people import change_password, deactivate_person, load_actor

__all__ = ["redis_server"]  # a fixture: a Redis of the test's own

#: the web package: its shared templates (web/templates) and each blueprint's (web/<blueprint>/templates)
WEB = Path(__file__).resolve().parents[2] / "web"
TOO_BIG = ["/documents/2147483648", "/documents/99999999999999999999", "/documents/0"]


def same_page(response: TestResponse) -> tuple[int, str]:
    """Status and body, the CSRF token (new on every page) and the address asked for (which the language switch
    leads back to) left out."""
    body = re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]+"', "csrf", response.get_data(as_text=True))
    body = re.sub(r'([?&]|&amp;)next=[^"&]*', r"\1next=", body)
    return response.status_code, body


def outsider(site: Site) -> FlaskClient:
    """A signed-in citizen, who may read no internal paper."""
    citizen = setup.add_person(
        site.session, "Галина Остапчук", email="halyna@example.org", roles=["citizen"], password=PASSWORD
    )
    site.commit()
    client = site.client()
    sign_in(client, citizen)
    return client


# --- headers ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/login", "/documents/999999", "/static/radaflow.css"])
def test_every_answer_forbids_inline_script_framing_sniffing_and_telling_other_sites_where_one_was(site, path):
    with site.client().get(path) as response:
        headers = response.headers
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # development serves plain http://127.0.0.1


def test_production_tells_browsers_to_come_over_https_only(site, tmp_path):
    production = create_app(
        {
            "env": "production",
            "database_url": site.app.extensions["radaflow"].settings.database_url,
            "instance_dir": tmp_path / "production",
        }
    )
    try:
        response = production.test_client().get("/login")
    finally:
        production.extensions["radaflow"].engine.dispose()

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("template", sorted(path.relative_to(WEB).as_posix() for path in WEB.rglob("*.html")))
def test_no_template_has_inline_script_style_or_event_handlers_the_policy_would_block(template):
    text = (WEB / template).read_text(encoding="utf-8")

    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script>"
    assert "<style" not in text
    assert not re.search(r"\sstyle\s*=", text), "a style attribute"
    assert not re.search(r"\son[a-z]+\s*=", text), "an event handler attribute"
    assert "javascript:" not in text


# --- guessing passwords ----------------------------------------------------------------------------------------
def guess(client: FlaskClient, email: str | None, password: str = "не той пароль") -> TestResponse:
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token(client)})


def test_wrong_passwords_for_one_account_are_paused_after_five_with_retry_after(site):
    client = site.client()
    lawyer = site.world.lawyer

    answers = [guess(client, lawyer.email).status_code for _ in range(30)]

    assert answers[:5] == [422] * 5
    assert set(answers[5:]) == {429}
    paused = guess(client, lawyer.email, PASSWORD)  # the right password waits too: guessing gets no answer
    assert paused.status_code == 429
    assert 1 <= int(paused.headers["Retry-After"]) <= 60
    page = paused.get_data(as_text=True)
    assert "Забагато спроб за короткий час. Спробуйте знову через" in page
    english = guess(in_english(client), lawyer.email, PASSWORD)
    assert english.status_code == 429
    assert "Too many attempts in a short time: try again in" in english.get_data(as_text=True)
    assert signed_in_as(client) is None
    assert guess(site.client(), site.world.staff.email, PASSWORD).status_code == 302  # others sign in as ever


def test_the_address_a_guesser_types_is_counted_however_it_is_written(site):
    client = site.client()
    email = str(site.world.lawyer.email)
    for spelling in (email, email.upper(), f"  {email} ", email.title(), email):
        guess(client, spelling)

    assert guess(client, email).status_code == 429


def test_signing_in_rightly_does_not_count_against_the_account(site):
    client = site.client()
    for _ in range(8):
        assert guess(client, site.world.lawyer.email, PASSWORD).status_code == 302
        client.post("/logout", data={"csrf_token": token(client)})

    assert guess(client, site.world.lawyer.email).status_code == 422


def test_one_address_guessing_many_accounts_is_paused_after_thirty(site):
    client = site.client()

    answers = [guess(client, f"nobody{i}@rada.example").status_code for i in range(31)]

    assert answers[:30] == [422] * 30
    assert answers[30] == 429
    assert "Retry-After" in guess(client, "someone-else@rada.example").headers
    other = site.app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"  # another client still signs in
    assert guess(other, site.world.lawyer.email, PASSWORD).status_code == 302


def test_the_limits_are_set_by_configuration(clean_environment, database_url, tmp_path):
    engine = make_engine(database_url)
    schema.upgrade(engine)
    engine.dispose()
    app = create_app(
        {
            "database_url": database_url,
            "instance_dir": tmp_path / "instance",
            "limit_per_account": "2 per hour",
            "limit_per_address": "1000 per minute",
        }
    )
    try:
        client = app.test_client()
        answers = [guess(client, "x@rada.example").status_code for _ in range(3)]
    finally:
        app.extensions["radaflow"].engine.dispose()

    assert answers == [422, 422, 429]


def test_a_limit_that_cannot_be_read_stops_the_start(clean_environment, tmp_path):
    from workflow.config import ConfigError

    with pytest.raises(ConfigError, match="RADAFLOW_LIMIT_PER_ACCOUNT='five a minute'"):
        create_app(
            {
                "database_url": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                "instance_dir": tmp_path,
                "limit_per_account": "five a minute",
            }
        )


def test_with_redis_every_web_process_counts_the_same_attempts(clean_environment, tmp_path, redis_server):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    engine = make_engine(url)
    schema.upgrade(engine)
    engine.dispose()
    workers = [
        create_app({"database_url": url, "instance_dir": tmp_path / "instance", "redis_url": redis_server.url})
        for _ in range(2)
    ]
    try:
        answers = [guess(workers[i % 2].test_client(), "shared@rada.example").status_code for i in range(6)]
    finally:
        for app in workers:
            app.extensions["radaflow"].engine.dispose()

    assert answers == [422] * 5 + [429]


# --- sessions end for good ---------------------------------------------------------------------------------------
def test_a_cookie_copied_before_logout_opens_nothing_after_it(site):
    draft = submitted(site)
    site.commit()
    owner = site.client()
    sign_in(owner, site.world.staff)
    cookie = owner.get_cookie("session")
    assert cookie is not None
    copy = cookie.value
    form = {"csrf_token": token(owner), "version": str(draft.version), "comment": "Відкликаю"}

    owner.post("/logout", data={"csrf_token": token(owner)})
    intruder = site.client()
    intruder.set_cookie("session", copy)

    page = intruder.get("/cabinet")
    assert (page.status_code, page.headers["Location"]) == (302, "/login?next=%2Fcabinet")
    assert signed_in_as(intruder) is None
    before = stored(site, draft)
    acted = intruder.post(f"/documents/{draft.id}/actions/withdraw", data=form)
    assert acted.status_code == 302
    assert acted.headers["Location"].startswith("/login")
    assert stored(site, draft) == before


def test_signing_out_ends_the_person_s_other_sessions_too(site):
    elsewhere = site.client()
    sign_in(elsewhere, site.world.lawyer)
    here = site.client()
    sign_in(here, site.world.lawyer)

    here.post("/logout", data={"csrf_token": token(here)})

    assert signed_in_as(elsewhere) is None
    sign_in(here, site.world.lawyer)  # signing in again starts a session that holds
    assert signed_in_as(here) == site.world.lawyer.full_name


def test_a_new_password_ends_every_session_and_the_old_one_opens_nothing(site):
    lawyer = site.world.lawyer
    client = site.client()
    sign_in(client, lawyer)

    change_password(
        site.session, load_actor(site.session, lawyer.id), lawyer, "новий-довгий-пароль", current_password=PASSWORD
    )
    site.commit()

    assert signed_in_as(client) is None
    assert sign_in(client, lawyer).status_code == 422
    assert sign_in(client, lawyer, "новий-довгий-пароль").status_code == 302


def test_a_deactivated_person_is_signed_out_everywhere_and_cannot_sign_in(site):
    lawyer = site.world.lawyer
    admin = setup.add_person(site.session, "Дмитро Мартинюк", email="admin@rada.example", roles=["admin"])
    site.commit()
    client = site.client()
    sign_in(client, lawyer)

    deactivate_person(site.session, load_actor(site.session, admin.id), lawyer)
    site.commit()

    assert signed_in_as(client) is None
    response = sign_in(site.client(), lawyer)
    assert response.status_code == 422
    assert "Неправильна адреса електронної пошти або пароль." in response.get_data(as_text=True)


def test_a_cookie_from_before_session_epochs_or_forged_signs_nobody_in(site):
    client = site.client()
    with client.session_transaction() as session:
        session["_user_id"] = str(site.world.lawyer.id)  # no epoch: an old or a made-up cookie
        session["_fresh"] = True

    assert signed_in_as(client) is None


# --- ids no record can have -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", [*TOO_BIG, "/documents/1/files/99999999999999999999", "/documents/99999999999999999999/files/1"]
)
def test_an_id_out_of_range_is_simply_not_found(site, path):
    client = site.client()
    sign_in(client, site.world.lawyer)

    assert client.get(path).status_code == 404
    assert site.client().get(path).status_code == 404  # not even a stranger is sent to sign in for it


@pytest.mark.parametrize("document_id", ["2147483648", "99999999999999999999"])
def test_an_action_on_an_id_out_of_range_is_not_found_and_changes_nothing(site, document_id):
    client = site.client()
    sign_in(client, site.world.lawyer)

    response = client.post(f"/documents/{document_id}/actions/give", data={"csrf_token": token(client), "version": "1"})

    assert response.status_code == 404


@pytest.mark.parametrize("value", ["2147483648", "99999999999999999999", "0", "١٢"])
def test_marking_read_an_id_out_of_range_is_refused_and_marks_nothing(site, value):
    submitted(site)
    mine = site.session.scalars(select(Notification.id).where(Notification.person_id == site.world.lawyer.id)).all()
    site.commit()
    client = site.client()
    sign_in(client, site.world.lawyer)

    response = client.post("/notifications/read", data={"id": [str(mine[0]), value], "csrf_token": token(client)})

    assert response.status_code == 422
    assert "Форма не назвала жодного сповіщення." in response.get_data(as_text=True)
    with site.app.extensions["radaflow"].sessions() as session:
        assert mine
        assert session.scalars(select(Notification.read_at).where(Notification.id.in_(mine))).all() == [None] * len(
            mine
        )


# --- requests too large -----------------------------------------------------------------------------------------
class Upload(io.BytesIO):
    """A file's content that remembers how much of it was read."""

    read_up_to = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.read_up_to = self.tell()
        return chunk


def upload(client: FlaskClient, size: int, path: str = "/login") -> tuple[TestResponse, Upload]:
    body = Upload(b'--b\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\n' + b"x" * size)
    response = client.post(
        path, input_stream=body, content_length=len(body.getvalue()), content_type="multipart/form-data; boundary=b"
    )
    return response, body


def test_an_anonymous_upload_larger_than_the_limit_is_refused_before_it_is_read(site):
    response, body = upload(site.client(), 30 * 1024 * 1024)

    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "файли — щонайбільше 25 МБ разом" in page
    assert body.read_up_to == 0, "the body was read instead of refused"
    response, body = upload(site.client(), 30 * 1024 * 1024, "/login?lang=en")
    assert response.status_code == 413
    assert "at most 25 MB of files" in response.get_data(as_text=True)
    assert body.read_up_to == 0, "the body was read instead of refused"


def test_a_form_without_files_carries_at_most_a_megabyte_of_text(site):
    client = site.client()

    response = client.post(
        "/login", data={"email": "a@b.example", "password": "x" * (2 * 1024 * 1024), "csrf_token": token(client)}
    )

    assert response.status_code == 413
    assert "текст форми — щонайбільше 1 МБ" in response.get_data(as_text=True)
    response = in_english(client).post(
        "/login", data={"email": "a@b.example", "password": "x" * (2 * 1024 * 1024), "csrf_token": token(client)}
    )
    assert response.status_code == 413
    assert "1 MB of form text" in response.get_data(as_text=True)


def test_an_address_or_password_too_long_for_the_form_is_refused_saying_how_long_they_may_be(site):
    client = site.client()

    response = client.post(
        "/login", data={"email": "a" * 300 + "@rada.example", "password": "п" * 1001, "csrf_token": token(client)}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Адреса електронної пошти — щонайбільше 254 символи." in page
    assert "Пароль — щонайбільше 1000 символів." in page
    response = in_english(client).post(
        "/login", data={"email": "a" * 300 + "@rada.example", "password": "п" * 1001, "csrf_token": token(client)}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "An e-mail address is at most 254 characters." in page
    assert "A password is at most 1000 characters." in page


@pytest.mark.parametrize(
    ("letter", "status", "says", "says_in_english"),
    [
        (
            "x",
            422,
            f"коментар задовгий (символів: 300000); зберігається щонайбільше {limits.COMMENT}",
            f"the comment has 300000 characters; at most {limits.COMMENT} are kept",
        ),
        # 300,000 Cyrillic letters are 1.8 MB once URL-encoded
        ("б", 413, "текст форми — щонайбільше 1 МБ", "at most 25 MB of files, 1 MB of form text"),
    ],
)
def test_a_comment_of_300_000_characters_is_refused_with_the_limit_and_nothing_is_written(
    site,
    letter,
    status,
    says,
    says_in_english,
):
    draft = submitted(site)
    site.commit()
    client = site.client()
    sign_in(client, site.world.staff)
    before = stored(site, draft)

    response = act(client, draft, "withdraw", comment=letter * 300_000)

    assert response.status_code == status
    assert says in response.get_data(as_text=True)
    assert stored(site, draft) == before
    response = act(in_english(client), draft, "withdraw", comment=letter * 300_000)
    assert response.status_code == status
    assert says_in_english in response.get_data(as_text=True)
    assert stored(site, draft) == before
    assert f'maxlength="{limits.COMMENT}"' in client.get(f"/documents/{draft.id}").get_data(as_text=True)


# --- whether a document exists is told to nobody who may not read it -------------------------------------------
def test_a_stranger_is_sent_to_sign_in_for_an_unreadable_document_as_for_a_missing_one(site):
    draft = submitted(site)
    site.commit()
    missing = draft.id + 1000

    unreadable = site.client().get(f"/documents/{draft.id}")
    absent = site.client().get(f"/documents/{missing}")

    assert unreadable.status_code == absent.status_code == 302
    assert unreadable.headers["Location"].replace(str(draft.id), "N") == absent.headers["Location"].replace(
        str(missing), "N"
    )


def test_a_signed_in_outsider_gets_the_same_answer_for_an_unreadable_document_as_for_a_missing_one(site):
    draft = submitted(site)
    file = store_file(
        site.session, draft, "decision", b"PK docx", key="manual:test", now=site.world.at(0), filename="draft.docx"
    )
    site.commit()
    client = outsider(site)
    missing = draft.id + 1000

    for unreadable, absent in [
        (f"/documents/{draft.id}", f"/documents/{missing}"),
        (f"/documents/{draft.id}/files/{file.id}", f"/documents/{missing}/files/{file.id}"),
    ]:
        assert same_page(client.get(unreadable)) == same_page(client.get(absent))
        assert client.get(unreadable).status_code == 404
    before = stored(site, draft)
    posted = {"csrf_token": token(client), "version": str(draft.version), "comment": "x"}
    answers = [
        same_page(client.post(f"/documents/{document_id}/actions/withdraw", data=posted))
        for document_id in (draft.id, missing)
    ]
    assert answers[0] == answers[1]
    assert answers[0][0] == 404
    assert stored(site, draft) == before
