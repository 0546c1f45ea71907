"""Benchmark: the cost of one `fire()` against the floor, the same transaction written by hand.

    .venv/bin/python bench/engine.py [--fires N] [--rounds R] [--big N] [--skip-growth]

`fire()` is the engine's own call (the one the web and the tasks make), on the shipped `decision_draft`
definition with its roles, guards and effects: a draft goes `submit` (author, guard `has_text`, one effect)
then `return_for_revision` (secretary, a comment, one effect), over and over. The floor does what any engine
must do for the same move, with raw SQL on the same driver: take the moment and the due date, lock the row,
update the state, insert the audit entry, insert the outbox row, commit (`Floor`; the floor of earlier runs,
only the statements, is reported beside it as `statements_ms`). They are measured in alternating rounds in one
run, so the machine's noise hits all alike; figures are medians of per-fire wall time, and the ratios are what
to read.

Also: fires per second with 4 processes on distinct documents (PostgreSQL), and the cost of `fire()` with 10
and with 1,000,000 documents (and their audit entries) in the table, measured alternately on two databases.
The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflow import schema
from workflow.config import PROJECT_ROOT
from workflow.council.catalog import CATALOG
from workflow.db import make_engine, make_sessionmaker
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import create_document, fire
from workflow.engine.models import Document
from workflow.people import Actor, Person, RoleGrant, load_actor
from workflow.timeutil import utcnow

POSTGRES_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
CYCLE = (("submit", "author", None), ("return_for_revision", "secretary", "Доопрацюйте, будь ласка"))
STATES = {"submit": ("drafting", "visas"), "return_for_revision": ("visas", "drafting")}
BODY = {"body": "Виділити кошти на капітальний ремонт даху ліцею № 2 у межах бюджету на 2027 рік."}


# --- databases -----------------------------------------------------------------------------------------------
@contextmanager
def postgres_database(prefix: str):  # type: ignore[no-untyped-def]
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_URL.format(name=name)
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Council:
    """A migrated database with the two people of the cycle and the documents to fire on."""

    url: str
    registry: DefinitionRegistry
    actors: dict[str, Actor]
    documents: list[int]


def prepare(url: str, documents: int) -> Council:
    registry = DefinitionRegistry.from_directory(PROJECT_ROOT / "definitions", CATALOG)
    engine = make_engine(url)
    schema.upgrade(engine)
    sessions = make_sessionmaker(engine, registry)
    with sessions.begin() as session:
        registry.sync(session)
        author = Person(full_name="Оксана Мельник")
        secretary = Person(full_name="Тарас Коваль")
        session.add_all([author, secretary])
        session.flush()
        session.add_all(
            [RoleGrant(person_id=author.id, role="staff"), RoleGrant(person_id=secretary.id, role="secretary")]
        )
        session.flush()
        actors = {"author": load_actor(session, author.id), "secretary": load_actor(session, secretary.id)}
        ids = [
            create_document(session, "decision_draft", actors["author"], title=f"Проєкт № {i}", fields=BODY).id
            for i in range(documents)
        ]
    engine.dispose()
    return Council(url, registry, actors, ids)


# --- the two contenders: the engine's fire() and the hand-written floor ----------------------------------------
class EngineFirer:
    """fire() + commit, the way a task does it, on documents kept loaded in one session.

    The session holds one connection, as the floor does: what is compared is the transaction, not the pool.
    """

    def __init__(self, council: Council, document_ids: list[int]) -> None:
        self.engine = make_engine(council.url, pool_size=1)
        self.connection = self.engine.connect()
        self.session: Session = make_sessionmaker(self.engine, council.registry)(bind=self.connection)
        self.actors = council.actors
        self.documents = [self.session.get(Document, i) for i in document_ids]
        self.session.commit()
        self.step = 0

    def once(self) -> float:
        trigger, who, comment = CYCLE[self.step % 2]
        document = self.documents[(self.step // 2) % len(self.documents)]
        self.step += 1
        started = time.perf_counter()
        fire(self.session, document, trigger, self.actors[who], comment=comment)
        self.session.commit()
        return time.perf_counter() - started

    def close(self) -> None:
        self.session.close()
        self.connection.close()
        self.engine.dispose()


class Floor:
    """The same move by hand — raw SQL, same driver: take the moment and work out the due date, lock the row, update
    it, append the audit entry and the outbox row, commit. On SQLite the transaction takes the write lock when it
    begins (BEGIN IMMEDIATE), as any writer must there: one that begins deferred and writes after reading loses to
    a writer that committed meanwhile (see `workflow.db`).

    `statements_only` is the floor as this benchmark measured it until migration 0015: the moment, the due date and
    their text prepared before the clock starts, and SQLite's transaction begun deferred. It is still measured and
    reported beside the whole move, so figures stay comparable with earlier runs.
    """

    def __init__(
        self, council: Council, document_ids: list[int], dialect: str, *, statements_only: bool = False
    ) -> None:
        self.dialect = dialect
        self.statements_only = statements_only
        if dialect == "postgresql":
            self.connection: Any = psycopg.connect(council.url.replace("postgresql+psycopg", "postgresql"))
            self.p = "%s"
            lock = "SELECT version, audit_hash FROM documents WHERE id = %s FOR UPDATE"
        else:
            self.connection = sqlite3.connect(council.url.split("///", 1)[1], isolation_level=None)
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
                self.connection.execute(f"PRAGMA {pragma}")
            self.p = "?"
            lock = "SELECT version, audit_hash FROM documents WHERE id = ?"
        p = self.p
        self.lock = lock
        self.update = (
            f"UPDATE documents SET state = {p}, version = {p}, audit_hash = {p}, updated_at = {p}, "
            f"state_entered_at = {p}, due_at = {p} WHERE id = {p}"
        )
        self.audit = (
            "INSERT INTO audit_entries (document_id, version, at, actor_id, trigger, from_state, to_state, comment,"
            f" data, prev_hash, hash) VALUES ({', '.join([p] * 11)})"
        )
        self.outbox = (
            "INSERT INTO outbox (document_id, audit_version, effect, params, idempotency_key, status, attempts,"
            f" available_at, created_at) VALUES ({', '.join([p] * 9)})"
        )
        self.actors = council.actors
        self.documents = document_ids
        self.step = 0

    def once(self) -> float:
        trigger, who, comment = CYCLE[self.step % 2]
        document_id = self.documents[(self.step // 2) % len(self.documents)]
        self.step += 1
        source, dest = STATES[trigger]
        started = time.perf_counter()
        now, due = self._moments(dest)
        if self.statements_only:  # the moments as if prepared before the clock started
            started = time.perf_counter()
        cursor = self.connection.cursor()
        if self.dialect == "sqlite":
            cursor.execute("BEGIN" if self.statements_only else "BEGIN IMMEDIATE")
        cursor.execute(self.lock, (document_id,))
        version, prev_hash = cursor.fetchone()
        new_version = version + 1
        digest = hashlib.sha256(f"{document_id}|{new_version}|{trigger}|{prev_hash}".encode()).hexdigest()
        cursor.execute(self.update, (dest, new_version, digest, now, now, due, document_id))
        cursor.execute(
            self.audit,
            (
                document_id,
                new_version,
                now,
                self.actors[who].id,
                trigger,
                source,
                dest,
                comment,
                "{}",
                prev_hash,
                digest,
            ),
        )
        cursor.execute(
            self.outbox,
            (
                document_id,
                new_version,
                "notify",
                '{"roles": ["author"], "template": "t"}',
                f"{document_id}:{new_version}:0",
                "pending",
                0,
                now,
                now,
            ),
        )
        self.connection.commit() if self.dialect == "postgresql" else cursor.execute("COMMIT")
        return time.perf_counter() - started

    def _moments(self, dest: str) -> tuple[Any, Any]:
        """The move's moment and due date, as the driver takes them."""
        moment = utcnow()
        # the same row the engine writes: `visas` has a deadline (5 working days), `drafting` none
        due_moment = moment + timedelta(days=7) if dest == "visas" else None
        if self.dialect == "postgresql":
            return moment, due_moment
        due = None if due_moment is None else due_moment.strftime("%Y-%m-%d %H:%M:%S.%f")
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f"), due

    def close(self) -> None:
        self.connection.close()


