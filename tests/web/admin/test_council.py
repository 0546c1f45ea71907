"""The council's settings on the administrator's page: the quorum and majorities its total composition gives, the
next decision's number by the pattern (previewed before it is saved), and every bad input refused with the reason
in the reader's language, nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.web.admin.admin_site import admin_client, nothing_changes, post
from tests.web.cabinet.sessions_site import held_session
from tests.web.site import in_english, text_of
from workflow.council.organisation.models import Council

SETTINGS = {
    "name": "Славутицька міська рада",
    "name_en": "Slavutych City Council",
    "convocation": "8",
    "total_composition": "9",
    "number_pattern": "№ {number}-{session}-{convocation}",
}


def _council(site):
    with site.app.extensions["radaflow"].sessions() as session:
        return session.scalar(select(Council))


def test_the_page_shows_what_the_total_composition_decides_and_the_next_number(site):
    client = admin_client(site)

    page = text_of(client.get("/admin/council").get_data(as_text=True))

    # 8 deputies and the mayor: a quorum of 5, a majority of 5, two thirds are 6
    assert "Загальний склад 9" in page
    assert "Кворум зареєстровано членів: 5" in page
    assert "Дві третини загального складу голосів «за»: 6" in page
    assert "Номер наступного рішення № 1-1-VIII" in page


def test_the_administrator_changes_the_settings(site):
    client = admin_client(site)

    response = post(
        client,
        "/admin/council",
        **{
            **SETTINGS,
            "name": "  Славутицька   міська рада ",
            "total_composition": "12",
            "number_pattern": "{number}/{convocation}",
        },
        save="1",
    )

    assert response.status_code == 302
    council = _council(site)
    assert (council.name, council.name_en, council.total_composition, council.number_pattern) == (
        "Славутицька міська рада",
        "Slavutych City Council",
        12,
        "{number}/{convocation}",
    )
    page = text_of(client.get("/admin/council").get_data(as_text=True))
    assert "Налаштування ради збережено." in page
    assert "Кворум зареєстровано членів: 7" in page
    assert "Номер наступного рішення 1/VIII" in page


def test_a_pattern_is_previewed_before_it_is_saved_and_nothing_is_kept(site):
    client = admin_client(site)

    with nothing_changes(site):
        response = post(
            client, "/admin/council", **{**SETTINGS, "number_pattern": "{number:03d}-{session}"}, preview="1"
        )

    assert response.status_code == 200
    assert "наступне рішення мало б номер 001-1" in text_of(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("change", "status", "says_uk", "says_en"),
    [
        (
            {"total_composition": "0"},
            422,
            "загальний склад — число від 1 до 1000",
            "the total composition is a number from 1 to 1000",
        ),
        ({"total_composition": "дев'ять"}, 422, "Укажіть ціле число", "Give a whole number"),
        ({"total_composition": "8"}, 422, "мандат мають 9 членів", "9 members hold a mandate now"),
        ({"convocation": "0"}, 422, "скликання — число від 1 до 99", "the convocation is a number from 1 to 99"),
        ({"name": "   "}, 422, "назву ради", "give the council's name"),
        ({"number_pattern": "{session}-{convocation}"}, 422, "має містити {number}", "must contain {number}"),
        ({"number_pattern": "№ {number}-{year}"}, 422, "не {year}", "not {year}"),
        ({"number_pattern": "№ {number"}, 422, "не закрито", "is not closed"),
        ({"number_pattern": "{number.__class__}"}, 422, "не {number.__class__}", "not {number.__class__}"),
        ({"number_pattern": "{number!r}"}, 422, "без перетворення", "without a conversion"),
        ({"number_pattern": "{number:999999999d}"}, 422, "без перетворення", "with a short format"),
        ({"number_pattern": "{convocation:d}"}, 422, "має містити {number}", "must contain {number}"),
        ({"number_pattern": "{number}" + "x" * 70}, 422, "довшим за 64", "longer than 64"),
    ],
)
def test_bad_settings_are_refused_with_the_reason_and_nothing_is_written(site, change, status, says_uk, says_en):
    client = admin_client(site)

    with nothing_changes(site):
        ukrainian = post(client, "/admin/council", **{**SETTINGS, **change}, save="1")
        english = post(in_english(client), "/admin/council", **{**SETTINGS, **change}, save="1")

    assert ukrainian.status_code == english.status_code == status
    assert "Не виконано." in ukrainian.get_data(as_text=True)
    assert says_uk in text_of(ukrainian.get_data(as_text=True))
    assert says_en in text_of(english.get_data(as_text=True)).replace("&#39;", "'")
    assert 'aria-invalid="true"' in ukrainian.get_data(as_text=True)


def test_the_total_composition_is_not_changed_while_a_sitting_is_open(site):
    held_session(site, day=16, decide_all=False)  # its sitting is open
    client = admin_client(site)

    with nothing_changes(site):
        response = post(client, "/admin/council", **{**SETTINGS, "total_composition": "11"}, save="1")
    assert response.status_code == 409
    assert "засідання сесії № 12 відкрите" in text_of(response.get_data(as_text=True))

    renamed = post(client, "/admin/council", **{**SETTINGS, "name_en": "Slavutych Council"}, save="1")
    assert renamed.status_code == 302  # the rest may change meanwhile
    assert _council(site).name_en == "Slavutych Council"
