"""The administrator's people and roles through the application: the list searched and paged, a person added with
or without an account, renamed, deactivated (their cookie stops working at once) and reactivated; a link to set a
password that works once, expires and is refused when forged, sent by the administrator or asked for from the
sign-in page (answered the same whether or not the address has an account, and rate-limited); roles granted with
their dates and ended with a reason. Nobody but an administrator reaches any of it, and every refused form
changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from tests.web.admin.people_site import admin_client, link_in, mails_to, stored_person, with_admin
from tests.web.cabinet.sessions_site import nothing_changes, post
from tests.web.site import PASSWORD, in_english, password_hash, sign_in, signed_in_as, text_of, token
from web.ids import MAX_ID
from workflow.council.accounts.models import AccountEvent, PasswordReset
from workflow.council.organisation import setup
from workflow.notifications.models import OutgoingMail
from workflow.people import Person, RoleGrant
from workflow.timeutil import utcnow

NEW_PASSWORD = "мій-власний-новий-пароль"


def grants(site, person, role=None):
    with site.app.extensions["radaflow"].sessions() as session:
        query = select(RoleGrant).where(RoleGrant.person_id == person.id)
        if role is not None:
            query = query.where(RoleGrant.role == role)
        found = list(session.scalars(query.order_by(RoleGrant.id)))
        for grant in found:
            session.expunge(grant)
        return found


def set_password(client, link, password=NEW_PASSWORD, again=None):
    return client.post(link, data={"csrf_token": token(client), "password": password, "again": again or password})


# --- the list --------------------------------------------------------------------------------------------------
def test_the_header_leads_the_administrator_to_the_people_and_nobody_else(site):
    client, _admin = admin_client(site)
    assert '<a href="/admin">Адміністрування</a>' in client.get("/cabinet").get_data(as_text=True)
    assert 'href="/admin/people">Люди й облікові записи</a>' in client.get("/admin").get_data(as_text=True)

    other = site.client()
    sign_in(other, site.world.secretary)
    assert 'href="/admin"' not in other.get("/cabinet").get_data(as_text=True)
    assert "/admin/people" not in other.get("/admin").get_data(as_text=True)


def test_the_list_finds_persons_by_any_part_of_the_name_in_any_case_and_by_address(site):
    client, _admin = admin_client(site)
    staff = site.world.staff

    page = text_of(client.get("/admin/people?q=МЕЛЬНИК").get_data(as_text=True))
    assert "Знайдено: 1" in page
    assert f"Оксана Мельник {staff.email} працівник виконавчого органу діє" in page
    by_address = client.get(f"/admin/people?q={staff.email.split('@')[0].upper()}").get_data(as_text=True)
    assert "Оксана Мельник" in by_address
    nobody = text_of(client.get("/admin/people?q=%25_\\").get_data(as_text=True))
    assert "Знайдено: 0" in nobody
    assert "Нікого не знайдено." in nobody


def test_the_list_is_paged_fifty_at_a_time(site):
    client, _admin = admin_client(site)
    for i in range(60):
        setup.add_person(site.session, f"Яковенко {i:02d}")
    site.commit()

    first = text_of(client.get("/admin/people?q=яковенко").get_data(as_text=True))
    second = client.get("/admin/people?q=яковенко&page=2").get_data(as_text=True)

    assert "Знайдено: 60" in first
    assert "сторінка 1 з 2" in first
    assert "Яковенко 49" in first
    assert "Яковенко 50" not in first
    assert "Яковенко 59" in second
    assert 'rel="prev"' in second
    assert client.get("/admin/people?page=999").status_code == 200  # past the end: the last page
    assert client.get("/admin/people?page=-1").status_code == 200


# --- a new person ----------------------------------------------------------------------------------------------
def test_a_person_added_with_an_account_gets_a_link_sets_a_password_and_signs_in(site):
    client, _admin = admin_client(site)

    response = post(
        client, "/admin/people/new", full_name="  Нова   Людина ", email="Nova@Rada.example", locale="en", account="y"
    )

    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Нова Людина додано; посилання для встановлення пароля надіслано на nova@rada.example." in page
    assert "Обліковий запис пароль ще не встановлено" in page
    (mail,) = mails_to(site, "nova@rada.example")
    assert mail.subject == "Your Radaflow account: set your password"  # in the person's language
    assert "An account has been opened for you" in mail.body

    newcomer = site.client()
    form = newcomer.get(link_in(mail))
    assert form.status_code == 200
    assert "<h1>Встановіть пароль</h1>" in form.get_data(as_text=True)
    assert set_password(newcomer, link_in(mail)).status_code == 302
    person = site.session.scalar(select(Person).where(Person.email == "nova@rada.example"))
    assert sign_in(newcomer, person, NEW_PASSWORD).status_code == 302
    assert signed_in_as(newcomer) == "Нова Людина"


def test_a_person_added_without_an_account_is_in_the_records_and_cannot_sign_in(site):
    client, _admin = admin_client(site)

    response = post(client, "/admin/people/new", full_name="Депутат Без Кабінету", email="", locale="uk")

    assert response.status_code == 302
    person = site.session.scalar(select(Person).where(Person.full_name == "Депутат Без Кабінету"))
    assert person.email is None
    assert person.password_hash is None
    assert "немає облікового запису" in text_of(client.get(response.headers["Location"]).get_data(as_text=True))


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({"full_name": "   ", "email": "x@rada.example"}, "Напишіть прізвище, ім’я та по батькові особи."),
        ({"full_name": "Хтось", "email": "not-an-address"}, "«not-an-address» — не адреса електронної пошти"),
        ({"full_name": "Хтось", "email": "", "account": "y"}, "потрібна адреса електронної пошти"),
        ({"full_name": "Хтось", "email": "TAKEN"}, "— це вже адреса особи Оксана Мельник"),
        ({"full_name": "Я" * 201, "email": ""}, "щонайбільше 200 символів"),
        ({"full_name": "Хтось", "email": "", "locale": "de"}, "Оберіть українську або англійську."),
    ],
    ids=["no-name", "bad-address", "account-without-address", "address-taken", "name-too-long", "bad-language"],
)
def test_a_bad_new_person_is_shown_again_with_the_reason_and_nothing_is_written(site, form, says):
    client, _admin = admin_client(site)
    data = {"locale": "uk", **form}
    if data["email"] == "TAKEN":
        data["email"] = site.world.staff.email.upper()

    with nothing_changes(site):
        response = post(client, "/admin/people/new", **data)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert says in page.replace("&#39;", "'").replace("&#34;", '"') or says in text_of(page)
    assert "Не виконано." in page


# --- a person's account ----------------------------------------------------------------------------------------
def test_the_administrator_renames_a_person_and_the_history_says_so(site):
    client, admin = admin_client(site)
    staff = site.world.staff

    response = post(
        client, f"/admin/people/{staff.id}/edit", full_name="Оксана Мельник-Коваль", email=staff.email, locale="uk"
    )

    assert response.status_code == 302
    assert stored_person(site, staff.id).full_name == "Оксана Мельник-Коваль"
    page = text_of(client.get(f"/admin/people/{staff.id}").get_data(as_text=True))
    assert "змінено ім’я, адресу або мову — Дмитро Мартинюк" in page
    event = site.session.scalars(select(AccountEvent).where(AccountEvent.person_id == staff.id)).all()[-1]
    assert event.actor_id == admin.id
    assert event.data["full_name"] == ["Оксана Мельник", "Оксана Мельник-Коваль"]


def test_a_deactivated_person_s_cookie_stops_working_at_once_and_reactivation_does_not_revive_it(site):
    client, _admin = admin_client(site)
    lawyer = site.world.lawyer
    theirs = site.client()
    sign_in(theirs, lawyer)
    assert signed_in_as(theirs) == lawyer.full_name

    response = post(client, f"/admin/people/{lawyer.id}/deactivate", **{"deactivate-reason": "звільнена"})

    assert response.status_code == 302
    assert signed_in_as(theirs) is None
    assert theirs.get("/cabinet").status_code == 302  # to the sign-in page
    assert sign_in(site.client(), lawyer).status_code == 422
    page = text_of(client.get(f"/admin/people/{lawyer.id}").get_data(as_text=True))
    assert "Обліковий запис деактивовано" in page
    assert "(звільнена)" in page

    assert post(client, f"/admin/people/{lawyer.id}/reactivate").status_code == 302
    assert signed_in_as(theirs) is None  # the old session stays ended
    again = site.client()
    assert sign_in(again, lawyer).status_code == 302


def test_an_administrator_cannot_deactivate_themself_nor_reactivate_an_open_account(site):
    client, admin = admin_client(site)

    with nothing_changes(site):
        himself = post(client, f"/admin/people/{admin.id}/deactivate")
        open_one = post(client, f"/admin/people/{site.world.staff.id}/reactivate")

    assert himself.status_code == 422
    assert "cannot deactivate their own account" in himself.get_data(as_text=True) or (
        "власний обліковий запис" in himself.get_data(as_text=True)
    )
    assert open_one.status_code == 422
    assert "не деактивовано" in open_one.get_data(as_text=True)


# --- links to set a password -----------------------------------------------------------------------------------
def test_the_administrator_s_link_works_once_and_ends_every_other_session(site):
    client, _admin = admin_client(site)
    staff = site.world.staff
    theirs = site.client()
    sign_in(theirs, staff)

    assert post(client, f"/admin/people/{staff.id}/password-link").status_code == 302
    (mail,) = mails_to(site, staff.email)
    assert mail.subject == "Новий пароль до Radaflow"
    link = link_in(mail)
    stranger = site.client()
    assert set_password(stranger, link).status_code == 302

    assert signed_in_as(theirs) is None
    assert sign_in(site.client(), staff, PASSWORD).status_code == 422
    assert sign_in(site.client(), staff, NEW_PASSWORD).status_code == 302
    used = stranger.get(link)
    assert used.status_code == 400
    assert "цим посиланням уже скористалися" in used.get_data(as_text=True)
    with nothing_changes(site):
        assert set_password(stranger, link, "ще-один-новий-пароль").status_code == 400


def test_a_link_past_its_day_is_refused_and_changes_nothing(site, monkeypatch):
    client, _admin = admin_client(site)
    staff = site.world.staff
    post(client, f"/admin/people/{staff.id}/password-link")
    link = link_in(mails_to(site, staff.email)[0])
    later = utcnow() + timedelta(hours=25)
    monkeypatch.setattr("web.auth.passwords.utcnow", lambda: later)

    reader = site.client()
    with nothing_changes(site):
        page = reader.get(link)
        sent = set_password(reader, link)

    assert page.status_code == sent.status_code == 400
    assert "Строк дії посилання минув: попросіть нове." in page.get_data(as_text=True)


@pytest.mark.parametrize("change", ["signature", "secret", "id", "garbage"])
def test_a_forged_link_is_refused_and_changes_nothing(site, change):
    client, _admin = admin_client(site)
    staff = site.world.staff
    post(client, f"/admin/people/{staff.id}/password-link")
    link = link_in(mails_to(site, staff.email)[0])
    token_ = link.rsplit("/", 1)[1]
    # signed as the application signs its links: only the signature is right
    signer = URLSafeTimedSerializer(site.app.config["SECRET_KEY"], salt="radaflow.password-link")
    reset_id, secret = signer.loads(token_)
    forged = {
        "signature": token_[:-3] + ("AAA" if not token_.endswith("AAA") else "BBB"),
        "secret": signer.dumps([reset_id, secret[:-1] + ("x" if secret[-1] != "x" else "y")]),
        "id": signer.dumps([reset_id + 1, secret]),
        "garbage": "not-a-token",
    }[change]

    reader = site.client()
    with nothing_changes(site):
        refused = reader.get(f"/password/{forged}")
        sent = set_password(reader, f"/password/{forged}")

    assert refused.status_code == sent.status_code == 400
    assert "посилання для встановлення пароля недійсне" in refused.get_data(as_text=True).lower()


def test_a_short_or_mismatched_password_is_refused_and_leaves_the_link_working(site):
    client, _admin = admin_client(site)
    staff = site.world.staff
    post(client, f"/admin/people/{staff.id}/password-link")
    link = link_in(mails_to(site, staff.email)[0])
    reader = site.client()

    with nothing_changes(site):
        short = set_password(reader, link, "короткий")
        differ = set_password(reader, link, NEW_PASSWORD, "інший-довгий-пароль")

    assert short.status_code == differ.status_code == 422
    assert "Пароль має від 10 до 1000 символів." in short.get_data(as_text=True)
    assert "Паролі не збігаються." in differ.get_data(as_text=True)
    assert set_password(reader, link).status_code == 302


def test_asking_for_a_link_answers_the_same_whether_or_not_the_address_has_an_account(site):
    staff = site.world.staff
    client = site.client()
    assert 'href="/login/forgot"' in client.get("/login").get_data(as_text=True)

    known = client.post("/login/forgot", data={"csrf_token": token(client), "email": staff.email.upper()})
    unknown = client.post("/login/forgot", data={"csrf_token": token(client), "email": "nobody@rada.example"})

    assert known.status_code == unknown.status_code == 200
    assert text_of(known.get_data(as_text=True)).replace(staff.email.upper(), "X") == text_of(
        unknown.get_data(as_text=True)
    ).replace("nobody@rada.example", "X")
    (mail,) = mails_to(site, staff.email)
    assert set_password(site.client(), link_in(mail)).status_code == 302
    assert mails_to(site, "nobody@rada.example") == []
    no_account = site.world.mayor  # in the records, but never had a password
    client.post("/login/forgot", data={"csrf_token": token(client), "email": no_account.email})
    assert mails_to(site, no_account.email) == []


def test_asking_for_links_is_rate_limited_per_address(site):
    client = site.client()
    email = site.world.staff.email

    answers = [
        client.post("/login/forgot", data={"csrf_token": token(client), "email": email}).status_code for _ in range(7)
    ]

    assert answers[:5] == [200] * 5
    assert answers[5:] == [429, 429]
    assert len(mails_to(site, email)) == 5


def test_a_deactivated_account_gets_no_link_and_its_old_links_stop_working(site):
    client, _admin = admin_client(site)
    staff = site.world.staff
    post(client, f"/admin/people/{staff.id}/password-link")
    link = link_in(mails_to(site, staff.email)[0])
    post(client, f"/admin/people/{staff.id}/deactivate")

    asked = site.client()
    asked.post("/login/forgot", data={"csrf_token": token(asked), "email": staff.email})

    assert len(mails_to(site, staff.email)) == 1
    assert set_password(site.client(), link).status_code == 400
    with nothing_changes(site):
        assert post(client, f"/admin/people/{staff.id}/password-link").status_code == 422


# --- roles -------------------------------------------------------------------------------------------------------
def test_the_administrator_grants_a_committee_membership_and_ends_it_with_a_reason(site):
    client, admin = admin_client(site)
    deputy = site.world.deputies[7]
    budget = site.world.budget

    response = post(
        client,
        f"/admin/people/{deputy.id}/roles",
        role="committee_member",
        scope=f"committee-{budget.id}",
        reason="рішення сесії № 3",
    )

    assert response.status_code == 302
    (grant,) = grants(site, deputy, "committee_member")
    assert (grant.scope_id, grant.granted_by_id, grant.reason, grant.ends_at) == (
        budget.id,
        admin.id,
        "рішення сесії № 3",
        None,
    )
    page = text_of(client.get(f"/admin/people/{deputy.id}").get_data(as_text=True))
    assert "член постійної комісії З питань бюджету" in page

    ended = post(
        client, f"/admin/people/{deputy.id}/roles/{grant.id}/end", **{f"end-{grant.id}-reason": "склав повноваження"}
    )

    assert ended.status_code == 302
    (grant,) = grants(site, deputy, "committee_member")  # kept, with when, who and why
    assert grant.ends_at is not None
    assert grant.ended_by_id == admin.id
    assert grant.end_reason == "склав повноваження"
    page = text_of(client.get(f"/admin/people/{deputy.id}").get_data(as_text=True))
    assert "(припинено)" in page
    assert "Дмитро Мартинюк: склав повноваження" in page


def test_a_role_granted_for_later_with_a_last_day_holds_from_that_day_to_the_end_of_the_last(site):
    client, _admin = admin_client(site)
    staff = site.world.staff
    start = (utcnow() + timedelta(days=10)).date()

    post(client, f"/admin/people/{staff.id}/roles", role="secretary_", scope="")  # (a wrong role: refused below)
    response = post(
        client,
        f"/admin/people/{staff.id}/roles",
        role="reviewer",
        scope=f"department-{site.world.legal.id}",
        starts=start.isoformat(),
        last_day=(start + timedelta(days=30)).isoformat(),
    )

    assert response.status_code == 302
    (grant,) = grants(site, staff, "reviewer")
    assert grant.ends_at - grant.starts_at == timedelta(days=31)
    assert "(ще не почалася)" in client.get(f"/admin/people/{staff.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({"role": "emperor", "scope": ""}, "«emperor» — не роль, яку надає адміністратор"),
        ({"role": "citizen", "scope": ""}, "«citizen» — не роль, яку надає адміністратор"),
        ({"role": "committee_chair", "scope": ""}, "надається в комісії: оберіть, у якій"),
        ({"role": "committee_member", "scope": "department-LEGAL"}, "надається в комісії, а не у відділі"),
        ({"role": "reviewer", "scope": "committee-BUDGET"}, "надається у відділі, а не в комісії"),
        ({"role": "deputy", "scope": "committee-BUDGET"}, "діє в межах усієї ради"),
        ({"role": "committee_member", "scope": f"committee-{MAX_ID}"}, f"комісії {MAX_ID} немає"),
        ({"role": "committee_member", "scope": "committee-x"}, "оберіть комісію або відділ зі списку"),
        ({"role": "deputy", "scope": "", "starts": "2020-01-01"}, "роль починається зараз або пізніше"),
        ({"role": "deputy", "scope": "", "starts": "2099-05-02", "last_day": "2099-05-01"}, "роль завершується після"),
        ({"role": "deputy", "scope": ""}, "уже має роль «депутат ради» у цей період"),
        ({"role": "mayor", "scope": ""}, "одночасно має лише одна особа, а в цей період її має Микола Бондар"),
        ({"role": "committee_chair", "scope": "committee-BUDGET"}, "її має Василь Гончаренко"),
        ({"role": "deputy", "scope": "", "starts": "не дата"}, "Укажіть дату так, як її пропонує календар"),
    ],
    ids=[
        "unknown-role",
        "citizen",
        "scope-needed",
        "department-for-committee-role",
        "committee-for-reviewer",
        "scope-for-council-role",
        "no-such-committee",
        "bad-scope",
        "start-in-past",
        "ends-before-start",
        "duplicate",
        "second-mayor",
        "second-chair",
        "bad-date",
    ],
)
def test_a_bad_grant_is_shown_again_with_the_reason_and_nothing_is_written(site, form, says):
    client, _admin = admin_client(site)
    deputy = site.world.deputies[6]
    data = {
        key: value.replace("LEGAL", str(site.world.legal.id)).replace("BUDGET", str(site.world.budget.id))
        for key, value in form.items()
    }

    with nothing_changes(site):
        response = post(client, f"/admin/people/{deputy.id}/roles", **data)

    assert response.status_code == 422, text_of(response.get_data(as_text=True))
    page = response.get_data(as_text=True)
    assert says in page or says in text_of(page)
    assert 'id="refusal"' in page


def test_ending_a_role_without_a_reason_in_the_past_or_twice_is_refused_and_changes_nothing(site):
    client, _admin = admin_client(site)
    deputy = site.world.deputies[0]
    (grant,) = grants(site, deputy, "committee_chair")
    url = f"/admin/people/{deputy.id}/roles/{grant.id}/end"
    prefix = f"end-{grant.id}"

    with nothing_changes(site):
        no_reason = post(client, url, **{f"{prefix}-reason": " "})
        in_past = post(client, url, **{f"{prefix}-reason": "так", f"{prefix}-last_day": "2020-01-01"})

    assert no_reason.status_code == in_past.status_code == 422
    assert "Вкажіть, чому роль припиняється." in no_reason.get_data(as_text=True)
    assert "роль припиняється зараз або пізніше" in in_past.get_data(as_text=True)
    assert post(client, url, **{f"{prefix}-reason": "обрано іншого"}).status_code == 302
    with nothing_changes(site):
        twice = post(client, url, **{f"{prefix}-reason": "ще раз"})
    assert twice.status_code == 422
    assert "припинення цієї ролі вже встановлено" in twice.get_data(as_text=True)


def test_ids_out_of_range_or_of_someone_else_s_role_are_plain_404(site):
    client, _admin = admin_client(site)
    deputy, other = site.world.deputies[0], site.world.deputies[4]
    (others_grant,) = grants(site, other, "committee_chair")

    for url in ("/admin/people/0", f"/admin/people/{MAX_ID + 1}", f"/admin/people/{MAX_ID}", "/admin/people/x"):
        assert client.get(url).status_code == 404, url
    with nothing_changes(site):
        assert post(client, f"/admin/people/{MAX_ID}/edit", full_name="x", locale="uk").status_code == 404
        end = post(client, f"/admin/people/{deputy.id}/roles/{others_grant.id}/end", reason="x")
        assert end.status_code == 404


def test_the_pages_speak_english_and_refuse_in_english(site):
    client, _admin = admin_client(site)
    in_english(client)
    deputy = site.world.deputies[6]

    page = text_of(client.get(f"/admin/people/{deputy.id}").get_data(as_text=True))
    refused = post(client, f"/admin/people/{deputy.id}/roles", role="mayor", scope="")

    assert "Roles and mandates" in page
    assert "deputy of the council" in page
    assert "«mayor» is held by one person at a time, and Микола Бондар holds it" in refused.get_data(as_text=True)


# --- nobody but an administrator --------------------------------------------------------------------------------
def _every_request(site):
    deputy = site.world.deputies[0]
    (grant,) = grants(site, deputy, "committee_chair")
    person = f"/admin/people/{deputy.id}"
    pages = ["/admin/people", "/admin/people?q=x", "/admin/people/new", person]
    posts = {
        "/admin/people/new": {"full_name": "Хтось", "email": "someone@rada.example", "locale": "uk", "account": "y"},
        f"{person}/edit": {"full_name": "Інше Ім’я", "email": "", "locale": "en"},
        f"{person}/deactivate": {},
        f"{person}/reactivate": {},
        f"{person}/password-link": {},
        f"{person}/roles": {"role": "admin", "scope": ""},
        f"{person}/roles/{grant.id}/end": {f"end-{grant.id}-reason": "геть"},
    }
    return pages, posts


@pytest.mark.parametrize("who", ["secretary", "staff", "deputy", "reviewer", "mayor"])
def test_nobody_but_an_administrator_sees_or_does_anything_here(site, who):
    world = site.world
    person = {
        "secretary": world.secretary,
        "staff": world.staff,
        "deputy": world.deputies[0],
        "reviewer": world.lawyer,
        "mayor": world.mayor,
    }[who]
    person.password_hash = password_hash()
    site.commit()
    with_admin(site)
    client = site.client()
    sign_in(client, person)
    pages, posts = _every_request(site)

    with nothing_changes(site):
        for url in pages:
            response = client.get(url)
            assert response.status_code == 403, url
            assert "особами, обліковими записами та ролями керує лише адміністратор" in response.get_data(as_text=True)
        for url, form in posts.items():
            assert post(client, url, **form).status_code == 403, url


def test_signed_out_every_page_and_form_leads_to_signing_in_and_changes_nothing(site):
    pages, posts = _every_request(site)
    client = site.client()

    with nothing_changes(site):
        for url in pages:
            response = client.get(url)
            assert response.status_code == 302, url
            assert "/login" in response.headers["Location"], url
        for url, form in posts.items():
            response = post(client, url, **form)
            assert response.status_code == 302, url
            assert "/login" in response.headers["Location"], url


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(site):
    client, _admin = admin_client(site)
    staff = site.world.staff

    with nothing_changes(site):
        response = client.post(f"/admin/people/{staff.id}/deactivate", data={})
        forgot = client.post("/login/forgot", data={"email": staff.email})

    assert response.status_code == forgot.status_code == 400
    assert site.session.scalar(select(func.count()).select_from(PasswordReset)) == 0
    assert site.session.scalar(select(func.count()).select_from(OutgoingMail)) == 0
