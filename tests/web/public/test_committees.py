"""The standing committees' pages: members with the chair, the drafts referred that are public, and the signed
conclusions with their recommendation in words; nothing of the committee's work in progress."""

from __future__ import annotations

import re

from tests.web.pages import tables
from tests.web.public.council_record import INTERNAL_TITLE
from tests.web.site import in_english, text_of
from workflow.council.drafts import drafts
from workflow.engine import edit_document


def words(html: str) -> str:
    return re.sub(r" ([,.:;])", r"\1", text_of(html))


def test_the_committees_are_listed_with_their_chairs(site):
    response = site.client().get("/committees")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Постійні комісії — Radaflow</title>" in html
    (listing,) = tables(html)
    assert listing == [
        ["Комісія", "Голова", "Склад"],
        ["З питань бюджету", "Василь Гончаренко", "4"],
        ["З питань освіти", "Ігор Петренко", "3"],
    ]
    assert f'href="/committees/{site.world.budget.id}"' in html


def test_a_committee_page_lists_its_members_chair_first(site):
    world = site.world
    html = site.client().get(f"/committees/{world.budget.id}").get_data(as_text=True)
    text = words(html)

    assert "<title>З питань бюджету — Radaflow</title>" in html
    assert (
        "Склад Василь Гончаренко — голова Ганна Кравець — секретар комісії Марія Савчук — член комісії "
        "Олег Руденко — член комісії"
    ) in text
    assert f'<a href="/deputies/{world.deputies[0].id}" data-content>Василь Гончаренко</a>' in html
    assert f'href="/committees/{world.budget.id}.ics"' in html


def test_a_committee_shows_its_public_drafts_and_signed_conclusions_in_words(site, record):
    world = site.world
    html = site.client().get(f"/committees/{world.budget.id}").get_data(as_text=True)
    text = words(html)

    assert f'<a href="/drafts/{record.draft.id}" data-content>Про ремонт даху ліцею № 2</a>' in html
    assert "Про ремонт даху ліцею № 2 — Підписано; головна комісія" in text
    conclusions = [t for t in tables(html) if t[0][0] == "Проєкт рішення"]
    (table,) = conclusions
    roof = next(row for row in table if row[0].startswith("Про ремонт даху ліцею № 2"))
    assert roof[1] == "Підтримати проєкт рішення"
    assert roof[2] == "3 березня 2026 р."
    assert "support" not in html  # the recommendation's code never shows
    # the conclusion's paper with its SHA-256
    assert "Висновок" in roof[3]
    assert "SHA-256:" in roof[3]


def test_a_conclusion_not_yet_signed_and_a_draft_not_public_stay_off_the_page(site, record):
    world = site.world
    secretary = world.actor(world.secretary, 31)
    draft = world.published_draft("Про тарифи на вивезення сміття", days=31)
    (conclusion,) = drafts.send_to_committees(site.session, draft, secretary, world.budget, now=world.at(32))
    edit_document(
        site.session,
        conclusion,
        world.actor(world.deputies[0], 32),
        fields={"recommendation": "reject", "body": "Чернетка висновку комісії"},
        now=world.at(32),
    )
    site.commit()

    html = site.client().get(f"/committees/{world.budget.id}").get_data(as_text=True)

    # the draft referred is public (in committee review), its conclusion in preparation is not
    assert "Про тарифи на вивезення сміття — Розгляд у комісіях; головна комісія" in words(html)
    assert "Чернетка висновку комісії" not in html
    assert "Відхилити проєкт рішення" not in html
    assert INTERNAL_TITLE not in html


def test_a_committee_that_does_not_exist_answers_404(site):
    assert site.client().get("/committees/987654").status_code == 404
    assert site.client().get("/committees/0").status_code == 404
    assert site.client().get("/committees/2147483648").status_code == 404


def test_the_committee_page_in_english(site, record):
    world = site.world
    text = words(in_english(site.client()).get(f"/committees/{world.budget.id}").get_data(as_text=True))

    assert "Василь Гончаренко — chair" in text
    assert "Support the draft decision" in text
    assert "lead committee" in text