def alternate(contenders: dict[str, Callable[[], float]], fires: int, rounds: int) -> dict[str, float]:
    """Median milliseconds per fire, each contender running `fires` per round, rounds interleaved."""
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    per_round = max(1, fires // rounds)
    for once in contenders.values():  # warm up: caches, prepared statements, the pool
        for _ in range(min(50, per_round)):
            once()
    for _ in range(rounds):
        for name, once in contenders.items():
            samples[name].extend(once() for _ in range(per_round))
    return {name: statistics.median(values) * 1000 for name, values in samples.items()}


# --- the measurements ----------------------------------------------------------------------------------------
def fire_vs_floor(url: str, dialect: str, fires: int, rounds: int) -> dict[str, float]:
    council = prepare(url, documents=60)
    half = len(council.documents) // 3
    firer = EngineFirer(council, council.documents[:half])
    third = half + (len(council.documents) - half) // 2
    floor = Floor(council, council.documents[half:third], dialect)
    statements = Floor(council, council.documents[third:], dialect, statements_only=True)
    try:
        medians = alternate({"fire": firer.once, "floor": floor.once, "statements": statements.once}, fires, rounds)
    finally:
        firer.close()
        floor.close()
        statements.close()
    return {
        "fire_ms": round(medians["fire"], 4),
        "floor_ms": round(medians["floor"], 4),
        "ratio": round(medians["fire"] / medians["floor"], 3),
        "statements_ms": round(medians["statements"], 4),
        "ratio_to_statements": round(medians["fire"] / medians["statements"], 3),
    }


def _concurrent_worker(url: str, document_ids: list[int], seconds: float, queue: Any) -> None:
    council = Council(url, DefinitionRegistry.from_directory(PROJECT_ROOT / "definitions", CATALOG), {}, [])
    engine = make_engine(url)
    with Session(engine) as session:
        ids = session.execute(text("SELECT id FROM persons ORDER BY id")).scalars().all()
        council.actors = {"author": load_actor(session, ids[0]), "secretary": load_actor(session, ids[1])}
    engine.dispose()
    firer = EngineFirer(council, document_ids)
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        firer.once()
        done += 1
    firer.close()
    queue.put(done)


def concurrent_fires_per_s(url: str, clients: int = 4, seconds: float = 5.0) -> float:
    council = prepare(url, documents=clients * 10)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [
        context.Process(target=_concurrent_worker, args=(url, council.documents[i::clients], seconds, queue))
        for i in range(clients)
    ]
    for worker in workers:
        worker.start()
    total = sum(queue.get(timeout=seconds + 60) for _ in workers)
    for worker in workers:
        worker.join()
    return round(total / seconds, 1)


def fill(url: str, documents: int, definition_version: int) -> None:
    """Add `documents` drafts, each with its creation audit entry, in bulk (as years of a council's work)."""
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as connection:
        connection.execute(
            """
            INSERT INTO documents (kind, definition_version, state, version, title, fields, author_id,
                                   created_at, updated_at, state_entered_at, audit_hash)
            SELECT 'decision_draft', %s, 'drafting', 1, 'Архівний проєкт № ' || g, '{"body": "Текст"}', 1,
                   now(), now(), now(), md5(g::text) || md5(g::text)
              FROM generate_series(1, %s) AS g
            """,
            (definition_version, documents),
        )
        connection.execute(
            """
            INSERT INTO audit_entries (document_id, version, at, actor_id, trigger, from_state, to_state, data,
                                       prev_hash, hash)
            SELECT id, 1, created_at, author_id, 'create', NULL, 'drafting', '{}', repeat('0', 64), audit_hash
              FROM documents WHERE title LIKE 'Архівний%%'
            """
        )
        connection.execute("ANALYZE")


def growth(small_url: str, big_url: str, big: int, fires: int, rounds: int) -> dict[str, float]:
    small = prepare(small_url, documents=10)
    large = prepare(big_url, documents=10)
    fill(big_url, big - 10, large.registry.current("decision_draft").version)
    a, b = EngineFirer(small, small.documents), EngineFirer(large, large.documents)
    try:
        medians = alternate({"small": a.once, "big": b.once}, fires, rounds)
    finally:
        a.close()
        b.close()
    return {
        "fire_ms_at_10": round(medians["small"], 4),
        f"fire_ms_at_{'1m' if big == 1_000_000 else big}": round(medians["big"], 4),
        "ratio": round(medians["big"] / medians["small"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fires", type=int, default=4000, help="fires per contender (default 4000)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--big", type=int, default=1_000_000, help="documents in the big table")
    parser.add_argument("--skip-growth", action="store_true")
    args = parser.parse_args()

    result: dict[str, Any] = {"bench": "engine"}
    with postgres_database("radaflow_bench") as url:
        result["postgresql"] = fire_vs_floor(url, "postgresql", args.fires, args.rounds)
        print("postgresql", result["postgresql"], flush=True)
    with postgres_database("radaflow_bench") as url:
        result["postgresql"]["concurrent_fires_per_s"] = concurrent_fires_per_s(url)
        print("postgresql concurrent fires/s:", result["postgresql"]["concurrent_fires_per_s"], flush=True)
    with tempfile.TemporaryDirectory() as directory:
        result["sqlite"] = fire_vs_floor(f"sqlite:///{directory}/bench.sqlite3", "sqlite", args.fires, args.rounds)
        print("sqlite", result["sqlite"], flush=True)
    if not args.skip_growth:
        with postgres_database("radaflow_small") as small, postgres_database("radaflow_big") as big:
            result["growth"] = growth(small, big, args.big, args.fires // 2, args.rounds)
            print("growth", result["growth"], flush=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
