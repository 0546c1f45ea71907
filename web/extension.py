"""What the application holds for its whole life, one per process, and how views reach it."""

from __future__ import annotations

from flask import current_app

from workflow.runtime import Runtime

#: the application's runtime: settings, definitions, engine and sessions
Radaflow = Runtime


def radaflow() -> Radaflow:
    ext: Radaflow = current_app.extensions["radaflow"]
    return ext
