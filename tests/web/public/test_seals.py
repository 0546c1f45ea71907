"""The seals page: the sealed heads listed with their signatures checked, the files to download, a public
document checked against its sealed head, and nothing told about a document the public may not read."""

from __future__ import annotations

import json

from tests.web.site import Site, message_to_deputy, text_of
from workflow.engine import seals
from workflow.timeutil import utcnow


def seal_now(site: Site) -> str:
    settings = site.app.extensions["radaflow"].settings
    key = seals.signing_key(None, settings.seal_key_file, may_generate=True)
    seal = seals.make_seal(site.session, key, utcnow())
    return seals.write_seal(settings.seals_dir, seal).name


def test_without_a_seal_the_page_says_so_and_explains_how_to_verify(site: Site) -> None:
    response = site.client().get("/seals")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Печатки журналу — Radaflow</title>" in html
    assert "Печаток ще не створено." in html
    assert "radaflow audit verify --seal FILE" in html


def test_a_seal_is_listed_checked_and_downloadable(site: Site) -> None:
    draft = site.world.published_draft()
    site.commit()
    name = seal_now(site)
    client = site.client()

    html = client.get("/seals").get_data(as_text=True)
    downloaded = client.get(f"/seals/{name}")

    stored = json.loads(downloaded.get_data(as_text=True))
    assert downloaded.status_code == 200
    assert downloaded.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert stored["digest"] in html
    assert stored["public_key"] in html
    assert "дійсний" in text_of(html)
    checked = text_of(client.get(f"/seals?document={draft.id}").get_data(as_text=True))
    assert f"Документ {draft.id} («Про ремонт даху ліцею № 2») запечатано" in checked
    assert "відтоді її не змінено" in checked


def test_a_seal_file_changed_after_signing_is_shown_as_broken(site: Site) -> None:
    site.world.published_draft()
    site.commit()
    name = seal_now(site)
    path = site.app.extensions["radaflow"].settings.seals_dir / name
    data = json.loads(path.read_text())
    data["heads"][0][1] += 1
    data["digest"] = seals.heads_digest(seals.Head(*h) for h in data["heads"])
    path.write_text(json.dumps(data))

    text = text_of(site.client().get("/seals").get_data(as_text=True))

    assert "печатка не збігається зі своїм підписом (файл змінено після підписання)" in text
    assert "дійсний" not in text


def test_a_document_the_public_may_not_read_is_as_if_it_did_not_exist(site: Site) -> None:
    _citizen, message = message_to_deputy(site)
    site.commit()
    seal_now(site)
    client = site.client()

    private = text_of(client.get(f"/seals?document={message.id}").get_data(as_text=True))
    missing = text_of(client.get("/seals?document=999999").get_data(as_text=True))

    assert f"Публічного документа {message.id} немає." in private
    assert "Публічного документа 999999 немає." in missing
    assert "Освітлення" not in private
    assert client.get("/seals?document=abc%27").status_code == 200
    assert client.get("/seals/../seal-key.pem").status_code == 404
    assert client.get("/seals/seal-key.pem").status_code == 404
    assert client.get("/seals/2026-01-01.json").status_code == 404
