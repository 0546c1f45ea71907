"""The Atom feeds, read back as XML: new decisions, drafts opened for discussion, a deputy's public answers;
stable ids, the moves' moments as `updated`, and nothing that is not public."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from tests.web.public.people_world import hold_sitting
from tests.web.site import Site, message_to_deputy
from workflow.council.drafts import drafts
from workflow.council.messages import messages
from workflow.engine import fire

NS = {"atom": "http://www.w3.org/2005/Atom"}


def parsed(site: Site, path: str) -> ET.Element:
    response = site.client().get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.get_data())


def entries(feed: ET.Element) -> list[dict[str, str]]:
    return [
        {
            "id": entry.findtext("atom:id", namespaces=NS) or "",
            "title": entry.findtext("atom:title", namespaces=NS) or "",
            "updated": entry.findtext("atom:updated", namespaces=NS) or "",
            "link": (entry.find("atom:link", NS).get("href") or "") if entry.find("atom:link", NS) is not None else "",
            "content": entry.findtext("atom:content", namespaces=NS) or "",
        }
        for entry in feed.findall("atom:entry", NS)
    ]


def test_the_decisions_feed_lists_numbered_decisions_with_stable_ids(site: Site) -> None:
    world = site.world
    sitting = hold_sitting(site)
    fire(site.session, sitting.roof, "sign", world.actor(world.mayor, 17), now=world.at(17))
    site.commit()

    feed = parsed(site, "/feeds/decisions.atom")
    again = parsed(site, "/feeds/decisions.atom")

    assert feed.findtext("atom:title", namespaces=NS) == "Нові рішення ради"
    assert feed.findtext("atom:id", namespaces=NS) == again.findtext("atom:id", namespaces=NS)
    (entry,) = entries(feed)
    assert entry == entries(again)[0]
    assert entry["title"] == "№ 1-12-VIII Про ремонт даху ліцею № 2"
    assert entry["id"].startswith("tag:127.0.0.1,2026-03-")
    assert entry["id"].endswith(f":radaflow/decision/{sitting.roof.id}")
    assert datetime.fromisoformat(entry["updated"]) == world.at(17)
    assert entry["link"].endswith(f"/{sitting.roof.id}")
    assert "Виділити 1,2 млн грн на ремонт." in entry["content"]
    assert feed.findtext("atom:updated", namespaces=NS) == entry["updated"]
    # the street was rejected: no decision
    assert "Садової" not in ET.tostring(feed, encoding="unicode")


def test_the_drafts_feed_lists_drafts_as_they_were_opened_for_discussion(site: Site) -> None:
    world = site.world
    opened = world.published_draft("Про сквер на вулиці Лесі Українки", days=2)
    # a draft still being written is not public
    private = drafts.write_draft(site.session, world.actor(world.staff), "Чернетка для себе", "Текст.", now=world.at(3))
    site.commit()

    feed = parsed(site, "/feeds/drafts.atom")

    assert feed.findtext("atom:title", namespaces=NS) == "Проєкти, винесені на громадське обговорення"
    (entry,) = entries(feed)
    assert entry["title"] == "Про сквер на вулиці Лесі Українки"
    assert datetime.fromisoformat(entry["updated"]) == world.at(2)
    assert f"radaflow/draft/{opened.id}/opened/" in entry["id"]
    assert private.title not in ET.tostring(feed, encoding="unicode")


def test_a_deputys_answers_feed_carries_only_public_answers_and_no_citizen(site: Site) -> None:
    world = site.world
    citizen, public = message_to_deputy(site, read=True)
    deputy = world.actor(world.deputies[0], 3)
    messages.answer(site.session, public, deputy, "Полагодимо в п'ятницю.", public=True, now=world.at(3))
    private = messages.write_to_deputy(
        site.session, world.actor(citizen), world.deputies[0], "Особисте", "Приватний текст.", now=world.at(4)
    )
    messages.read_message(site.session, private, deputy, now=world.at(4))
    messages.answer(site.session, private, deputy, "Лише вам.", public=False, now=world.at(5))
    site.commit()

    feed = parsed(site, f"/deputies/{world.deputies[0].id}/answers.atom")
    text = ET.tostring(feed, encoding="unicode")

    (entry,) = entries(feed)
    assert entry["title"] == "Освітлення"
    assert "Полагодимо в п'ятницю." in entry["content"]
    assert entry["link"].endswith(f"/deputies/{world.deputies[0].id}#answer-{public.id}")
    assert datetime.fromisoformat(entry["updated"]) == world.at(3)
    for secret in ("Особисте", "Приватний", "Лише вам", citizen.full_name, "halyna@example.org"):
        assert secret not in text


def test_empty_feeds_are_valid_and_the_same_every_time(site: Site) -> None:
    first = site.client().get("/feeds/decisions.atom").get_data()
    feed = ET.fromstring(first)
    assert feed.findall("atom:entry", NS) == []
    assert feed.findtext("atom:updated", namespaces=NS) == "2020-01-01T00:00:00+00:00"
    assert site.client().get("/feeds/decisions.atom").get_data() == first
