"""`GET /api/health`, as a load balancer polls it: 200 when the database is reachable, its schema at the
migrations' head and the definitions stored; 503, saying which of them failed, otherwise — and never a cookie, a
CSRF token, a rate limit or a word about where the database is."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import update

from tests.processes import free_port
from web import create_app
from workflow import schema
from workflow.definitions.models import DefinitionVersion

Application = Callable[..., Flask]


@pytest.fixture
def application(clean_environment: None, tmp_path: Path) -> Iterator[Application]:
    """The application on a database of the test's choosing, disposed of at the end."""
    made: list[Flask] = []

    def make(database_url: str, **config: object) -> Flask:
        app = create_app(
            {"database_url": database_url, "instance_dir": tmp_path / "instance", "TESTING": True, **config}
        )
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["radaflow"].engine.dispose()


def upgraded(app: Flask, *, store_definitions: bool = True) -> Flask:
    """What `radaflow db upgrade` does: the migrations, then the definitions stored."""
    runtime = app.extensions["radaflow"]
    schema.upgrade(runtime.engine)
    if store_definitions:
        with runtime.sessions.begin() as session:
            runtime.registry.sync(session)
    return app


def kinds_of(app: Flask) -> list[str]:
    registry = app.extensions["radaflow"].registry
    return [f"{kind} v{registry.current(kind).version}" for kind in registry.kinds()]


def test_a_database_brought_up_to_date_is_healthy(application, database_url):
    app = upgraded(application(database_url))
    revision = schema.current_revision(app.extensions["radaflow"].engine)

    response = app.test_client().get("/api/health")

    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": {"reachable": True},
        "schema": {"at_head": True, "revision": revision, "head": revision},
        "definitions": {"stored": True, "missing": [], "changed": []},
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_an_empty_database_is_unavailable_its_schema_not_at_head(application, database_url):
    app = application(database_url)
    engine = app.extensions["radaflow"].engine

    response = app.test_client().get("/api/health")

    assert response.status_code == 503
    assert response.json == {
        "status": "unavailable",
        "database": {"reachable": True},
        "schema": {"at_head": False, "revision": None, "head": schema.head_revision(engine)},
        "definitions": {"stored": False, "reason": "not checked: the schema is not at head"},
    }
    assert schema.current_revision(engine) is None  # the check changed nothing


def test_a_database_migrated_one_revision_short_is_unavailable(application, tmp_path):
    app = application(f"sqlite:///{tmp_path / 'behind.sqlite3'}")
    engine = app.extensions["radaflow"].engine
    schema.upgrade(engine, "head")
    at_head = schema.current_revision(engine)
    schema.downgrade(engine, "-1")
    behind = schema.current_revision(engine)

    response = app.test_client().get("/api/health")

    assert response.status_code == 503
    assert response.json["schema"] == {"at_head": False, "revision": behind, "head": at_head}
    assert response.json["status"] == "unavailable"


def test_definitions_never_stored_make_it_unavailable_and_are_named(application, tmp_path):
    app = upgraded(application(f"sqlite:///{tmp_path / 'web.sqlite3'}"), store_definitions=False)

    response = app.test_client().get("/api/health")

    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["schema"]["at_head"] is True
    assert response.json["definitions"] == {"stored": False, "missing": kinds_of(app), "changed": []}


def test_a_definition_stored_with_another_text_makes_it_unavailable(application, tmp_path):
    app = upgraded(application(f"sqlite:///{tmp_path / 'web.sqlite3'}"))
    runtime = app.extensions["radaflow"]
    kind = runtime.registry.kinds()[0]
    with runtime.sessions.begin() as session:
        session.execute(update(DefinitionVersion).where(DefinitionVersion.kind == kind).values(sha256="0" * 64))

    response = app.test_client().get("/api/health")

    assert response.status_code == 503
    assert response.json["definitions"] == {
        "stored": False,
        "missing": [],
        "changed": [f"{kind} v{runtime.registry.current(kind).version}"],
    }


@pytest.mark.parametrize("where", ["sqlite file that is a directory", "postgresql port nobody listens on"])
def test_an_unreachable_database_is_unavailable_and_where_it_is_is_not_told(application, tmp_path, where):
    if where.startswith("sqlite"):
        place = tmp_path / "a-directory"
        place.mkdir()
        url, secret = f"sqlite:///{place}", str(place)
    else:
        port = free_port()
        url, secret = f"postgresql+psycopg://postgres@127.0.0.1:{port}/radaflow", str(port)
    app = application(url)

    response = app.test_client().get("/api/health")

    assert response.status_code == 503
    assert response.json == {
        "status": "unavailable",
        "database": {"reachable": False},
        "schema": {
            "at_head": False,
            "revision": None,
            "head": response.json["schema"]["head"],
            "reason": "not checked: the database is not reachable",
        },
        "definitions": {"stored": False, "reason": "not checked: the database is not reachable"},
    }
    assert response.json["schema"]["head"] is not None
    assert secret not in response.get_data(as_text=True)


def test_polling_needs_no_token_sets_no_cookie_and_is_never_rate_limited(application, tmp_path):
    app = upgraded(
        application(
            f"sqlite:///{tmp_path / 'web.sqlite3'}", limit_per_address="2 per hour", limit_per_account="1 per hour"
        )
    )
    client = app.test_client()

    answers = [client.get("/api/health") for _ in range(10)]

    assert [answer.status_code for answer in answers] == [200] * 10
    assert all("Set-Cookie" not in answer.headers and "Retry-After" not in answer.headers for answer in answers)
    assert client.head("/api/health").status_code == 200


def test_a_post_is_no_health_check(application, tmp_path):
    app = upgraded(application(f"sqlite:///{tmp_path / 'web.sqlite3'}"))

    response = app.test_client().post("/api/health")

    assert response.status_code == 405
