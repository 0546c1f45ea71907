"""Fixtures for the workflow's tests: definitions an operator edits, deployed on the test's transaction."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from workflow.config import PROJECT_ROOT
from workflow.council.catalog import CATALOG
from workflow.db import REGISTRY_KEY
from workflow.definitions.registry import DefinitionRegistry

SHIPPED = PROJECT_ROOT / "definitions"


@pytest.fixture
def definitions(tmp_path: Path) -> Path:
    """A copy of the shipped definitions that a test may edit, as an operator edits `definitions/`."""
    directory = tmp_path / "definitions"
    directory.mkdir()
    for source in SHIPPED.glob("*.yaml"):
        shutil.copy(source, directory / source.name)
    return directory


@pytest.fixture
def deploy(session: Session) -> Iterator[Callable[[Path], Session]]:
    """`deploy(directory)`: a new registry loaded from `directory`, as after a deploy, and a session carrying it
    on the test's connection, so the outer transaction still rolls everything back."""
    opened: list[Session] = []

    def deploy(directory: Path) -> Session:
        registry = DefinitionRegistry.from_directory(directory, CATALOG)
        deployed = Session(
            bind=session.connection(),
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
            info={REGISTRY_KEY: registry},
        )
        opened.append(deployed)
        return deployed

    yield deploy
    for deployed in reversed(opened):
        deployed.close()
