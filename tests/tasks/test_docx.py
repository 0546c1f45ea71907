"""The council's Word documents, rendered from a session played through the engine on a council of 27: read back
with python-docx and checked against the database (every member's vote in every roll call, the quorum, the
numbers and names), stored once per effect however often the effect runs, re-rendered by hand as a new version,
refused with a reason for a wrong template or document, and opened by LibreOffice, which turns each into a PDF.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session

from tasks.docx import render, render_docx_handler, render_extract, rerender
from tests.conftest import (
    MigratedDatabases,
    SharedDatabase,
    World,
    build_world,
    connection_to,
    reading,
    savepoint_sessions,
    shared_database,
)
from workflow.config import Settings
from workflow.council.drafts import drafts
from workflow.council.drafts.papers import committee_conclusion_context, decision_context
from workflow.council.effects import HANDLERS
from workflow.council.sittings import sessions
from workflow.council.sittings.models import Attendance, Decision, Vote
from workflow.council.sittings.papers import CHOICES_UK, agenda_context, extract_context, protocol_context
from workflow.council.sittings.votes import ballots_of, quorum_for
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import fire
from workflow.engine.models import Document, OutboxRow
from workflow.engine.outbox import carry_out
from workflow.errors import InvalidInput, NotAllowed, WrongState
from workflow.files import DocumentFile, get_file, list_files
from workflow.people import Actor, Person


# --- a session of a council of 27, played through the engine -----------------------------------------------
@dataclass
class Sitting:
    world: World
    plenary: Document
    roof: Document
    street: Document
    roof_item: Document
    street_item: Document
    protocol: Document
    conclusion: Document
    #: who registered and who did not (one left after registering)
    registered: list[Person]
    away: list[Person]

    def at(self, day: float, hour: int = 9) -> datetime:
        return self.world.at(day) + timedelta(hours=hour - 9)

    def ids(self) -> dict[str, Any]:
        """The ids of the sitting's rows, from which `Sitting.load` finds them again in another session."""
        return {
            "world": self.world.ids(),
            **{name: getattr(self, name).id for name in SITTING_DOCUMENTS},
            "registered": [person.id for person in self.registered],
            "away": [person.id for person in self.away],
        }

    @classmethod
    def load(cls, session: Session, ids: dict[str, Any]) -> Sitting:
        documents = {name: session.get(Document, ids[name]) for name in SITTING_DOCUMENTS}
        people = {name: [session.get(Person, id_) for id_ in ids[name]] for name in ("registered", "away")}
        return cls(world=World.load(session, ids["world"]), **documents, **people)  # type: ignore[arg-type]


SITTING_DOCUMENTS = ("plenary", "roof", "street", "roof_item", "street_item", "protocol", "conclusion")


@pytest.fixture(scope="session")
def played(
    engine: Engine, registry: DefinitionRegistry, migrated_databases: MigratedDatabases, tmp_path_factory
) -> Iterator[tuple[SharedDatabase, dict[str, Any]]]:
    """The sitting played once per worker on each kind of database: it is most of a second of work, which the
    tests that read it share."""

    def play(connection: Connection) -> dict[str, Any]:
        session = savepoint_sessions(connection, registry)()
        ids = play_sitting(session).ids()
        session.commit()
        session.close()
        return ids

    with shared_database(engine, registry, migrated_databases, tmp_path_factory.mktemp("sitting"), play) as played:
        yield played


@pytest.fixture
def connection(request: pytest.FixtureRequest, engine: Engine) -> Iterator[Connection]:
    """A test that reads the sitting works on the database it was played in, inside a transaction rolled back
    after it; any other on the suite's database, as everywhere."""
    reads_sitting = "sitting" in request.fixturenames
    with reading(request.getfixturevalue("played")[0]) if reads_sitting else connection_to(engine) as connection:
        yield connection


@pytest.fixture
def sitting(session: Session, played: tuple[SharedDatabase, dict[str, Any]]) -> Sitting:
    return Sitting.load(session, played[1])


