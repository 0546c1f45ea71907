"""What a process holds for its whole life: the settings, the definitions, the database engine and a session
factory. The web application opens one per process, and so does each Celery worker process and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from workflow.config import Settings
from workflow.council.catalog import CATALOG
from workflow.db import make_engine, make_sessionmaker
from workflow.definitions.registry import DefinitionRegistry


@dataclass
class Runtime:
    settings: Settings
    registry: DefinitionRegistry
    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def open(cls, settings: Settings, registry: DefinitionRegistry | None = None) -> Runtime:
        """The process's runtime; `registry`: the definitions of `settings.definitions_dir` loaded already
        (the test suite loads them once, not once per application)."""
        if registry is None:
            registry = DefinitionRegistry.from_directory(settings.definitions_dir, CATALOG)
        engine = make_engine(settings.database_url)
        return cls(settings, registry, engine, make_sessionmaker(engine, registry))
