"""Benchmark: effects end to end, from a committed move to the e-mail received, through two Celery workers.

    .venv/bin/python bench/effects.py [--moves N] [--transitions N] [--batch N]

Everything is real and the bench's own: a redis-server on a free port (nothing kept on disk), a fresh PostgreSQL
database on 127.0.0.1:5432, an SMTP server in this process (aiosmtpd on loopback, noting when each message
arrives), and two `celery -A celery_worker worker --concurrency=1 --pool=prefork` processes. No beat: every mail
goes out because of a kick, `kick(app)` sent after each commit exactly as the web application sends it.

The council: a member of staff (immediate e-mail) wrote drafts and submitted them for visas; the secretary returns
each for revision, which notifies its author and nobody else, so one move is one e-mail.
- latency: N moves one after another (100 by default, after 10 not counted), each committed on its own and
  kicked; the time from the commit's return to the arrival of its e-mail; p50 and p95;
- throughput: 1,000 moves committed in batches (20 per transaction by default, a kick after each), as fast as
  this process can; notifications per second from the first commit's start to the last e-mail's arrival.

Every move must give exactly one e-mail: one received twice stops the bench, and a notification whose effect was
given up on (so its e-mail never leaves) is listed and makes the exit status 1, after the figures. Processes, the
Redis server and the database are removed at the end, also after an error or a SIGTERM. The last line printed on
standard output is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any, NoReturn

# run as `python bench/effects.py`: the project comes first on the path, and this folder (whose docx.py would
# hide python-docx from the tasks' imports) comes off it
sys.path.remove(str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller
from celery import Celery
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bench.engine import postgres_database
from tasks.celery_app import create_celery, kick
from workflow import schema
from workflow.config import PROJECT_ROOT, Settings
from workflow.council.catalog import CATALOG
from workflow.council.drafts import drafts
from workflow.council.organisation import setup
from workflow.db import make_engine, make_sessionmaker
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import fire
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.notifications.models import OutgoingMail
from workflow.people import Actor, load_actor

WORKERS = ("bench1", "bench2")
WARM_UP = 10
AUTHOR_EMAIL = "o.melnyk@rada.example"
BODY = "Виділити кошти на капітальний ремонт даху ліцею № 2 у межах бюджету на 2027 рік."
#: a wait with no new e-mail for this long is looked into: are effects or e-mails still pending?
STALL_SECONDS = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def poll(condition: Any, *, timeout: float, what: str, every: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not after {timeout:.0f} s")
        time.sleep(every)


# --- the SMTP server ---------------------------------------------------------------------------------------------
@dataclass
class Mailbox:
    """An aiosmtpd handler: every message received, with the moment (`time.perf_counter()`) it arrived."""

    arrivals: list[tuple[float, str]] = field(default_factory=list)  # (moment, body)
    changed: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        arrived = time.perf_counter()
        message = message_from_bytes(envelope.content, policy=policy.default)
        body = message.get_body(("plain",))
        text = "" if body is None else body.get_content()
        with self.changed:
            self.arrivals.append((arrived, text))
            self.changed.notify_all()
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.changed:
            return len(self.arrivals)

    def wait_for(self, count: int, *, timeout: float, on_stall: Callable[[], bool]) -> bool:
        """Until `count` messages have arrived (True). After STALL_SECONDS without a new one, `on_stall()` says
        whether more can come; False, or `timeout` seconds in all, ends the wait (False)."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.arrivals) < count:
                seen = len(self.arrivals)
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(min(left, STALL_SECONDS))
                if len(self.arrivals) == seen and not on_stall():
                    return False
        return True


@contextmanager
def smtp_server(box: Mailbox) -> Iterator[int]:
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


