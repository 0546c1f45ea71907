"""The embedded mode's worker (no Redis): one background thread per process that carries out what commits
recorded, so that no request waits for an effect or an e-mail.

`nudge()` after a commit wakes it at once to run the pending effects and e-mails (`runner.run_pending`), in
transactions of its own. Started with `rounds_every` (`radaflow run`), it also does beat's rounds (deadlines,
digests, retries) on that schedule. Nudged only (the web application under gunicorn without Redis), it carries out
what each commit recorded and goes idle; the rounds then need `radaflow effects run` from cron, or Redis and beat.
"""

from __future__ import annotations

import logging
import threading
import time

from tasks import runner
from workflow.runtime import Runtime

log = logging.getLogger("radaflow.ticker")

#: a thread that is only nudged stops after this long without work (the next nudge starts another)
IDLE_SECONDS = 60.0


class Ticker:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._wake = threading.Event()
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        self._rounds_every: float | None = None
        #: nudges asked for, and the last of them a finished run had started after
        self._asked = 0
        self._done = 0

    def start(self, *, rounds_every: float | None = None) -> None:
        """Run the thread (once per process); with `rounds_every`, beat's rounds too, the first one at once."""
        with self._lock:
            if rounds_every is not None:
                self._rounds_every = rounds_every
                self._wake.set()  # a thread already waiting takes up the rounds at once
            self._ensure_thread()

    def nudge(self) -> None:
        """Something was committed: carry out what it recorded now (never in the caller's thread)."""
        with self._lock:
            self._asked += 1
            self._wake.set()
            self._ensure_thread()

    def settle(self, timeout: float = 30.0) -> bool:
        """Wait until what was nudged so far has been carried out; False if it took longer than `timeout`."""
        with self._lock:
            asked = self._asked
            return self._lock.wait_for(lambda: self._done >= asked, timeout=timeout)

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="radaflow-ticker", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        next_round = time.monotonic()
        while True:
            every = self._rounds_every
            wait = IDLE_SECONDS if every is None else max(0.0, next_round - time.monotonic())
            if not self._wake.wait(wait) and every is None:
                with self._lock:
                    if not self._wake.is_set():  # (a nudge sets it holding the lock, then sees no thread)
                        self._thread = None
                        return
            self._wake.clear()
            with self._lock:
                asked = self._asked
            try:
                if every is not None and time.monotonic() >= next_round:
                    runner.tick(self.runtime)
                    next_round = time.monotonic() + every
                else:
                    runner.run_pending(self.runtime)
            except Exception:  # a failed round is logged and the next one tries again
                log.exception("the ticker's round failed")
            with self._lock:
                self._done = max(self._done, asked)
                self._lock.notify_all()
