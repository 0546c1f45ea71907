"""The Celery application: the workers that carry out effects, send e-mail and sweep deadlines, over Redis.

Celery only moves the work along. What must happen lives in the database (outbox rows, queued e-mails,
deadlines), and every task drains what is due there: a lost message, a dead worker or a stopped Redis delays an
effect, never loses it, because beat sweeps the tables every few seconds and any later kick picks it up. And a
task that runs twice does nothing twice, because every effect, e-mail and deadline event is keyed.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, Task
from celery.schedules import crontab
from sqlalchemy.exc import OperationalError as DatabaseUnavailable

from workflow.config import Settings
from workflow.runtime import Runtime

log = logging.getLogger(__name__)

#: deliveries of one message (the first and redeliveries after lost workers) before it is dropped as a poison
#: message; the database rows it was about stay, and beat's sweep gives them their own attempts and failure
MAX_DELIVERIES = 3

#: the longest a task may run (a protocol of hundreds of items renders in seconds; this is a safety net)
TASK_TIME_LIMIT = 600

_runtime: Runtime | None = None


def runtime() -> Runtime:
    """The worker process's runtime, opened on its first task (after the fork, so no connection is shared)."""
    global _runtime
    if _runtime is None:
        _runtime = Runtime.open(Settings.from_env())
    return _runtime


class ReliableTask(Task):  # type: ignore[misc]
    # acknowledged only when finished: a worker that dies mid-task leaves the message to be delivered again
    acks_late = True
    # ... including when the pool process is killed (SIGKILL, out of memory): requeued at once, not lost
    reject_on_worker_lost = True
    # a database that is briefly unreachable is retried with growing pauses, not failed
    autoretry_for = (DatabaseUnavailable, ConnectionError)
    retry_backoff = 2
    retry_backoff_max = 120
    retry_jitter = True
    max_retries = 8
    # nothing reads the results: the outcomes are in the database
    ignore_result = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._delivered_too_often():
            return None
        return super().__call__(*args, **kwargs)

    def _delivered_too_often(self) -> bool:
        """Count this message's deliveries in Redis; past MAX_DELIVERIES, log it and let it be acknowledged."""
        if self.request.is_eager or not self.request.id:
            return False
        # a retry is a new message with the same id: count each retry's deliveries apart
        key = f"radaflow:deliveries:{self.request.id}:{self.request.retries}"
        with self.app.pool.acquire(block=True) as connection:
            client = connection.default_channel.client
            deliveries = int(client.incr(key))
            client.expire(key, 24 * 3600)
        if deliveries > MAX_DELIVERIES:
            log.error(
                "task %s[%s] was delivered %d times without finishing; dropped (its rows stay for the sweep)",
                self.name,
                self.request.id,
                deliveries,
            )
            return True
        return False


def create_celery(settings: Settings | None = None) -> Celery:
    settings = settings or Settings.from_env()
    app = Celery("radaflow", broker=settings.redis_url or "memory://", task_cls=ReliableTask)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        timezone="Europe/Kyiv",
        enable_utc=True,
        # one message at a time per worker process: late acks with prefetching would hold others' work hostage
        worker_prefetch_multiplier=1,
        # a task that hangs is stopped (soft: it can clean up; hard: the process is replaced)
        task_soft_time_limit=TASK_TIME_LIMIT - 30,
        task_time_limit=TASK_TIME_LIMIT,
        # Redis redelivers an unacknowledged message after this long; it must exceed the longest task, or a
        # running task would be handed to a second worker. Tasks here carry no ETA or countdown (deadlines are
        # rows swept by beat), so nothing waits in Redis longer than this either.
        broker_transport_options={
            "visibility_timeout": 3 * TASK_TIME_LIMIT,
            # a publisher that finds Redis down tries once more straight away and gives up (see `kick`)
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.2,
        },
        # a kick that cannot reach Redis fails at once instead of holding up the web request that sent it;
        # the rows it was about are swept when Redis is back
        task_publish_retry=False,
        broker_connection_timeout=2,
        broker_connection_retry_on_startup=True,
        task_ignore_result=True,
        worker_hijack_root_logger=False,
        beat_schedule_filename=str(settings.instance_dir / "celerybeat-schedule"),
        beat_schedule=_beat_schedule(settings.sweep_seconds),
    )
    _register_tasks(app)
    return app


