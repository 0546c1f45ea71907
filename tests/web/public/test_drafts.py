"""The public drafts pages through the application: the list with the working days left of the discussion, a
draft's page with its text, path and comments, and citizens commenting — every refusal said and nothing changed;
and nothing internal on a public page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import build_world
from tests.web.conftest import app_in_transaction
from tests.web.pages import tables
from tests.web.public.portal import citizen, everything, form_token, post_comment, published_today
from tests.web.site import Site, in_english, sign_in, submitted, text_of
from tests.web.site import token as login_token
from workflow.council.discussion import discussion
from workflow.council.drafts import drafts
from workflow.engine import fire


# --- the list ------------------------------------------------------------------------------------------------------
def test_the_list_shows_drafts_open_for_discussion_with_the_working_days_left_and_the_others_with_their_stage(site):
    open_draft = published_today(site)
    reviewed = site.world.reviewed_draft("Про сквер на Садовій")
    internal = submitted(site)  # awaiting visas: not public
    site.commit()

    response = site.client().get("/drafts")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Проєкти рішень — Radaflow</title>" in page
    listed, others = tables(page)
    assert listed[1][0] == open_draft.title
    assert "Залишилося 10 робочих днів" in listed[1][2]
    assert listed[1][3] == "0 за, 0 проти, 0 нейтральних"
    assert others[1] == [reviewed.title, "Розгляд у комісіях"]
    assert internal.title not in text_of(page.replace(open_draft.title, ""))  # the same title: only the open one
    assert f'href="/drafts/{internal.id}"' not in page


def test_the_list_in_english_counts_the_days_by_english_plurals(site):
    published_today(site)

    page = text_of(in_english(site.client()).get("/drafts").get_data(as_text=True))

    assert "10 working days left" in page
    assert "Open for public discussion" in page


def test_a_page_beyond_the_last_is_not_found(site):
    client = site.client()
    assert client.get("/drafts?page=2").status_code == 404
    assert client.get("/drafts?page=abc").status_code == 404
    assert client.get("/drafts?page=99999999999999999999").status_code == 404


# --- a draft's page -------------------------------------------------------------------------------------------------
def test_a_draft_s_page_shows_its_text_stage_path_and_comments(site):
    draft = published_today(site)
    client = site.client()
    sign_in(client, citizen(site, "Петро Іваненко"))
    assert post_comment(client, draft, text="Дах тече давно.", name="Мешканець Садової").status_code == 302

    page = site.client().get(f"/drafts/{draft.id}").get_data(as_text=True)
    words = text_of(page)

    assert f"<title>{draft.title} — Radaflow</title>" in page
    assert "Етап Громадське обговорення" in words
    assert "Виділити 1,2 млн грн на ремонт." in words
    assert "Шлях рішення" in words
    assert re.search(rf"Ініційовано [\d.]+ [\d:]+ — {site.world.staff.full_name}", words)
    assert "Погоджено структурними підрозділами (візи)" in words
    assert "Юридичний відділ : візу надано" in words
    assert "Коментарі: 1 за, 0 проти, 0 нейтральних." in words
    assert "Мешканець Садової — за проєкт" in words
    assert "Дах тече давно." in words
    assert "Петро Іваненко" not in page  # the name the citizen chose, never their own
    assert "@example.org" not in page


def test_an_internal_draft_is_not_found_whoever_asks(site):
    visas = submitted(site)
    withdrawn = submitted(site)
    drafts.withdraw_draft(site.session, withdrawn, site.world.actor(site.world.staff), "Передумали")
    site.commit()
    secretary = site.client()
    sign_in(secretary, site.world.secretary)

    for draft in (visas, withdrawn):
        assert site.client().get(f"/drafts/{draft.id}").status_code == 404
        assert secretary.get(f"/drafts/{draft.id}").status_code == 404
    assert site.client().get("/drafts/2147483648").status_code == 404


def test_a_returned_visa_s_remarks_and_the_visas_awaited_never_reach_the_public_page(site):
    world = site.world
    draft = submitted(site)
    legal = next(v for v in drafts.children(site.session, draft, "visa") if v.fields["department_kind"] == "legal")
    fire(site.session, legal, "return", world.actor(world.lawyer), comment="Уточніть джерело коштів", now=world.at(1))
    site.commit()
    site.session.refresh(draft)
    for visa in drafts.submit_draft(site.session, draft, world.actor(world.staff, 2), now=world.at(2)):
        reviewer = world.lawyer if visa.fields["department_kind"] == "legal" else world.accountant
        fire(site.session, visa, "give", world.actor(reviewer, 2), now=world.at(2))
    fire(site.session, draft, "publish_for_discussion", world.actor(world.secretary, 2), now=world.at(2))
    site.commit()

    page = site.client().get(f"/drafts/{draft.id}").get_data(as_text=True)

    assert "Уточніть джерело коштів" not in page
    assert "Повернуто" not in page
    assert text_of(page).count("візу надано") == 2  # the round published, not the returned one


# --- commenting -----------------------------------------------------------------------------------------------------
def test_a_citizen_comments_and_sees_the_comment_published(site):
    draft = published_today(site)
    client = site.client()
    sign_in(client, citizen(site))

    form = client.get(f"/drafts/{draft.id}").get_data(as_text=True)
    assert 'value="Галина Остапчук"' in form  # offered their own name, which they may change
    response = post_comment(client, draft, text="<script>alert(1)</script> Проти!", position="against")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/drafts/{draft.id}#comments"
    page = client.get(f"/drafts/{draft.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Проти!" in page  # shown as text
    assert "<script>alert(1)" not in page
    assert "Ваш коментар опубліковано." in page
    with site.app.extensions["radaflow"].sessions() as session:
        [stored] = discussion.comments_of(session, draft.id)
        assert (stored.shown_name, stored.position) == ("Галина", "against")


def test_a_stranger_is_sent_to_sign_in_and_nothing_is_written(site):
    draft = published_today(site)
    client = site.client()
    token = login_token(client)
    before = everything(site)

    response = client.post(
        f"/drafts/{draft.id}/comments", data={"csrf_token": token, "name": "Я", "position": "for", "text": "Так"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next=/drafts/{draft.id}"
    assert before.differences(everything(site)) == []
    page = client.get(f"/drafts/{draft.id}").get_data(as_text=True)
    assert "Увійдіть, щоб прокоментувати проєкт." in page


@pytest.mark.parametrize(
    ("who", "draft_kind", "form", "status", "says"),
    [
        ("deputy", "open", {}, 403, "коментують лише громадяни"),
        ("citizen", "closed", {}, 409, "не винесено на громадське обговорення"),
        ("citizen", "open", {"text": "   "}, 422, "коментар порожній"),
        (
            "citizen",
            "open",
            {"text": "я" * (discussion.MAX_TEXT + 1)},
            422,
            "3001 символів; приймається щонайбільше 3000",
        ),
        ("citizen", "open", {"name": " "}, 422, "ім'я"),
        ("citizen", "open", {"position": "maybe"}, 422, "за, проти чи нейтрально"),
    ],
)
def test_a_refused_comment_says_why_keeps_what_was_typed_and_changes_nothing(site, who, draft_kind, form, status, says):
    draft = published_today(site) if draft_kind == "open" else site.world.reviewed_draft("Про сквер")
    site.commit()
    client = site.client()
    sign_in(client, site.world.deputies[0] if who == "deputy" else citizen(site))
    token = form_token(client, "/drafts")
    before = everything(site)

    data = {"csrf_token": token, "name": "Галина", "position": "for", "text": "Мій текст коментаря", **form}
    response = client.post(f"/drafts/{draft.id}/comments", data=data)

    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert "Не виконано." in page
    assert says in page.replace("&#39;", "'")
    assert before.differences(everything(site)) == []
    if status == 422 and "text" not in form:
        assert "Мій текст коментаря</textarea>" in page


def test_a_citizen_who_has_not_confirmed_the_address_is_told_to_and_cannot_comment(site):
    draft = published_today(site)
    person = citizen(site)
    person.email_confirmed_at = None  # registered, the link in the e-mail not yet opened
    site.commit()
    client = site.client()
    sign_in(client, person)

    page = client.get(f"/drafts/{draft.id}").get_data(as_text=True)
    assert "Спершу підтвердьте адресу" in page
    assert 'name="position"' not in page
    token = form_token(client, "/drafts")
    before = everything(site)
    data = {"csrf_token": token, "name": "Галина", "position": "for", "text": "Підтримую."}
    response = client.post(f"/drafts/{draft.id}/comments", data=data)

    assert response.status_code == 403
    assert "Не виконано. спершу підтвердьте адресу" in text_of(response.get_data(as_text=True))
    assert before.differences(everything(site)) == []


def test_a_stranger_is_offered_to_sign_in_or_register_and_come_back_to_the_draft(site):
    draft = published_today(site)
    page = site.client().get(f"/drafts/{draft.id}").get_data(as_text=True)
    assert f'<a href="/login?next=/drafts/{draft.id}%23write">Увійти</a>' in page
    assert f'<a href="/register?next=/drafts/{draft.id}%23write">зареєструйтеся</a>' in page


def test_a_comment_without_the_form_s_token_is_refused(site):
    draft = published_today(site)
    client = site.client()
    sign_in(client, citizen(site))
    before = everything(site)

    response = client.post(f"/drafts/{draft.id}/comments", data={"name": "Я", "position": "for", "text": "Так"})

    assert response.status_code == 400
    assert "Форму не прийнято" in response.get_data(as_text=True)
    assert before.differences(everything(site)) == []


@pytest.fixture
def limited(clean_environment: None, connection, tmp_path: Path):
    """The site with a limit of 2 posts a minute per address."""
    app = app_in_transaction(connection, tmp_path / "instance", limit_per_address="2 per minute")
    session = app.extensions["radaflow"].sessions()
    site = Site(app, build_world(session), session)
    session.commit()
    yield site
    session.close()
    app.extensions["radaflow"].engine.dispose()


def test_a_flood_of_comments_is_stopped_by_the_rate_limit(limited):
    draft = published_today(limited)
    client = limited.client()
    sign_in(client, citizen(limited))  # a sign-in that succeeds counts against no limit

    assert post_comment(client, draft, text="Перший").status_code == 302
    assert post_comment(client, draft, text="Другий").status_code == 302
    before = everything(limited)
    flood = post_comment(client, draft, text="Третій")

    assert flood.status_code == 429
    assert "Забагато спроб" in flood.get_data(as_text=True)
    assert flood.headers["Retry-After"]
    assert before.differences(everything(limited)) == []
