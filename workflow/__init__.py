"""Radaflow's document-workflow engine and the council's domain.

This package knows nothing of Flask or Celery: it talks to the outside world only by writing outbox rows.
"""
