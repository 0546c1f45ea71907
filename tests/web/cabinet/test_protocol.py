"""Closing the sitting and its protocol through the application: closed only when every item has its outcome,
the protocol checked (which renders it through the DOCX task), downloaded and read back with python-docx, signed
by the chair, published; extracts per item. Every refusal says why and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.web.cabinet.sessions_site import (
    file_links,
    held_session,
    nothing_changes,
    post,
    read_docx,
    with_passwords,
)
from tests.web.site import in_english, sign_in
from workflow.engine.models import Document


def _protocol(site, plenary):
    site.session.expire_all()
    return site.session.scalar(
        select(Document).where(Document.parent_id == plenary.id, Document.kind == "session_protocol")
    )


def test_the_secretary_closes_the_sitting_and_the_protocol_goes_from_check_to_publication(site):
    world = site.world
    with_passwords(site)
    held = held_session(site, 16)
    secretary = site.client()
    sign_in(secretary, world.secretary)
    base = f"/cabinet/sessions/{held.plenary.id}"

    assert post(secretary, f"{base}/close", held.plenary).status_code == 302
    protocol = _protocol(site, held.plenary)
    assert (site.session.get(Document, held.plenary.id).state, protocol.state) == ("closed", "drafted")

    assert post(secretary, f"{base}/protocol/check", version=str(protocol.version)).status_code == 302
    page = secretary.get(base).get_data(as_text=True)
    (link,) = file_links(page, protocol)
    download = secretary.get(link)
    assert download.status_code == 200
    text, tables = read_docx(download.data)
    assert "ПРОТОКОЛ" in text.upper()
    assert "Про ремонт даху ліцею № 2" in text
    roll_calls = [table for table in tables if table and len(table[0]) > 2 and table[0][2] == "Голосування"]
    assert roll_calls, "the protocol has its roll-call tables"
    voted = {row[1] for table in roll_calls for row in table[1:]}
    assert {member.full_name for member in world.members} <= voted

    mayor = site.client()
    sign_in(mayor, world.mayor)
    assert "Протоколи на підпис" in mayor.get("/cabinet/signing").get_data(as_text=True)
    protocol = _protocol(site, held.plenary)
    assert post(mayor, f"{base}/protocol/sign", version=str(protocol.version)).status_code == 302
    protocol = _protocol(site, held.plenary)
    assert post(secretary, f"{base}/protocol/publish", version=str(protocol.version)).status_code == 302
    assert _protocol(site, held.plenary).state == "published"


def test_an_extract_for_an_item_is_rendered_and_read_back(site):
    world = site.world
    held = held_session(site, 16)
    secretary = site.client()
    sign_in(secretary, world.secretary)
    base = f"/cabinet/sessions/{held.plenary.id}"
    assert post(secretary, f"{base}/close", held.plenary).status_code == 302
    site.session.expire_all()
    plenary = site.session.get(Document, held.plenary.id)

    response = post(secretary, f"{base}/items/{held.roof_item.id}/extract", plenary)

    assert response.status_code == 302
    (link,) = file_links(secretary.get(base).get_data(as_text=True), held.roof_item)
    text, tables = read_docx(secretary.get(link).data)
    assert "Про ремонт даху ліцею № 2" in text
    assert "Про облаштування зупинки" not in text
    assert any(row[1] == world.deputies[0].full_name for table in tables for row in table[1:] if len(row) > 2)


@pytest.mark.parametrize(
    ("case", "status", "says"),
    [
        ("items without outcome", 409, "2 agenda items have no outcome yet"),
        ("a deputy closes", 403, "the sessions are prepared by the council&#39;s secretary"),
        ("the secretary signs", 403, "the protocol is signed by the chair of the sitting"),
        ("publish before signing", 409, "«Publish the protocol» is not possible at the stage «Drafted»"),
        ("extract before closing", 409, "extracts are made from the protocol of a closed sitting"),
        ("stale protocol page", 409, "the protocol changed after you opened the page"),
    ],
)
def test_refusals_at_closing_and_the_protocol_change_nothing(site, case, status, says):
    world = site.world
    held = held_session(site, 16, decide_all=case != "items without outcome")
    client = site.client()
    sign_in(client, world.deputies[0] if case == "a deputy closes" else world.secretary)
    in_english(client)
    base = f"/cabinet/sessions/{held.plenary.id}"
    if case not in ("items without outcome", "a deputy closes", "extract before closing"):
        assert post(client, f"{base}/close", held.plenary).status_code == 302
    protocol = _protocol(site, held.plenary)
    plenary = site.session.get(Document, held.plenary.id)
    url, form = {
        "items without outcome": (f"{base}/close", {"version": str(plenary.version)}),
        "a deputy closes": (f"{base}/close", {"version": str(plenary.version)}),
        "the secretary signs": (f"{base}/protocol/sign", {"version": str(protocol.version if protocol else 0)}),
        "publish before signing": (f"{base}/protocol/publish", {"version": str(protocol.version if protocol else 0)}),
        "extract before closing": (f"{base}/items/{held.roof_item.id}/extract", {"version": str(plenary.version)}),
        "stale protocol page": (f"{base}/protocol/check", {"version": "99"}),
    }[case]

    with nothing_changes(site):
        response = post(client, url, **form)

    assert response.status_code == status
    assert says in response.get_data(as_text=True)
