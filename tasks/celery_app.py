"""The Celery application, configured from the same settings as the web application."""

from __future__ import annotations

from celery import Celery

from workflow.config import Settings


def create_celery(settings: Settings | None = None) -> Celery:
    settings = settings or Settings.from_env()
    app = Celery("radaflow", broker=settings.redis_url, include=[])
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        # a task is acknowledged only once it finished, so a worker that dies mid-task leaves it to another
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # one message at a time per worker process: late acks with prefetching would hold others' work hostage
        worker_prefetch_multiplier=1,
    )
    # Without Redis (the embedded default) effects run in-process after the commit; Celery is not used.
    app.conf.task_always_eager = settings.redis_url is None
    return app
