"""The application as every page meets it: how a refused action is answered (status, message, HTML or JSON);
and the request's single commit, or rollback when it failed, with the effects carried out after the commit."""

from __future__ import annotations

import email
import email.policy
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Blueprint, Flask, abort, redirect, request
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from tests.web.conftest import SettlingClient
from web import create_app
from web.auth.views import csrf
from web.database import db
from web.errors import status_of
from workflow.council.drafts import drafts
from workflow.council.organisation import setup
from workflow.db import SQLITE_DRIVER, make_engine
from workflow.engine.models import OutboxRow
from workflow.errors import Conflict, GuardFailed, InvalidInput, NotAllowed, NotFound, WorkflowError, WrongState
from workflow.notifications.models import Notification
from workflow.people import Person, load_actor

# --- the application ---------------------------------------------------------------------------------------
#: a view raising each refusal, registered on the app by the tests below only
REFUSALS: dict[str, WorkflowError] = {
    "not_allowed": NotAllowed("only the author may submit this draft"),
    "not_found": NotFound("there is no document 42"),
    "conflict": Conflict("someone else changed the document meanwhile; reload it and try again"),
    "wrong_state": WrongState("'Submit for visas' is not possible from 'Awaiting visas'"),
    "guard_failed": GuardFailed(
        "'Publish for discussion' is not possible now: the legal department has not given its visa",
        reasons=["the legal department has not given its visa", "the finance department has not given its visa"],
    ),
    "invalid_input": InvalidInput("a comment is required to return a draft"),
}

testing = Blueprint("testing", __name__)


@testing.get("/testing/refuse/<code>")
@testing.get("/api/testing/refuse/<code>")
def refuse(code: str) -> str:
    raise REFUSALS[code]


@testing.post("/testing/people")
def add_person() -> object:
    """Adds a person in the request's session, then answers as the form asks."""
    db().add(Person(full_name=request.form["name"], email=f"{uuid.uuid4().hex[:12]}@rada.example"))
    db().flush()
    outcome = request.form.get("outcome", "ok")
    if outcome == "refused":
        raise NotAllowed("only the secretary may register people")
    if outcome == "missing":
        abort(404)
    if outcome == "crash":
        raise RuntimeError("the disk is full")
    if outcome == "redirect":
        return redirect("/")
    return "added"