def play_sitting(session: Session) -> Sitting:
    """Session № 12 of a council of 26 deputies and the mayor: two drafts reviewed by the budget committee are on
    its agenda (the roof repair, reported by the staff member; the street's new name, reported by nobody named,
    so by its initiator). 24 members register, one of them leaves; the agenda is approved; the roof is adopted
    and signed by the mayor, which numbers it; the street is rejected. The sitting closes and the secretary
    checks the protocol."""
    world = build_world(session, deputies=26)
    roof = world.reviewed_draft("Про ремонт даху ліцею № 2 & спортзали <корпус Б>")
    street = world.reviewed_draft("Про перейменування вулиці Садової")
    plenary = world.planned_session(number=12, days=16)
    secretary = world.actor(world.secretary, 5)
    roof_item = sessions.add_to_agenda(session, plenary, secretary, roof, reporter=world.staff, now=world.at(5))
    street_item = sessions.add_to_agenda(session, plenary, secretary, street, now=world.at(5))

    world.open(plenary, days=16, present=0)
    secretary = world.actor(world.secretary, 16)
    away = [world.deputies[6], world.deputies[19], world.deputies[25]]
    registered = [m for m in world.members if m not in away]
    for person in [*registered, away[0]]:
        sessions.register(session, plenary, secretary, person, now=world.at(16))
    sessions.register(session, plenary, secretary, away[0], present=False, now=world.at(16))  # left

    sessions.approve_agenda(session, plenary, secretary, {m.id: "for" for m in registered}, now=world.at(16))
    roof_ballots = {
        m.id: ("for" if i < 17 else "against" if i < 20 else "abstain") for i, m in enumerate(registered[:22])
    }  # the last two registered do not vote
    sessions.vote_on_item(session, plenary, secretary, roof_item, roof_ballots, now=world.at(16))
    street_ballots = {m.id: ("against" if i % 2 else "for") for i, m in enumerate(registered)}
    sessions.vote_on_item(session, plenary, secretary, street_item, street_ballots, now=world.at(16))
    assert (roof_item.state, street_item.state) == ("adopted", "rejected")

    fire(session, roof, "sign", world.actor(world.mayor, 17), now=world.at(17))
    protocol = sessions.close_session(session, plenary, secretary, now=world.at(16.5))
    fire(session, protocol, "check", world.actor(world.secretary, 17), now=world.at(17))
    # the roof decision got its number when it was signed: nothing is left for the council's handlers
    assert carry_out(session, HANDLERS, now=world.at(17)) == (0, 0)
    assert session.scalar(select(Decision.official_number).where(Decision.draft_id == roof.id)) == "№ 1-12-VIII"
    (conclusion,) = drafts.children(session, roof, "committee_conclusion")
    return Sitting(world, plenary, roof, street, roof_item, street_item, protocol, conclusion, registered, away)


# --- reading a rendered file back -------------------------------------------------------------------------------
@dataclass
class Paper:
    text: str
    tables: list[list[list[str]]]

    @classmethod
    def read(cls, content: bytes) -> Paper:
        document = docx.Document(io.BytesIO(content))
        return cls(
            text="\n".join(p.text for p in document.paragraphs),
            tables=[[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables],
        )

    def roll_calls(self) -> list[dict[str, str]]:
        """Every vote's table as name -> choice, in the order they appear."""
        return [{row[1]: row[2] for row in table[1:]} for table in self.tables if table[0][2] == "Голосування"]


def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"RADAFLOW_INSTANCE": str(tmp_path / "instance")})


def expected_roll_call(session: Session, vote: Vote) -> dict[str, str]:
    return {person.full_name: CHOICES_UK[choice] for person, choice in ballots_of(session, vote)}


def votes_about(session: Session, subject: Document, purpose: str) -> list[Vote]:
    return list(session.scalars(select(Vote).where(Vote.subject_id == subject.id, Vote.purpose == purpose)))


def files_of(session: Session, document: Document) -> list[tuple[str, int, str]]:
    return [(f.name, f.version, f.key) for f in list_files(session, document.id)]


def file_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DocumentFile)) or 0


