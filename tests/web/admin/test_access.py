"""Only the administrator sees or does anything on the administrator's pages: every other role of the council,
and a reader who is not signed in, is refused every page and every action, and every refusal changes nothing.
The header leads the administrator (and nobody else) to the pages."""

from __future__ import annotations

import pytest

from tests.web.admin.admin_site import admin_client, failed_effect, failed_mail, nothing_changes, post, signed_in_client
from tests.web.site import in_english, token

PAGES = ("/admin", "/admin/council", "/admin/committees", "/admin/operations", "/admin/audit")


def _actions(site, effect, mail):
    world = site.world
    return [
        (
            "/admin/council",
            {
                "name": "Інша рада",
                "convocation": "9",
                "total_composition": "40",
                "number_pattern": "{number}",
                "save": "1",
            },
        ),
        ("/admin/committees", {"committee-name": "З питань екології"}),
        ("/admin/departments", {"department-name": "Відділ", "department-kind": "other"}),
        (f"/admin/committees/{world.budget.id}", {"name": "Інша назва", "name_en": ""}),
        (f"/admin/committees/{world.education.id}/retire", {}),
        (f"/admin/departments/{world.legal.id}", {"name": "Інша назва", "name_en": ""}),
        (f"/admin/departments/{world.finance.id}/retire", {}),
        (f"/admin/operations/effects/{effect.id}/retry", {}),
        ("/admin/operations/effects/retry", {}),
        (f"/admin/operations/mail/{mail.id}/retry", {}),
        ("/admin/operations/mail/retry", {}),
        ("/admin/audit/verify", {}),
        ("/admin/audit/seal", {}),
    ]


@pytest.mark.parametrize("role", ["secretary", "mayor", "deputy", "staff", "reviewer"])
def test_every_other_role_is_refused_every_page_and_action_and_nothing_changes(site, role):
    world = site.world
    person = {
        "secretary": world.secretary,
        "mayor": world.mayor,
        "deputy": world.deputies[0],
        "staff": world.staff,
        "reviewer": world.lawyer,
    }[role]
    effect, mail = failed_effect(site), failed_mail(site)
    client = in_english(signed_in_client(site, person))
    pages = [f"/admin/committees/{world.budget.id}", f"/admin/departments/{world.legal.id}", *PAGES]

    with nothing_changes(site):
        for url in pages:
            read = client.get(url)
            assert read.status_code == 403, url
            assert "these pages are the administrator&#39;s" in read.get_data(as_text=True)
        for url, form in _actions(site, effect, mail):
            assert post(client, url, **form).status_code == 403, url
        # an id out of range is refused before it is looked up: the same answer as for one that exists
        assert client.get("/admin/committees/999999").status_code == 403

    assert 'href="/admin"' not in client.get("/cabinet").get_data(as_text=True)


def test_a_reader_not_signed_in_is_sent_to_sign_in_and_nothing_changes(site):
    effect, mail = failed_effect(site), failed_mail(site)
    client = site.client()

    with nothing_changes(site):
        for url in PAGES:
            read = client.get(url)
            assert read.status_code == 302, url
            assert read.headers["Location"].startswith("/login"), url
        for url, form in _actions(site, effect, mail):
            sent = client.post(url, data={"csrf_token": token(client), **form})
            assert sent.status_code == 302, url
            assert sent.headers["Location"].startswith("/login"), url


def test_a_form_without_its_token_is_refused_even_for_the_administrator(site):
    effect, mail = failed_effect(site), failed_mail(site)
    client = admin_client(site)

    with nothing_changes(site):
        for url, form in _actions(site, effect, mail):
            assert client.post(url, data=form).status_code == 400, url


def test_the_header_leads_the_administrator_to_the_index_which_lists_every_page(site):
    client = admin_client(site)

    work = client.get("/cabinet").get_data(as_text=True)
    assert '<a href="/admin">Адміністрування</a>' in work
    index = client.get("/admin").get_data(as_text=True)
    for url in ("/admin/council", "/admin/committees", "/admin/operations", "/admin/audit", "/definitions"):
        assert f'href="{url}"' in index