@pytest.fixture
def app(clean_environment: None, database_file: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app({"database_url": database_file, "instance_dir": tmp_path / "instance", "TESTING": True})
    csrf.exempt(testing)  # the commit boundary is what these requests test; the cabinet's tests check CSRF
    app.register_blueprint(testing)
    app.test_client_class = SettlingClient
    yield app
    app.extensions["radaflow"].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def people_stored(url: str) -> list[str]:
    """Who is in the database, read through a session of its own, as the next request would see it."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(select(Person.full_name).order_by(Person.id)))
    finally:
        engine.dispose()


# --- the application as it was created ----------------------------------------------------------------
def test_the_app_uses_the_database_and_instance_directory_it_was_given(app, database_file, tmp_path):
    settings = app.extensions["radaflow"].settings
    assert settings.database_url == database_file
    assert app.instance_path == str(tmp_path / "instance")
    # the same database file, opened through Radaflow's own SQLite dialect (pysqlite with its transaction rule)
    engine_url = app.extensions["radaflow"].engine.url
    assert engine_url.set(drivername="sqlite").render_as_string() == database_file
    assert engine_url.get_driver_name() == SQLITE_DRIVER


# --- refusals become HTTP answers --------------------------------------------------------------------------
STATUS = [
    ("not_allowed", 403),
    ("not_found", 404),
    ("conflict", 409),
    ("wrong_state", 409),
    ("guard_failed", 409),
    ("invalid_input", 422),
]


@pytest.mark.parametrize(("code", "status"), STATUS)
def test_a_refusal_is_answered_in_json_to_a_client_that_asks_for_json(client, code, status):
    response = client.get(f"/testing/refuse/{code}", headers={"Accept": "application/json"})

    assert response.status_code == status
    assert response.is_json
    refusal = REFUSALS[code]
    assert response.get_json() == {"error": code, "message": refusal.message, "reasons": list(refusal.reasons)}


@pytest.mark.parametrize(("code", "status"), STATUS)
def test_a_refusal_is_answered_with_a_page_to_a_browser(client, code, status):
    response = client.get(f"/testing/refuse/{code}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})

    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<h1>Дію не виконано</h1>" in page
    assert f'<p role="alert">{escape(REFUSALS[code].message)}</p>' in page


def test_a_refusal_page_lists_every_reason(client):
    page = client.get("/testing/refuse/guard_failed").get_data(as_text=True)

    assert "<li>the legal department has not given its visa</li>" in page
    assert "<li>the finance department has not given its visa</li>" in page


def test_a_refusal_page_offers_a_way_back(client):
    came_from = client.get("/testing/refuse/conflict", headers={"Referer": "http://localhost/definitions/visa"})
    came_directly = client.get("/testing/refuse/conflict")

    assert '<a href="http://localhost/definitions/visa">Назад</a>' in came_from.get_data(as_text=True)
    assert '<a href="/">Назад</a>' in came_directly.get_data(as_text=True)


def test_a_refusal_under_the_api_is_always_json(client):
    response = client.get("/api/testing/refuse/not_allowed", headers={"Accept": "text/html"})

    assert response.status_code == 403
    assert response.get_json()["error"] == "not_allowed"


def test_an_unknown_refusal_kind_is_a_bad_request():
    class Unforeseen(WorkflowError):
        code = "unforeseen"

    assert status_of(Unforeseen("something the web layer has no status for")) == 400


# --- one commit per request --------------------------------------------------------------------------------
def test_a_successful_request_commits_what_it_did(client, database_file):
    response = client.post("/testing/people", data={"name": "Оксана Мельник"})

    assert (response.status_code, response.get_data(as_text=True)) == (200, "added")
    assert people_stored(database_file) == ["Оксана Мельник"]


def test_a_redirect_after_a_post_commits_too(client, database_file):
    response = client.post("/testing/people", data={"name": "Оксана Мельник", "outcome": "redirect"})

    assert response.status_code == 302
    assert people_stored(database_file) == ["Оксана Мельник"]


def test_a_refused_request_leaves_nothing_behind(client, database_file):
    refused = client.post(
        "/testing/people", data={"name": "Тарас Коваль", "outcome": "refused"}, headers={"Accept": "application/json"}
    )

    assert refused.status_code == 403
    assert refused.get_json()["message"] == "only the secretary may register people"
    assert people_stored(database_file) == []


def test_an_error_response_rolls_back_too(client, database_file):
    response = client.post("/testing/people", data={"name": "Тарас Коваль", "outcome": "missing"})

    assert response.status_code == 404
    assert people_stored(database_file) == []


def test_a_crashed_request_is_rolled_back(app, client, database_file):
    app.testing = False

    response = client.post("/testing/people", data={"name": "Тарас Коваль", "outcome": "crash"})

    assert response.status_code == 500
    assert people_stored(database_file) == []


def test_each_request_has_its_own_session(client, database_file):
    client.post("/testing/people", data={"name": "Оксана Мельник"})
    client.post("/testing/people", data={"name": "Тарас Коваль", "outcome": "refused"})
    client.post("/testing/people", data={"name": "Ірина Бондар"})

    assert people_stored(database_file) == ["Оксана Мельник", "Ірина Бондар"]


# --- the embedded mode carries out the effects after the commit ---------------------------------------------
@testing.post("/testing/submit")
def submit_a_draft() -> str:
    """A staff member writes a draft and submits it: the move records a `notify` effect for the reviewers."""
    council = setup.create_council(db(), name="Славутицька міська рада", convocation=8, total_composition=27)
    author = setup.add_person(db(), "Оксана Мельник", email=f"{uuid.uuid4().hex[:12]}@rada.example", roles=["staff"])
    lawyer = setup.add_person(db(), "Ірина Ткаченко", email=f"{uuid.uuid4().hex[:12]}@rada.example")
    accountant = setup.add_person(db(), "Андрій Лисенко", email=f"{uuid.uuid4().hex[:12]}@rada.example")
    setup.add_department(db(), council, "Юридичний відділ", "legal", reviewers=[lawyer])
    setup.add_department(db(), council, "Фінансове управління", "finance", reviewers=[accountant])
    actor = load_actor(db(), author.id)
    draft = drafts.write_draft(db(), actor, "Про сквер", "Облаштувати сквер.")
    drafts.submit_draft(db(), draft, actor)
    if request.form.get("outcome") == "refused":
        raise NotAllowed("refused after the move")
    return "submitted"


def outbox_stored(url: str) -> list[tuple[str, str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [(row.effect, row.status) for row in connection.execute(select(OutboxRow).order_by(OutboxRow.id))]
    finally:
        engine.dispose()


def notifications_stored(url: str) -> list[tuple[str, str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            query = select(Notification.template, Person.full_name).join(Person, Person.id == Notification.person_id)
            return [(row.template, row.full_name) for row in connection.execute(query.order_by(Notification.id))]
    finally:
        engine.dispose()


def test_after_the_commit_the_recorded_effects_are_carried_out_in_process(client, database_file, tmp_path):
    assert client.post("/testing/submit").status_code == 200

    # carried out after the commit, by the same code the workers run (the ticker, woken by the commit)
    assert outbox_stored(database_file) == [("notify", "done")]
    assert notifications_stored(database_file) == [
        ("visa_requested", "Ірина Ткаченко"),
        ("visa_requested", "Андрій Лисенко"),
    ]
    # without SMTP_URL, the e-mails are written where a developer can read them
    written = sorted((tmp_path / "instance" / "mail").glob("*.eml"))
    assert len(written) == 2
    for path in written:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert "Про сквер" in message["Subject"]


def test_a_refused_request_carries_out_nothing(client, database_file, tmp_path):
    assert client.post("/testing/submit", data={"outcome": "refused"}).status_code == 403

    assert (outbox_stored(database_file), notifications_stored(database_file)) == ([], [])
    assert not (tmp_path / "instance" / "mail").exists()


@testing.get("/testing/locked")
def locked() -> str:
    raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))


def test_a_database_held_too_long_by_another_writer_asks_to_try_again(client):
    response = client.get("/testing/locked", headers={"Accept": "application/json"})

    assert response.status_code == 503
    assert response.get_json()["error"] == "busy"