# --- what each paper says ---------------------------------------------------------------------------------------
def test_the_protocol_lists_attendance_quorum_and_every_members_vote_on_every_item(session, sitting):
    world = sitting.world
    paper = Paper.read(render("protocol", protocol_context(session, sitting.protocol)))

    assert "СЛАВУТИЦЬКА МІСЬКА РАДА" in paper.text
    assert "VIII скликання" in paper.text
    assert "ПРОТОКОЛ № 12" in paper.text
    assert "18 березня 2026 року" in paper.text
    assert "Сесійна зала, пл. Свободи, 1" in paper.text
    total = world.council.total_composition
    assert total == 27
    assert (
        f"Загальний склад ради: {total}. Зареєстровано: {len(sitting.registered)}, відсутні: "
        f"{len(sitting.away)}. Для кворуму потрібно: {quorum_for(total)} — кворум є."
    ) in paper.text

    attendance = paper.tables[0]
    assert attendance[0] == ["№", "Прізвище, ім'я", "Реєстрація"]
    assert {row[1]: row[2] for row in attendance[1:]} == {
        **{m.full_name: "присутній" for m in sitting.registered},
        **{m.full_name: "відсутній" for m in sitting.away},
    }
    assert [row[0] for row in attendance[1:]] == [str(n) for n in range(1, 28)]

    # the agenda's approval, then the two items: one roll call each, every one of the 27 members in it
    expected = [
        *(expected_roll_call(session, v) for v in votes_about(session, sitting.plenary, "approve_agenda")),
        *(expected_roll_call(session, v) for v in votes_about(session, sitting.roof_item, "decision")),
        *(expected_roll_call(session, v) for v in votes_about(session, sitting.street_item, "decision")),
    ]
    assert paper.roll_calls() == expected
    assert all(len(table) == 27 for table in paper.roll_calls())
    assert paper.roll_calls()[1][world.deputies[25].full_name] == "відсутній"
    assert paper.roll_calls()[1][sitting.registered[-1].full_name] == "не голосував"
    assert set(paper.roll_calls()[1].values()) == {"за", "проти", "утримався", "не голосував", "відсутній"}

    roof_vote, street_vote = (votes_about(session, d, "decision")[0] for d in (sitting.roof_item, sitting.street_item))
    decision = session.scalars(select(Decision).where(Decision.draft_id == sitting.roof.id)).one()
    assert f"СЛУХАЛИ: 1. {sitting.roof.title}" in paper.text
    assert f"Доповідач: {world.staff.full_name}" in paper.text
    assert (
        f"«за» — {roof_vote.votes_for}, «проти» — {roof_vote.votes_against}, «утримався» — "
        f"{roof_vote.abstained}, «не голосував» — {roof_vote.not_voted}, «відсутній» — {roof_vote.absent}."
    ) in paper.text
    assert (roof_vote.votes_for, roof_vote.not_voted, roof_vote.absent) == (17, 2, 3)
    assert f"ВИРІШИЛИ: рішення прийнято.\nРішення: {decision.official_number} від 18 березня 2026 року." in paper.text
    assert f"СЛУХАЛИ: 2. {sitting.street.title}" in paper.text
    assert street_vote.result == "rejected"
    assert "ВИРІШИЛИ: рішення не прийнято." in paper.text
    assert f"Головуючий\t{world.mayor.full_name}" in paper.text
    assert f"Секретар ради\t{world.secretary.full_name}" in paper.text
    assert "{{" not in paper.text
    assert "{%" not in paper.text


def test_the_decision_carries_the_councils_header_its_number_date_text_and_the_mayor(session, sitting):
    decision = session.scalars(select(Decision).where(Decision.draft_id == sitting.roof.id)).one()
    paper = Paper.read(render("decision", decision_context(session, sitting.roof)))

    assert paper.text.startswith("СЛАВУТИЦЬКА МІСЬКА РАДА\nVIII скликання\n12 сесія\nРІШЕННЯ\n")
    assert decision.official_number == "№ 1-12-VIII"
    assert "18 березня 2026 року\t№ 1-12-VIII" in paper.text
    assert sitting.roof.title in paper.text  # the & and < > of the title are kept as written
    assert sitting.roof.fields["body"] in paper.text
    assert f"Міський голова\t{sitting.world.mayor.full_name}" in paper.text


def test_the_agenda_numbers_the_items_with_who_reports_them(session, sitting):
    paper = Paper.read(render("agenda", agenda_context(session, sitting.plenary)))

    assert "ПОРЯДОК ДЕННИЙ" in paper.text
    assert "12 сесії (чергова)" in paper.text
    assert "Дата: 18 березня 2026 року, початок о 11:00" in paper.text  # 09:00 UTC is 11:00 in Kyiv
    assert "Місце: Сесійна зала, пл. Свободи, 1" in paper.text
    (table,) = paper.tables
    assert table == [
        ["№", "Питання", "Доповідає"],
        ["1", sitting.roof.title, sitting.world.staff.full_name],
        ["2", sitting.street.title, sitting.world.staff.full_name],  # nobody named: its initiator reports
    ]


def test_the_committee_conclusion_has_its_recommendation_text_vote_and_chair(session, sitting):
    world = sitting.world
    paper = Paper.read(render("committee_conclusion", committee_conclusion_context(session, sitting.conclusion)))

    assert f"Постійна комісія {world.budget.name}" in paper.text
    assert f"щодо проєкту рішення «{sitting.roof.title}»" in paper.text
    assert "Рекомендація: підтримати проєкт рішення." in paper.text
    assert sitting.conclusion.fields["body"] in paper.text
    (vote,) = votes_about(session, sitting.conclusion, "conclusion")
    assert paper.roll_calls() == [expected_roll_call(session, vote)]
    assert len(paper.roll_calls()[0]) == 4  # the committee's own members, not the council
    assert f"Голова комісії\t{world.deputies[0].full_name}" in paper.text


