"""Entry point for `celery -A celery_worker worker` and `celery -A celery_worker beat`."""

from tasks.celery_app import create_celery

app = create_celery()
