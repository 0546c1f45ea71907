"""A kind's watchers (`Catalog.on_change`) are told of every change of its documents — creation, a move, an edit,
a file stored — in the change's own transaction, and of nothing else's."""

from __future__ import annotations

from workflow.council.catalog import CATALOG
from workflow.council.drafts import drafts
from workflow.definitions.catalog import WatcherSpec
from workflow.engine import edit_document, fire
from workflow.files import store_file


def test_every_change_of_a_document_of_the_kind_is_told_to_its_watchers(session, world, monkeypatch):
    told: list[tuple[int, str, int]] = []
    spec = WatcherSpec(
        "test_watcher",
        "records what it is told",
        "decision_draft",
        lambda _session, document, _now: told.append((document.id, document.state, document.version)),
    )
    monkeypatch.setitem(CATALOG.watchers, spec.name, spec)
    author = world.actor(world.staff)

    draft = drafts.write_draft(session, author, "Про сквер", "Облаштувати сквер.", now=world.at(0))
    edit_document(session, draft, author, fields={"body": "Облаштувати сквер і дитячий майданчик."}, now=world.at(0))
    visas = drafts.submit_draft(session, draft, author, now=world.at(0))
    store_file(session, draft, "annex", b"%PDF-1.4", key="test:annex", now=world.at(0), filename="a.pdf")
    fire(session, visas[0], "give", world.actor(world.lawyer), now=world.at(0))  # a visa is another kind

    assert told == [
        (draft.id, "drafting", 1),
        (draft.id, "drafting", 2),
        (draft.id, "visas", 3),
        (draft.id, "visas", 3),
    ]
