"""Councils of other sizes than the shared `world`, and on other sessions than the rolled-back one."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.conftest import World, build_world


@pytest.fixture
def big_world(session: Session) -> World:
    """A council of 26 deputies and the mayor: a total composition of 27."""
    return build_world(session, deputies=26)