def _beat_schedule(sweep_seconds: float) -> dict[str, dict[str, Any]]:
    """What beat sends. Every entry expires if no worker takes it in time, so a backlog of sweeps never piles up
    while the workers are down: the next one does the same work."""
    sweep = {"expires": max(30.0, 6 * sweep_seconds)}
    return {
        "dispatch-effects": {"task": "radaflow.dispatch", "schedule": sweep_seconds, "options": sweep},
        "send-mail": {"task": "radaflow.send_mail", "schedule": sweep_seconds, "options": sweep},
        "sweep-deadlines": {"task": "radaflow.sweep_deadlines", "schedule": 60.0, "options": {"expires": 300}},
        # hourly: the digests go out at the first sweep after the digest hour, once per person per day
        "send-digests": {"task": "radaflow.send_digests", "schedule": crontab(minute=5), "options": {"expires": 3000}},
        # hourly too: the day's seal of the audit chain is made at the first round of each day (UTC), so a day
        # whose round fell while the workers were down is still sealed within the hour they are back
        "seal-audit": {"task": "radaflow.seal_audit", "schedule": crontab(minute=15), "options": {"expires": 3000}},
    }


def _register_tasks(app: Celery) -> None:
    from tasks import runner

    @app.task(name="radaflow.dispatch")  # type: ignore[untyped-decorator]
    def dispatch() -> dict[str, int]:
        """Carry out every due effect, then send the e-mails they queued."""
        ran = runner.run_pending(runtime())
        return {"done": ran.effects_done, "failed": ran.effects_failed, "sent": ran.mail_sent}

    @app.task(name="radaflow.send_mail")  # type: ignore[untyped-decorator]
    def send_mail() -> dict[str, int]:
        sent, failed = runner.send_mail(runtime())
        return {"sent": sent, "failed": failed}

    @app.task(name="radaflow.sweep_deadlines")  # type: ignore[untyped-decorator]
    def sweep_deadlines() -> dict[str, int]:
        swept = runner.run_deadlines(runtime())
        ran = runner.run_pending(runtime())
        return {
            "reminded": swept.reminded,
            "escalated": swept.escalated,
            "moved": swept.moved,
            "refused": len(swept.refused),
            "effects": ran.effects_done,
        }

    @app.task(name="radaflow.send_digests")  # type: ignore[untyped-decorator]
    def send_digests() -> dict[str, int]:
        queued = runner.run_digests(runtime())
        sent, _ = runner.send_mail(runtime())
        return {"queued": queued, "sent": sent}

    @app.task(name="radaflow.seal_audit")  # type: ignore[untyped-decorator]
    def seal_audit() -> dict[str, object]:
        """The day's seal of the audit chain, once a day; a refusal is logged as an error by the runner."""
        sealed = runner.run_daily_seal(runtime())
        if sealed is None:
            return {"sealed": False}
        return {
            "sealed": True,
            "path": str(sealed.path),
            "documents": len(sealed.seal.heads),
            "digest": sealed.seal.digest,
        }


def kick(app: Celery) -> bool:
    """Ask a worker to carry out what was just committed. False (and a warning) if Redis cannot be reached:
    the commit stands, and beat's next sweep does the work once Redis is back."""
    try:
        app.send_task("radaflow.dispatch")
    except Exception as error:  # the broker is down or unreachable: the rows wait in the outbox
        log.warning("could not reach the broker to dispatch effects now (%s); the sweep will", error)
        return False
    return True
