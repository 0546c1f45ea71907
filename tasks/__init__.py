"""Celery tasks: they carry out the effects the engine records in the outbox."""
