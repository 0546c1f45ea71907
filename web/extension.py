"""What the application holds for its whole life, one per process, and how views reach it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from workflow.config import Settings
from workflow.definitions.registry import DefinitionRegistry


@dataclass
class Radaflow:
    settings: Settings
    registry: DefinitionRegistry
    engine: Engine
    sessions: sessionmaker[Session]


def radaflow() -> Radaflow:
    ext: Radaflow = current_app.extensions["radaflow"]
    return ext
