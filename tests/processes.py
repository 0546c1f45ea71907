"""Real processes for the tests that need them: an SMTP server on loopback, a Redis server of the test's own
(which a fault test may stop and start again), and Celery workers and beat that can be killed."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from workflow.config import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, every: float = 0.05) -> None:
    """Poll until `condition()` is true; fail the test naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not after {timeout} s")
        time.sleep(every)


# --- a real SMTP server ----------------------------------------------------------------------------------------
@dataclass
class Mailbox:
    """What the SMTP server received; it answers 451 to the first `refuse` messages and 550 to `unknown`."""

    refuse: int = 0
    unknown: set[str] = field(default_factory=set)
    delay: float = 0.0
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.unknown:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                self.refused += 1
                return "451 4.3.0 Mail server temporarily rejected message"
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            self.received.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.received]

    def count(self) -> int:
        with self.lock:
            return len(self.received)


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


# --- a Redis of the test's own -----------------------------------------------------------------------------------
class RedisServer:
    """redis-server on a free port, keeping nothing on disk; `stop()` and `start()` again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what=f"redis-server on port {self.port} to answer")

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=10)
            self._process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- Celery workers and beat ---------------------------------------------------------------------------------------
class CeleryProcess:
    """`celery -A celery_worker worker|beat` in a process group of its own, so that it can be killed whole."""

    def __init__(self, args: list[str], env: Mapping[str, str], log: Path) -> None:
        self.log = log
        self._log_file = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "celery_worker", *args],
            cwd=PROJECT_ROOT,
            env={**os.environ, **env},
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_until_logged(self, text: str, timeout: float = 60) -> None:
        wait_for(
            lambda: text in self.output() or self.process.poll() is not None,
            timeout=timeout,
            what=f"{text!r} in {self.log.name}",
        )
        if self.process.poll() is not None:
            pytest.fail(f"celery exited with {self.process.returncode}:\n{self.output()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL to the whole group: the main process and its pool, as a crash or the OOM killer would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log_file.close()


@dataclass
class Celery:
    """Starts workers and beat against the given environment; stops whatever is left at the end."""

    env: dict[str, str]
    logs: Path
    started: list[CeleryProcess] = field(default_factory=list)

    def worker(self, name: str) -> CeleryProcess:
        process = CeleryProcess(
            [
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--pool=prefork",
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            self.env,
            self.logs / f"{name}.log",
        )
        self.started.append(process)
        process.wait_until_logged("ready.")
        return process

    def beat(self) -> CeleryProcess:
        process = CeleryProcess(
            ["beat", "--loglevel=INFO", "--schedule", str(self.logs / "celerybeat-schedule")],
            self.env,
            self.logs / "beat.log",
        )
        self.started.append(process)
        process.wait_until_logged("beat: Starting")
        return process

    def stop_all(self) -> None:
        for process in self.started:
            process.stop()
