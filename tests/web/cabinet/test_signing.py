"""The mayor's decisions to sign through the application: each adopted decision with the end of its veto period in
the reader's language, signed (and numbered), or vetoed with reasons, which are required; after the period a veto
is refused with the day it ended. Every refusal changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.web.cabinet.sessions_site import held_session, nothing_changes, post, today, with_passwords
from tests.web.site import in_english, sign_in, text_of
from workflow.council.sittings.models import Decision
from workflow.engine.models import AuditEntry, Document


def _mayor(site):
    with_passwords(site)
    client = site.client()
    sign_in(client, site.world.mayor)
    return client


def _state(site, document):
    site.session.expire_all()
    return site.session.get(Document, document.id).state


def test_the_mayor_sees_the_decisions_to_sign_with_the_end_of_the_veto_period(site):
    held = held_session(site, today() - 1)
    client = _mayor(site)

    page = text_of(client.get("/cabinet/signing").get_data(as_text=True))
    english = text_of(in_english(client).get("/cabinet/signing").get_data(as_text=True))

    assert "Рішення на підпис" in page
    assert "Про ремонт даху ліцею № 2" in page
    assert "Про облаштування зупинки" not in page  # rejected: nothing to sign
    due = held.roof.due_at
    assert f"Вето можливе до {due.day} " in page
    assert "р., " in page.split("Вето можливе до")[1][:40]  # the date in words, the Ukrainian way
    assert "Veto possible until" in english
    assert "(Kyiv time)" in english


def test_the_mayor_signs_a_decision_and_it_is_numbered(site):
    held = held_session(site, today() - 1)
    client = _mayor(site)

    response = post(client, f"/cabinet/signing/{held.roof.id}/sign", held.roof)

    assert response.status_code == 302
    assert _state(site, held.roof) == "signed"
    assert site.session.scalar(select(Decision.official_number).where(Decision.draft_id == held.roof.id))
    assert "No decision is waiting" in in_english(client).get("/cabinet/signing").get_data(as_text=True)


def test_the_mayor_vetoes_with_reasons(site):
    held = held_session(site, today() - 1)
    client = _mayor(site)

    response = post(client, f"/cabinet/signing/{held.roof.id}/veto", held.roof, reasons="Суперечить бюджету")

    assert response.status_code == 302
    assert _state(site, held.roof) == "vetoed"
    entry = site.session.scalar(
        select(AuditEntry).where(AuditEntry.document_id == held.roof.id, AuditEntry.trigger == "veto")
    )
    assert entry.comment == "Суперечить бюджету"


@pytest.mark.parametrize(
    ("case", "status", "says", "lang"),
    [
        ("veto without reasons", 422, "вето потребує підстав: скажіть чому", "uk"),
        ("veto without reasons", 422, "a veto needs its reasons: say why", "en"),
        ("veto after the period", 409, "the period for a veto ended on", "en"),
        ("veto after the period", 409, "строк для вето закінчився", "uk"),
        ("not the mayor", 403, "signed or vetoed by the mayor", "en"),
        ("stale page", 409, "the decision changed after you opened the page", "en"),
        ("not adopted", 409, "«Sign» is not possible at the stage «Rejected»", "en"),
    ],
)
def test_refused_signatures_and_vetoes_say_why_and_change_nothing(site, case, status, says, lang):
    held = held_session(site, 16 if case == "veto after the period" else today() - 1)
    client = _mayor(site)
    if case == "not the mayor":
        client = site.client()
        sign_in(client, site.world.secretary)
    client.set_cookie("radaflow_lang", lang)
    draft = held.stop if case == "not adopted" else held.roof
    trigger = "sign" if case == "not adopted" else "veto"
    form = {"reasons": "" if case == "veto without reasons" else "Суперечить бюджету"}
    if case == "stale page":
        form["version"] = "1"

    with nothing_changes(site):
        response = post(client, f"/cabinet/signing/{draft.id}/{trigger}", draft, **form)

    assert response.status_code == status
    assert says in response.get_data(as_text=True)
