"""Entry point for `celery -A celery_worker worker` and `celery -A celery_worker beat` (REDIS_URL, DATABASE_URL
and the rest of the environment as for the web application; see README, "Production")."""

from tasks.celery_app import create_celery

app = create_celery()
