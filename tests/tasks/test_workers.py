"""The effects carried out by real Celery workers over a real Redis, and the faults they must survive: Redis
stopped while moves commit, a worker killed in the middle of rendering a protocol, an SMTP server that refuses
for a while. Every notification arrives exactly once; one file is stored."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tasks.celery_app import create_celery, kick
from tasks.effects import handlers
from tests.conftest import DEFINITIONS, build_world, create_postgres_database, drop_postgres_database
from tests.processes import Celery, Mailbox, RedisServer, wait_for
from workflow import schema
from workflow.config import Settings
from workflow.council.catalog import CATALOG
from workflow.council.drafts import drafts
from workflow.council.organisation import setup
from workflow.council.sittings import sessions
from workflow.council.sittings.models import AgendaItem
from workflow.db import make_engine, make_sessionmaker
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import create_document, fire
from workflow.engine.models import Document, OutboxRow
from workflow.engine.outbox import run_due
from workflow.files import DocumentFile
from workflow.people import load_actor

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: real processes that wait on one another with timeouts: under pytest-xdist they take turns on one worker
pytestmark = pytest.mark.xdist_group("processes")


@dataclass
class Deployment:
    """PostgreSQL, a Redis of the test's own, a real SMTP server, and workers and beat to start."""

    settings: Settings
    sessions: sessionmaker[Session]
    redis: RedisServer
    mailbox: Mailbox
    celery: Celery

    def kick(self) -> bool:
        return kick(create_celery(self.settings))

    def outbox(self) -> dict[str, int]:
        with self.sessions() as session:
            return dict(session.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status)).all())


@pytest.fixture
def deployment(tmp_path: Path, redis_server: RedisServer, mailbox: tuple[Mailbox, int]) -> Iterator[Deployment]:
    url = create_postgres_database("radaflow_workers")
    engine = make_engine(url)
    schema.upgrade(engine)
    registry = DefinitionRegistry.from_directory(DEFINITIONS, CATALOG)
    sessions = make_sessionmaker(engine, registry)
    with sessions.begin() as session:
        registry.sync(session)
    box, smtp_port = mailbox
    env = {
        "DATABASE_URL": url,
        "REDIS_URL": redis_server.url,
        "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "RADAFLOW_INSTANCE": str(tmp_path / "instance"),
        "RADAFLOW_RETRY_SECONDS": "0.2",
        "RADAFLOW_SWEEP_SECONDS": "0.5",
        "RADAFLOW_ENV": "test",
    }
    settings = Settings.from_env(env)
    celery = Celery(env, tmp_path)
    try:
        yield Deployment(settings, sessions, redis_server, box, celery)
    finally:
        celery.stop_all()
        engine.dispose()
        drop_postgres_database(url)


def submit_drafts(deployment: Deployment, count: int, *, kick: bool = True) -> list[int]:
    """`count` drafts written and submitted, each in its own commit followed by a kick, as the web does: each
    submission tells the legal and the finance reviewer. Returns the drafts' ids."""
    ids = []
    with deployment.sessions() as session:
        world = build_world(session)
        session.commit()
        author = world.actor(world.staff)
        for n in range(1, count + 1):
            draft = drafts.write_draft(session, author, f"Проєкт рішення № {n}", "Текст.", now=NOW)
            drafts.submit_draft(session, draft, author, now=NOW)
            session.commit()
            ids.append(draft.id)
            if kick:
                deployment.kick()
    return ids


def subjects(mailbox: Mailbox) -> list[tuple[str, str]]:
    with mailbox.lock:
        return sorted((str(m["To"]), str(m["Subject"])) for m in mailbox.received)


def test_a_commit_kicks_a_worker_that_carries_out_its_effects_and_sends_the_mail(deployment):
    deployment.celery.worker("alpha")

    submit_drafts(deployment, 1)

    wait_for(lambda: deployment.mailbox.count() == 2, timeout=30, what="the two reviewers' e-mails")
    assert all("Проєкт рішення № 1" in subject for _, subject in subjects(deployment.mailbox))
    assert deployment.outbox() == {"done": 1}


def test_with_redis_stopped_every_move_commits_and_every_notification_arrives_once_it_is_back(deployment):
    deployment.celery.worker("alpha")
    deployment.redis.stop()

    started = time.monotonic()
    ids = submit_drafts(deployment, 100)
    elapsed = time.monotonic() - started

    # every move committed, none waited for Redis (a kick that cannot reach it gives up at once)
    with deployment.sessions() as session:
        states = session.scalars(select(Document.state).where(Document.id.in_(ids))).all()
    assert states == ["visas"] * 100
    assert deployment.outbox() == {"pending": 100}
    assert elapsed < 60, f"100 commits took {elapsed:.1f} s with Redis down"
    assert deployment.mailbox.count() == 0

    deployment.redis.start()
    deployment.celery.beat()

    wait_for(lambda: deployment.mailbox.count() >= 200, timeout=120, what="200 e-mails after Redis came back")
    time.sleep(3)  # several more sweeps: nothing more may arrive
    assert deployment.mailbox.count() == 200
    assert len(set(deployment.mailbox.message_ids())) == 200
    expected = {f"Проєкт рішення № {n}" for n in range(1, 101)}
    for reviewer in {to for to, _ in subjects(deployment.mailbox)}:
        titles = [subject for to, subject in subjects(deployment.mailbox) if to == reviewer]
        assert len(titles) == 100
        assert {title for title in expected if any(title + "»" in s or s.endswith(title) for s in titles)} == expected
    assert deployment.outbox() == {"done": 100}