# --- Redis and the workers ---------------------------------------------------------------------------------------
@contextmanager
def redis_server(port: int) -> Iterator[str]:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        poll(
            lambda: _redis_answers(port) or process.poll() is not None,
            timeout=10,
            what=f"redis-server on port {port} to answer",
        )
        if process.poll() is not None:
            raise RuntimeError(f"redis-server on port {port} exited with {process.returncode}")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.kill()
        process.wait(timeout=10)


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def celery_worker(name: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """One worker in a process group of its own, so that its pool goes down with it."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "celery_worker",
                "worker",
                "--concurrency=1",
                "--pool=prefork",
                "-n",
                f"{name}@%h",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=PROJECT_ROOT,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        except BaseException:  # the log goes with the temporary directory: its end is shown first
            lines = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
            print(f"--- the last lines of {name}'s log:", *lines, sep="\n", file=sys.stderr)
            raise
        finally:
            _stop_group(process)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the worker's group (a warm shutdown), SIGKILL if it has not gone in 20 s. The group is
    signalled only while its leader is unreaped, so that its id cannot belong to someone else by then."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_until_ready(app: Celery, processes: list[subprocess.Popen[bytes]], logs: Path) -> None:
    """Until every worker answers a ping over the broker (it is then consuming the queue)."""

    def answered() -> bool:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"a worker exited with {process.returncode}; see the logs in {logs}")
        replies = app.control.ping(timeout=0.5) or []
        names = {name.split("@", 1)[0] for reply in replies for name in reply}
        return names >= set(WORKERS)

    poll(answered, timeout=60, what="both Celery workers to answer a ping", every=0.2)


# --- the council -------------------------------------------------------------------------------------------------
@dataclass
class Council:
    engine: Engine
    sessions: sessionmaker[Session]
    secretary: Actor
    drafts: list[int]


def prepare(url: str, drafts_count: int) -> Council:
    """A council with a member of staff (immediate e-mail) and a secretary (no e-mail); `drafts_count` drafts
    submitted for visas (nobody holds the reviewer's role, so submitting tells nobody)."""
    registry = DefinitionRegistry.from_directory(PROJECT_ROOT / "definitions", CATALOG)
    engine = make_engine(url)
    schema.upgrade(engine)
    sessions = make_sessionmaker(engine, registry)
    with sessions.begin() as session:
        registry.sync(session)
        setup.create_council(session, name="Славутицька міська рада", convocation=8, total_composition=27)
        staff = setup.add_person(session, "Оксана Мельник", email=AUTHOR_EMAIL, roles=("staff",))
        clerk = setup.add_person(session, "Тарас Коваль", roles=("secretary",))
        author = load_actor(session, staff.id)
        ids = []
        for n in range(drafts_count):
            draft = drafts.write_draft(session, author, f"Про ремонт даху ліцею № {n + 1}", BODY)
            fire(session, draft, "submit", author)
            ids.append(draft.id)
        secretary = load_actor(session, clerk.id)
    return Council(engine, sessions, secretary, ids)


def return_for_revision(council: Council, draft_ids: list[int]) -> None:
    """One transaction: the secretary returns these drafts, each move notifying its author."""
    with council.sessions.begin() as session:
        for draft_id in draft_ids:
            draft = session.get_one(Document, draft_id)
            fire(session, draft, "return_for_revision", council.secretary, comment="Уточніть джерело фінансування")


def pending(council: Council) -> tuple[int, int]:
    """(effects, e-mails) still waiting to be carried out."""
    with council.sessions() as session:
        effects = session.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.status == "pending"))
        mails = session.scalar(select(func.count()).select_from(OutgoingMail).where(OutgoingMail.status == "pending"))
    return effects or 0, mails or 0


def failed_effects(council: Council, draft_ids: list[int]) -> list[tuple[int, int, str]]:
    """The returns' notify effects on these drafts given up on: (outbox id, attempts, last error)."""
    with council.sessions() as session:
        rows = session.execute(
            select(OutboxRow.id, OutboxRow.attempts, OutboxRow.last_error)
            .join(
                AuditEntry,
                (AuditEntry.document_id == OutboxRow.document_id) & (AuditEntry.version == OutboxRow.audit_version),
            )
            .where(
                OutboxRow.document_id.in_(draft_ids),
                OutboxRow.status == "failed",
                AuditEntry.trigger == "return_for_revision",
            )
            .order_by(OutboxRow.id)
        ).all()
    return [(row_id, attempts, error or "") for row_id, attempts, error in rows]


class Kicker:
    """What a stalled wait does: nothing more can come when no effect and no e-mail is pending; otherwise the
    kicks sent found less to send than was left (a dispatch sends at most 100 e-mails), and one more is sent."""

    def __init__(self, council: Council, app: Celery) -> None:
        self.council = council
        self.app = app
        self.extra = 0

    def __call__(self) -> bool:
        if pending(self.council) == (0, 0):
            return False
        self.extra += 1
        kick(self.app)
        return True


# --- the measurements ------------------------------------------------------------------------------------------
def latency(council: Council, app: Celery, box: Mailbox, draft_ids: list[int]) -> tuple[list[float], int]:
    """Milliseconds from each move's commit to its e-mail's arrival, one move at a time; and how many moves'
    e-mails never came."""
    samples = []
    lost = 0
    for draft_id in draft_ids:
        expected = box.count() + 1
        return_for_revision(council, [draft_id])
        committed = time.perf_counter()
        kick(app)
        if not box.wait_for(expected, timeout=120, on_stall=Kicker(council, app)):
            lost += 1
            continue
        arrived, text = box.arrivals[expected - 1]
        if f"/documents/{draft_id}" not in text:
            raise AssertionError(f"the e-mail that arrived is not about draft {draft_id}:\n{text}")
        samples.append((arrived - committed) * 1000)
    return samples, lost


@dataclass
class Throughput:
    moves: int
    received: int
    commit_seconds: float
    total_seconds: float
    extra_kicks: int


