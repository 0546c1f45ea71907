"""Two consoles record the same vote at the same moment — the secretary and a colleague at two computers, or one
secretary in two tabs: the council's record takes one vote, and the other console is told that the council has
voted on the question already. Run on a database that commits, SQLite and PostgreSQL, with the requests really
in flight together."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import CommittedDB, build_world
from tests.web.cabinet.sitting import ballots_form, console, post, refusal_of, sitting
from tests.web.site import Site, password_hash, sign_in
from web import create_app
from workflow.council.sittings.models import Ballot, Vote
from workflow.engine.audit import verify_log
from workflow.engine.models import Document

TIMEOUT = 60


@pytest.fixture
def committed_site(clean_environment: None, committed_db: CommittedDB, tmp_path: Path) -> Iterator[Site]:
    app = create_app({"database_url": committed_db.url, "instance_dir": tmp_path / "instance", "TESTING": True})
    session = app.extensions["radaflow"].sessions()
    world = build_world(session)
    world.secretary.password_hash = password_hash()
    session.commit()
    yield Site(app, world, session)
    session.close()
    assert app.extensions["radaflow.ticker"].settle(timeout=TIMEOUT)
    app.extensions["radaflow"].engine.dispose()


def test_two_consoles_recording_the_same_vote_at_once_record_it_once_and_the_other_is_told(committed_site):
    site = committed_site
    plenary, item = sitting(site, approved=True)
    consoles = [site.client(), site.client()]
    for client in consoles:
        sign_in(client, site.world.secretary)
        assert client.get(console(plenary)).status_code == 200  # both have the console open
    everyone_for = ballots_form("decision", item, {p.id: "for" for p in site.world.members})
    together = threading.Barrier(len(consoles), timeout=TIMEOUT)
    answers: list[tuple[int, str]] = []

    def record(client):  # type: ignore[no-untyped-def]
        together.wait()
        answer = post(client, console(plenary) + "/vote/ticked", everyone_for)
        answers.append((answer.status_code, answer.get_data(as_text=True)))

    threads = [threading.Thread(target=record, args=(client,)) for client in consoles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)

    assert sorted(status for status, _html in answers) == [302, 409], [status for status, _ in answers]
    told = next(html for status, html in answers if status == 409)
    # told, whichever way the race went: the other vote was there when this one began, came while it was being
    # recorded, or had already adopted the draft
    said = refusal_of(told)
    assert any(
        reason in said
        for reason in (
            "рада вже проголосувала з цього питання",
            "тим часом документ змінив хтось інший; оновіть сторінку",
            f"«{item.title}» зараз не розглядається: його стан — Прийнято",
        )
    ), said
    with site.app.extensions["radaflow"].sessions() as session:
        votes = session.scalars(select(Vote).where(Vote.subject_id == item.id)).all()
        assert len(votes) == 1
        ballots = session.scalar(select(func.count()).select_from(Ballot).where(Ballot.vote_id == votes[0].id))
        assert ballots == len(site.world.members)
        assert session.get(Document, item.id).state == "adopted"  # type: ignore[union-attr]
        assert verify_log(session)[2] is None  # the chain holds the one vote, and nothing half-written