def closed_session_with_protocol_checked(deployment: Deployment, items: int) -> int:
    """A council of 27 and a closed session of `items` roll-call votes; every effect so far carried out, then the
    protocol checked, which leaves one effect: rendering it. Returns that outbox row's id."""
    with deployment.sessions() as session:
        setup.create_council(session, name="Славутицька міська рада", convocation=8, total_composition=27)
        mayor = setup.add_person(session, "Микола Бондар", roles=("mayor",))
        deputies = [setup.add_person(session, f"Депутат № {i:02d}", roles=("deputy",)) for i in range(1, 27)]
        clerk = setup.add_person(session, "Тарас Коваль", roles=("secretary",))
        members = [*deputies, mayor]
        sitting = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)
        planned = sitting - timedelta(days=11)
        secretary = load_actor(session, clerk.id, planned)
        plenary = sessions.plan_session(
            session, secretary, number=12, starts_at=sitting, place="Сесійна зала", now=planned
        )
        agenda = []
        for position in range(1, items + 1):
            item = create_document(
                session,
                "agenda_item",
                secretary,
                parent=plenary,
                title=f"Про програму № {position}",
                fields={"position": position},
                now=planned,
            )
            session.add(
                AgendaItem(
                    document_id=item.id,
                    session_id=plenary.id,
                    position=position,
                    reporter_id=deputies[position % 26].id,
                )
            )
            agenda.append(item)
        session.flush()
        fire(session, plenary, "convene", secretary, now=sitting - timedelta(days=10))
        chair = load_actor(session, clerk.id, sitting)
        fire(session, plenary, "open", chair, now=sitting)
        for person in members:
            sessions.register(session, plenary, chair, person, now=sitting)
        sessions.approve_agenda(session, plenary, chair, {m.id: "for" for m in members}, now=sitting)
        for n, item in enumerate(agenda):
            ballots = {m.id: ("for", "against", "abstain", "for")[(n + i) % 4] for i, m in enumerate(members)}
            sessions.vote_on_item(session, plenary, chair, item, ballots, now=sitting + timedelta(minutes=n))
        protocol = sessions.close_session(session, plenary, chair, now=sitting + timedelta(hours=8))
        session.commit()
        run_due(deployment.sessions, handlers(deployment.settings))
        fire(session, protocol, "check", load_actor(session, clerk.id), now=sitting + timedelta(hours=9))
        session.commit()
        row_id = session.scalars(select(OutboxRow.id).where(OutboxRow.status == "pending")).one()
        return int(row_id)


def attempts(deployment: Deployment, row_id: int) -> int:
    with deployment.sessions() as session:
        return int(session.scalar(select(OutboxRow.attempts).where(OutboxRow.id == row_id)) or 0)


def test_a_worker_killed_while_rendering_a_protocol_leaves_it_to_another_and_one_file_is_stored(deployment):
    row_id = closed_session_with_protocol_checked(deployment, items=200)
    doomed = deployment.celery.worker("doomed")

    deployment.kick()
    # its attempt is counted the moment before it starts; the protocol of 200 roll calls takes about a second
    wait_for(lambda: attempts(deployment, row_id) == 1, timeout=30, every=0.01, what="the worker to start rendering")
    time.sleep(0.2)
    doomed.kill()

    with deployment.sessions() as session:
        row = session.get(OutboxRow, row_id)
        assert row is not None
        assert (row.status, row.attempts) == ("pending", 1), "the attempt counted, its work undone"
        assert session.scalar(select(func.count()).where(DocumentFile.name == "protocol")) == 0

    # another worker, and beat's sweep: the row is anybody's once the dead worker's short claim on it lapsed
    deployment.celery.worker("survivor")
    deployment.celery.beat()
    wait_for(lambda: deployment.outbox().get("pending", 0) == 0, timeout=60, what="the protocol to be rendered")

    with deployment.sessions() as session:
        row = session.get(OutboxRow, row_id)
        assert row is not None
        assert (row.status, row.attempts) == ("done", 2)
        files = session.scalars(select(DocumentFile).where(DocumentFile.name == "protocol")).all()
        assert [(f.name, f.version, f.document_id) for f in files] == [("protocol", 1, row.document_id)]


def test_an_smtp_server_that_refuses_for_a_while_gets_each_mail_once_after_retries(deployment):
    deployment.mailbox.refuse = 3
    deployment.celery.worker("alpha")
    deployment.celery.beat()

    submit_drafts(deployment, 2)

    wait_for(lambda: deployment.mailbox.count() == 4, timeout=60, what="four e-mails after the refusals")
    time.sleep(2)
    assert deployment.mailbox.refused == 3
    assert deployment.mailbox.count() == 4
    assert len(set(deployment.mailbox.message_ids())) == 4