def throughput(council: Council, app: Celery, box: Mailbox, draft_ids: list[int], batch: int) -> Throughput:
    before = box.count()
    started = time.perf_counter()
    for first in range(0, len(draft_ids), batch):
        return_for_revision(council, draft_ids[first : first + batch])
        kick(app)
    committed = time.perf_counter()
    kicker = Kicker(council, app)
    box.wait_for(before + len(draft_ids), timeout=600, on_stall=kicker)
    arrivals = box.arrivals[before:]
    last = max((moment for moment, _ in arrivals), default=committed)
    return Throughput(len(draft_ids), len(arrivals), committed - started, last - started, kicker.extra)


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def _terminate(signum: int, _frame: Any) -> NoReturn:
    raise SystemExit(128 + signum)  # unwinds through every `finally`: workers, Redis, the database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moves", type=int, default=100, help="sequential moves timed for latency (default 100)")
    parser.add_argument("--transitions", type=int, default=1000, help="moves for throughput (default 1000)")
    parser.add_argument("--batch", type=int, default=20, help="moves per transaction for throughput (default 20)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _terminate)

    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="radaflow-bench-effects-")))
        url = stack.enter_context(postgres_database("radaflow_bench_effects"))
        started = time.perf_counter()
        council = prepare(url, WARM_UP + args.moves + args.transitions)
        stack.callback(council.engine.dispose)
        print(
            f"council with {len(council.drafts)} submitted drafts in {time.perf_counter() - started:.1f} s", flush=True
        )

        redis_url = stack.enter_context(redis_server(free_port()))
        box = Mailbox()
        smtp_port = stack.enter_context(smtp_server(box))
        env = {
            "DATABASE_URL": url,
            "REDIS_URL": redis_url,
            "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "RADAFLOW_INSTANCE": str(directory),
        }
        app = create_celery(Settings.from_env({**os.environ, **env}))
        processes = [stack.enter_context(celery_worker(name, env, directory / f"{name}.log")) for name in WORKERS]
        started = time.perf_counter()
        wait_until_ready(app, processes, directory)
        print(
            f"two workers ready in {time.perf_counter() - started:.1f} s (Redis on {redis_url}, "
            f"SMTP on 127.0.0.1:{smtp_port})",
            flush=True,
        )

        # the submissions' effects (telling nobody) are carried out first, so that the moves find an empty outbox
        for _ in WORKERS:
            kick(app)
        poll(lambda: pending(council)[0] == 0, timeout=120, what="the submissions' effects to be done")

        ids = iter(council.drafts)
        warm = [next(ids) for _ in range(WARM_UP)]
        moves = [next(ids) for _ in range(args.moves)]
        rest = list(ids)
        latency(council, app, box, warm)  # each worker opens its database connections on its first task
        samples, lost_one_by_one = latency(council, app, box, moves)
        p50, p95 = statistics.median(samples), percentile(samples, 95)
        print(
            f"latency, commit to e-mail received, {len(samples)} moves one at a time: p50 {p50:.1f} ms, "
            f"p95 {p95:.1f} ms (min {min(samples):.1f}, max {max(samples):.1f})",
            flush=True,
        )

        ran = throughput(council, app, box, rest, args.batch)
        per_s = ran.received / ran.total_seconds
        print(
            f"throughput: {ran.moves} moves committed in {ran.commit_seconds:.2f} s "
            f"({ran.moves / ran.commit_seconds:.0f}/s, {args.batch} per transaction, a kick after each); "
            f"{ran.received} e-mails received after {ran.total_seconds:.2f} s: {per_s:.0f} notifications/s",
            flush=True,
        )
        if ran.extra_kicks:
            print(
                f"  {ran.extra_kicks} more kick(s) were sent: the kicks after the commits left e-mails pending "
                "(a dispatch sends at most 100; in production beat's send-mail sweep takes the rest)"
            )

        moved = WARM_UP + args.moves + args.transitions
        time.sleep(1)  # a mail sent twice would arrive about now
        failed = failed_effects(council, council.drafts)
        if box.count() + len(failed) != moved:
            raise AssertionError(
                f"{box.count()} e-mails received and {len(failed)} effects failed for {moved} "
                "moves: an e-mail was sent twice, or one is still on its way"
            )
        if failed:
            print(
                f"LOST: {len(failed)} of {moved} notifications never went out ({lost_one_by_one} of the "
                f"{args.moves} one-at-a-time moves, {ran.moves - ran.received} of the {ran.moves} in batches): "
                "their notify effects were marked failed:",
                file=sys.stderr,
            )
            for row_id, attempts, error in failed:
                print(f"  outbox row {row_id}, {attempts} attempts: {error.strip()}", file=sys.stderr)

    print(
        json.dumps(
            {
                "bench": "effects",
                "latency_ms": {"p50": round(p50, 2), "p95": round(p95, 2)},
                "notifications_per_s": round(per_s, 1),
            }
        )
    )
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