def test_the_extract_gives_one_item_with_its_roll_call_and_the_quorum(session, sitting):
    paper = Paper.read(render("protocol_extract", extract_context(session, sitting.street_item)))

    assert "ВИТЯГ З ПРОТОКОЛУ № 12" in paper.text
    assert f"СЛУХАЛИ: 2. {sitting.street.title}" in paper.text
    assert sitting.roof.title not in paper.text
    assert "кворум є" in paper.text
    (vote,) = votes_about(session, sitting.street_item, "decision")
    assert paper.roll_calls() == [expected_roll_call(session, vote)]
    assert "ВИРІШИЛИ: рішення не прийнято." in paper.text


# --- stored once per effect, new versions by hand ---------------------------------------------------------------
def test_the_outbox_renders_each_document_once_however_often_the_handler_runs(session, sitting, tmp_path):
    handler = render_docx_handler(settings(tmp_path))
    rows = list(session.scalars(select(OutboxRow).where(OutboxRow.effect == "render_docx").order_by(OutboxRow.id)))
    # two conclusions signed, the session convened, the decision signed, the protocol checked
    assert sorted(r.params["template"] for r in rows) == [
        "agenda",
        "committee_conclusion",
        "committee_conclusion",
        "decision",
        "protocol",
    ]

    assert carry_out(session, {"render_docx": handler}, now=sitting.at(18)) == (5, 0)
    for row in rows:
        handler(session, row, sitting.at(19))  # a redelivery: the file is already there
    assert carry_out(session, {"render_docx": handler}, now=sitting.at(19)) == (0, 0)

    assert file_count(session) == 5
    protocol_row = next(r for r in rows if r.params["template"] == "protocol")
    assert files_of(session, sitting.protocol) == [("protocol", 1, protocol_row.idempotency_key)]
    assert files_of(session, sitting.roof)[0][:2] == ("decision", 1)
    assert files_of(session, sitting.plenary)[0][:2] == ("agenda", 1)
    assert files_of(session, sitting.conclusion)[0][:2] == ("committee_conclusion", 1)
    stored = get_file(session, sitting.protocol.id, "protocol")
    assert stored is not None
    assert (stored.size, stored.media_type) == (len(stored.content), docx_media_type())
    assert stored.sha256 == hashlib.sha256(stored.content).hexdigest()
    assert "ПРОТОКОЛ № 12" in Paper.read(stored.content).text


def docx_media_type() -> str:
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_rendering_again_by_hand_adds_version_2_and_keeps_version_1(session, sitting, tmp_path):
    handler = render_docx_handler(settings(tmp_path))
    carry_out(session, {"render_docx": handler}, now=sitting.at(18))
    first = get_file(session, sitting.protocol.id, "protocol")
    assert first is not None
    first_bytes, first_sha = first.content, first.sha256

    # the protocol's wording of a name is corrected, and the secretary renders it again
    sitting.world.secretary.full_name = "Тарас Коваль-Петрук"
    session.flush()
    secretary = sitting.world.actor(sitting.world.secretary, 20)
    second = rerender(session, sitting.protocol, "protocol", secretary, sitting.at(20))

    assert (second.version, second.created_by_id) == (2, sitting.world.secretary.id)
    assert second.key.startswith(f"manual:{sitting.protocol.id}:protocol:")
    assert "Секретар ради\tТарас Коваль-Петрук" in Paper.read(second.content).text
    session.expire_all()
    kept = get_file(session, sitting.protocol.id, "protocol", version=1)
    assert kept is not None
    assert (kept.content, kept.sha256) == (first_bytes, first_sha)
    assert get_file(session, sitting.protocol.id, "protocol").version == 2  # the latest
    assert [(name, version) for name, version, _ in files_of(session, sitting.protocol)] == [
        ("protocol", 1),
        ("protocol", 2),
    ]


def test_an_extract_is_attached_to_its_agenda_item(session, sitting):
    secretary = sitting.world.actor(sitting.world.secretary, 20)
    extract = render_extract(session, sitting.roof_item, secretary, sitting.at(20))
    again = render_extract(session, sitting.roof_item, secretary, sitting.at(21))

    assert (extract.document_id, extract.name, extract.version, again.version) == (
        sitting.roof_item.id,
        "protocol_extract",
        1,
        2,
    )
    assert f"СЛУХАЛИ: 1. {sitting.roof.title}" in Paper.read(extract.content).text


