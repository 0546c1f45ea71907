"""The first pages: the kinds of documents the council handles and their machines; how a refused action is
answered (status, message, HTML or JSON); and the request's single commit, or rollback when it failed."""

from __future__ import annotations

import email
import email.policy
import sqlite3
import uuid
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from flask import Blueprint, Flask, abort, redirect, request
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from tests.web.conftest import SettlingClient
from web import create_app
from web.auth import csrf
from web.database import db
from web.errors import status_of
from workflow import schema
from workflow.council.drafts import drafts
from workflow.council.organisation import setup
from workflow.db import make_engine
from workflow.engine.models import OutboxRow
from workflow.errors import Conflict, GuardFailed, InvalidInput, NotAllowed, NotFound, WorkflowError, WrongState
from workflow.notifications.models import Notification
from workflow.people import Person, load_actor

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
SHIPPED = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in DEFINITIONS.glob("*.yaml")}


class _Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts (whitespace collapsed), header rows included."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


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
def database_file(tmp_path: Path) -> str:
    """A migrated, empty SQLite database."""
    url = f"sqlite:///{tmp_path / 'web.sqlite3'}"
    engine = make_engine(url)
    schema.upgrade(engine)
    engine.dispose()
    return url


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


# --- the front page ----------------------------------------------------------------------------------------
def test_the_app_uses_the_database_and_instance_directory_it_was_given(app, database_file, tmp_path):
    settings = app.extensions["radaflow"].settings
    assert settings.database_url == database_file
    assert app.instance_path == str(tmp_path / "instance")
    assert app.extensions["radaflow"].engine.url.render_as_string() == database_file


def test_the_front_page_lists_every_shipped_definition_with_its_ukrainian_title(client):
    response = client.get("/")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<html lang="uk">' in page
    assert "<h1>Види документів</h1>" in page
    (listing,) = tables(page)
    header, *rows = listing
    assert header == ["Вид", "Версія", "Станів", "Дій"]
    assert sorted(rows) == sorted(
        [
            f"{d['title']['uk']} ({d['title']['en']})",
            str(d["version"]),
            str(len(d["states"])),
            str(len(d["transitions"])),
        ]
        for d in SHIPPED.values()
    )
    for kind, definition in SHIPPED.items():
        assert f'<a href="/definitions/{kind}">{definition["title"]["uk"]}</a>' in page


def test_every_definition_linked_from_the_front_page_opens(client):
    for kind, definition in SHIPPED.items():
        response = client.get(f"/definitions/{kind}")
        assert response.status_code == 200, kind
        assert f"<h1>{definition['title']['uk']} <small>версія {definition['version']}</small></h1>" in (
            response.get_data(as_text=True)
        )


# --- a definition's page -----------------------------------------------------------------------------------
def test_a_definition_page_shows_its_states(client):
    page = client.get("/definitions/decision_draft").get_data(as_text=True)

    states, _ = tables(page)
    header, *rows = states
    assert header == ["Стан", "Публічний", "Кінцевий", "Редагують", "Строк"]
    assert [row[0] for row in rows] == [
        f"{state['title']['uk']} {name}" + (" — початковий" if name == "drafting" else "")
        for name, state in SHIPPED["decision_draft"]["states"].items()
    ]
    by_name = dict(zip(SHIPPED["decision_draft"]["states"], rows, strict=True))
    assert by_name["drafting"][1:] == ["ні", "ні", "author", "—"]
    assert by_name["visas"][1:] == ["ні", "ні", "—", "5 робочих дн."]
    # the mayor's five days, then the decision stands signed by law
    assert by_name["adopted"][1:] == ["так", "ні", "—", "5 дн., потім veto_period_ends"]
    assert by_name["in_force"][1:] == ["так", "так", "—", "—"]
    assert '<tr class="initial">' in page


def test_a_deadline_until_a_field_s_moment_is_shown_as_such(client):
    page = client.get("/definitions/delegation").get_data(as_text=True)

    states, _ = tables(page)
    _header, active, *_ = states
    assert active[-1] == "до моменту в полі ends_at, потім expire"


def test_a_definition_page_shows_its_transitions_with_titles_and_roles(client):
    page = client.get("/definitions/decision_draft").get_data(as_text=True)

    _, transitions = tables(page)
    header, *rows = transitions
    assert header == ["Дія", "Зі стану", "До стану", "Хто", "Умови", "Наслідки"]
    assert len(rows) == len(SHIPPED["decision_draft"]["transitions"])
    assert rows[0] == [
        "Подати на візування submit", "Підготовка", "На візуванні", "author", "has_text", "notify",
    ]
    (postpone,) = [row for row in rows if " postpone " in f"{row[0]} "]
    assert postpone == [
        "Перенести розгляд postpone (з коментарем)", "У порядку денному", "Розгляд перенесено", "secretary", "—",
        "notify",
    ]
    (sign,) = [row for row in rows if row[0].endswith(" sign")]
    assert sign[3:] == ["mayor", "—", "assign_number, render_docx, notify"]
    (returning,) = [row for row in rows if "return_for_revision" in row[0]]
    assert returning[1].split(", ") == [
        "На візуванні", "Громадське обговорення", "Розгляд у комісіях", "У порядку денному", "Розгляд перенесено",
    ]
    assert returning[3] == "secretary, system"


def test_a_definition_page_carries_its_mermaid_diagram_in_ukrainian(client):
    page = client.get("/definitions/decision_draft").get_data(as_text=True)

    assert "stateDiagram-v2" in page
    assert "drafting --&gt; visas : submit" in page
    assert "state &#34;Підготовка&#34; as drafting" in page


def test_an_unknown_kind_is_not_found(client):
    response = client.get("/definitions/resolution")

    assert response.status_code == 404


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
    response = client.get(
        f"/testing/refuse/{code}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )

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
        ("visa_requested", "Ірина Ткаченко"), ("visa_requested", "Андрій Лисенко"),
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