# --- refusals that store nothing --------------------------------------------------------------------------------
def test_an_unknown_template_or_a_document_of_the_wrong_kind_is_refused_and_nothing_is_stored(
    session, sitting, tmp_path
):
    secretary = sitting.world.actor(sitting.world.secretary, 20)

    with pytest.raises(InvalidInput) as refused:
        rerender(session, sitting.protocol, "minutes", secretary, sitting.at(20))
    assert refused.value.message == (
        "unknown template 'minutes': one of decision, agenda, protocol, committee_conclusion, protocol_extract, "
        "committee_protocol"
    )
    with pytest.raises(InvalidInput) as refused:
        rerender(session, sitting.plenary, "protocol", secretary, sitting.at(20))
    assert refused.value.message == (
        f"the protocol template is rendered for a session_protocol document; document {sitting.plenary.id} is a session"
    )
    with pytest.raises(InvalidInput) as refused:
        protocol_context(session, sitting.roof)
    assert refused.value.message == f"document {sitting.roof.id} is a decision_draft, not a session protocol"
    with pytest.raises(WrongState) as refused:  # rejected, so never numbered: there is no decision to render
        rerender(session, sitting.street, "decision", secretary, sitting.at(20))
    assert refused.value.message == (
        f"«{sitting.street.title}» has no official number yet: a decision is rendered once it is signed"
    )
    deputy = sitting.world.actor(sitting.world.deputies[3], 20)
    with pytest.raises(NotAllowed):
        rerender(session, sitting.protocol, "protocol", deputy, sitting.at(20))

    # an effect naming a template that does not exist fails on its row, which waits for another attempt
    assert file_count(session) == 0
    row = OutboxRow(
        document_id=sitting.protocol.id,
        audit_version=2,
        effect="render_docx",
        params={"template": "minutes"},
        idempotency_key=f"test:{uuid.uuid4().hex}",
        available_at=sitting.at(0),
    )
    session.add(row)
    session.flush()
    # the five effects the session's moves recorded are carried out; the bad one fails alone
    assert carry_out(session, {"render_docx": render_docx_handler(settings(tmp_path))}, now=sitting.at(20)) == (5, 1)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error == (
        "InvalidInput: unknown template 'minutes': one of decision, agenda, protocol, committee_conclusion, "
        "protocol_extract, committee_protocol"
    )
    assert file_count(session) == 5
    assert [f.key for f in list_files(session, sitting.protocol.id)] == [f"{sitting.protocol.id}:2:0"]


# --- LibreOffice opens every file ---------------------------------------------------------------------------------
def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        message = "LibreOffice (soffice) is not installed: `make test` installs libreoffice-writer-nogui"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # the files, not the database, are under test
def test_libreoffice_opens_every_rendered_document_and_converts_it_to_pdf(session, sitting, tmp_path):
    program = soffice()
    papers = {
        "decision": decision_context(session, sitting.roof),
        "agenda": agenda_context(session, sitting.plenary),
        "protocol": protocol_context(session, sitting.protocol),
        "committee_conclusion": committee_conclusion_context(session, sitting.conclusion),
        "protocol_extract": extract_context(session, sitting.roof_item),
    }
    sources = []
    for name, context in papers.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(render(name, context))
        sources.append(str(path))
    profile = tmp_path / "lo-profile"  # a profile of its own: parallel runs never share LibreOffice's lock
    outdir = tmp_path / "pdf"
    done = subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *sources,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for name in papers:
        pdf = outdir / f"{name}.pdf"
        assert pdf.is_file(), f"LibreOffice made no PDF of {name}.docx: {done.stdout} {done.stderr}"
        content = pdf.read_bytes()
        assert content.startswith(b"%PDF-"), name
        assert b"/Type/Page" in content.replace(b" ", b""), f"{name}.pdf has no page"


def test_attendance_left_after_registering_is_shown_absent(session, sitting):
    # registering and leaving are rows of their own: the latest says the member left
    left = session.scalars(
        select(Attendance).where(Attendance.person_id == sitting.away[0].id).order_by(Attendance.id.desc())
    ).first()
    assert left is not None
    assert left.present is False
    context = protocol_context(session, sitting.protocol)
    assert {m["name"]: m["presence"] for m in context["attendance"]["members"]}[sitting.away[0].full_name] == (
        "відсутній"
    )


def test_actors_outside_the_council_are_refused_a_rendering(session, sitting):
    stranger = Actor(id=None, roles=frozenset({"citizen"}))
    with pytest.raises(NotAllowed) as refused:
        rerender(session, sitting.protocol, "protocol", stranger, sitting.at(20))
    assert refused.value.message == "documents are rendered again by the secretary or an administrator"
    assert file_count(session) == 0
