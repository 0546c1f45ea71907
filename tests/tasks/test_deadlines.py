"""The deadline sweep: a reminder before a state's deadline, a word to those responsible once it passed, and the
move the law makes automatic when the time is up (the mayor's veto period) — each once per stay in the state,
however often the sweep runs."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.deadlines import sweep_deadlines
from tasks.runner import run_pending
from tests.conftest import DEFINITIONS, CommittedDB, World, add_consultation, build_world
from workflow.config import Settings
from workflow.council.catalog import CATALOG
from workflow.council.delegation.delegation import delegate_role
from workflow.council.drafts import drafts
from workflow.council.sittings import sessions
from workflow.council.sittings.models import Decision
from workflow.db import make_sessionmaker
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import create_document, edit_document, fire
from workflow.engine.audit import RECORD
from workflow.engine.models import AuditEntry, DeadlineEvent, Document
from workflow.files import DocumentFile
from workflow.notifications.models import Notification
from workflow.people import Person
from workflow.runtime import Runtime
from workflow.timeutil import as_utc


@pytest.fixture
def runtime(committed_db: CommittedDB, tmp_path: Path) -> Runtime:
    settings = Settings(
        env="test",
        database_url=committed_db.url,
        redis_url=None,
        secret_key="test",
        definitions_dir=DEFINITIONS,
        instance_dir=tmp_path,
        base_url="https://rada.example",
    )
    with committed_db.sessions().begin() as session:
        committed_db.registry.sync(session)
    return Runtime(settings, committed_db.registry, committed_db.engine, committed_db.sessions())


@pytest.fixture
def world(runtime: Runtime) -> Iterator[World]:
    """The test council, committed; the test commits what it does with `world.session.commit()`."""
    session = runtime.sessions()
    world = build_world(session)
    session.commit()
    yield world
    session.close()


def operator_runtime(committed_db: CommittedDB, tmp_path: Path, change: Callable[[Path], None]) -> Runtime:
    """A runtime on the committed database whose definitions are a copy of the shipped ones, as `change` edits
    them (an operator's own definitions)."""
    directory = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, directory)
    change(directory)
    registry = DefinitionRegistry.from_directory(directory, CATALOG)
    settings = Settings(
        env="test",
        database_url=committed_db.url,
        redis_url=None,
        secret_key="test",
        definitions_dir=directory,
        instance_dir=tmp_path,
        base_url="https://rada.example",
    )
    runtime = Runtime(settings, registry, committed_db.engine, make_sessionmaker(committed_db.engine, registry))
    with runtime.sessions.begin() as session:
        registry.sync(session)
    return runtime


def told(runtime: Runtime, template: str) -> dict[str, str]:
    """Who was told with `template`: full name -> subject."""
    with runtime.sessions() as session:
        rows = session.execute(
            select(Notification.subject, Notification.person_id).where(Notification.template == template)
        ).all()
        return {
            session.get(Person, person_id).full_name: subject  # type: ignore[union-attr]
            for subject, person_id in rows
        }


def events(runtime: Runtime) -> list[tuple[str, str, str]]:
    with runtime.sessions() as session:
        found = session.scalars(select(DeadlineEvent).order_by(DeadlineEvent.id))
        return [(event.event, event.state, event.outcome) for event in found]


def last_entry(session: Session, document_id: int) -> AuditEntry:
    """The document's last move or edit (records written under its chain, such as a decision's number, aside)."""
    entry = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.document_id == document_id, AuditEntry.trigger != RECORD)
        .order_by(AuditEntry.version.desc())
    ).first()
    assert entry is not None, f"document {document_id} has no audit entry"
    return entry


def submitted_draft(world: World) -> Document:
    """Submitted on Monday 2 March 2026, 9:00: its visas are due in three working days (Thursday 5 March)."""
    author = world.actor(world.staff, 0)
    draft = drafts.write_draft(
        world.session, author, "Про ремонт даху ліцею № 2", "Виділити 1,2 млн грн.", now=world.at(0)
    )
    drafts.submit_draft(world.session, draft, author, now=world.at(0))
    world.session.commit()
    return draft


def test_a_reviewer_is_reminded_the_day_before_the_visa_is_due_and_told_once_it_is_late(runtime, world):
    submitted_draft(world)

    # Tuesday: nothing is due yet
    assert sweep_deadlines(runtime, now=world.at(1)).reminded == 0
    # Wednesday 4 March, 9:00: one working day before the visas are due, each department's reviewer is reminded
    swept = sweep_deadlines(runtime, now=world.at(2))
    assert swept.reminded == 2
    reminded = told(runtime, "deadline_reminder")
    assert set(reminded) == {world.lawyer.full_name, world.accountant.full_name}
    assert "05.03.2026" in reminded[world.lawyer.full_name]
    # the sweep runs every minute: the reminder is not given twice
    assert sweep_deadlines(runtime, now=world.at(2.01)).reminded == 0
    assert len(told(runtime, "deadline_reminder")) == 2

    # Thursday 5 March, 9:00: the visas are late; the reviewers are told so, once
    assert sweep_deadlines(runtime, now=world.at(3)).escalated == 2
    assert sweep_deadlines(runtime, now=world.at(3.5)).escalated == 0
    assert set(told(runtime, "deadline_overdue")) == {world.lawyer.full_name, world.accountant.full_name}
    # Monday 9 March: the draft itself has waited five working days for its visas: its author and the secretary
    swept = sweep_deadlines(runtime, now=world.at(7))
    assert swept.escalated == 1
    assert set(told(runtime, "deadline_overdue")) == {
        world.lawyer.full_name,
        world.accountant.full_name,
        world.staff.full_name,
        world.secretary.full_name,
    }
    assert [event for event, _, _ in events(runtime)] == ["remind", "remind", "escalate", "escalate", "escalate"]


def test_a_document_that_moved_on_is_not_reminded_of_the_state_it_left(runtime, world):
    draft = submitted_draft(world)
    for visa in world.session.scalars(select(Document).where(Document.parent_id == draft.id)):
        reviewer = world.lawyer if visa.fields["department_kind"] == "legal" else world.accountant
        fire(world.session, visa, "give", world.actor(reviewer, 1), now=world.at(1))
    world.session.commit()

    swept = sweep_deadlines(runtime, now=world.at(2))

    assert (swept.reminded, swept.escalated) == (0, 0)
    assert told(runtime, "deadline_reminder") == {}


def adopted_draft(world: World) -> Document:
    """Adopted at session № 12 on Wednesday 18 March 2026 (day 16), 9:00; the mayor has until Monday 23 March."""
    draft = world.reviewed_draft()
    plenary = world.planned_session(number=12, days=16)
    item = sessions.add_to_agenda(world.session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    world.open(plenary, days=16)
    sessions.approve_agenda(
        world.session, plenary, world.actor(world.secretary, 16), world.ballots(for_=9), now=world.at(16)
    )
    sessions.vote_on_item(
        world.session,
        plenary,
        world.actor(world.secretary, 16),
        item,
        world.ballots(for_=7, against=2),
        now=world.at(16),
    )
    assert draft.state == "adopted"
    world.session.commit()
    return draft


def test_when_the_veto_period_runs_out_the_decision_stands_signed_numbered_and_rendered(runtime, world):
    draft = adopted_draft(world)
    run_pending(runtime, now=world.at(16))

    # the day before the five days are up, the mayor is reminded
    assert sweep_deadlines(runtime, now=world.at(20)).reminded == 1
    assert set(told(runtime, "deadline_reminder")) == {world.mayor.full_name}
    # then the system makes the move the law makes: once, however often the sweep runs
    assert sweep_deadlines(runtime, now=world.at(21)).moved == 1
    assert sweep_deadlines(runtime, now=world.at(21.1)).moved == 0
    run_pending(runtime, now=world.at(21))

    with runtime.sessions() as session:
        document = session.get(Document, draft.id)
        assert document is not None
        assert document.state == "signed"
        entry = last_entry(session, draft.id)
        assert (entry.trigger, entry.actor_id) == ("veto_period_ends", None)
        assert entry.comment == "the deadline of 2026-03-23 09:00 UTC passed"
        decision = session.scalars(select(Decision).where(Decision.draft_id == draft.id)).one()
        assert decision.official_number == "№ 1-12-VIII"
        files = session.scalars(select(DocumentFile).where(DocumentFile.document_id == draft.id)).all()
        assert [(f.name, f.version) for f in files] == [("decision", 1)]
    assert world.mayor.full_name in told(runtime, "veto_period_ended")
    assert events(runtime)[-1] == ("expire", "adopted", "fired veto_period_ends")


def test_a_delegation_ends_by_itself_when_its_period_is_over_and_both_sides_are_told(runtime, world):
    acting = world.deputies[0]
    delegation = delegate_role(
        world.session,
        world.actor(world.mayor),
        acting,
        "session_chair",
        scope_id=world.planned_session().id,
        starts_at=world.at(1),
        ends_at=world.at(3),
        reason="голова у відрядженні",
        now=world.at(0),
    )
    world.session.commit()
    assert as_utc(delegation.due_at) == world.at(3)  # due when the period it names ends

    # while the period runs, nothing happens
    assert sweep_deadlines(runtime, now=world.at(2.99)).moved == 0
    # once it is over, the sweep marks it expired: once, however often it runs
    assert sweep_deadlines(runtime, now=world.at(3)).moved == 1
    assert sweep_deadlines(runtime, now=world.at(3.1)).moved == 0
    run_pending(runtime, now=world.at(3))

    with runtime.sessions() as session:
        document = session.get(Document, delegation.id)
        assert document is not None
        assert (document.state, document.due_at) == ("expired", None)
        entry = last_entry(session, delegation.id)
        assert (entry.trigger, entry.actor_id) == ("expire", None)
    assert set(told(runtime, "delegation_ended")) == {world.mayor.full_name, acting.full_name}
    assert events(runtime)[-1] == ("expire", "active", "fired expire")


def test_an_automatic_move_the_engine_refuses_is_recorded_and_reported_instead(committed_db, tmp_path):
    # an operator's definitions in which the automatic move has a guard that no longer holds at expiry, and the
    # secretary answers for the deadline
    def guard_the_automatic_move(directory: Path) -> None:
        path = directory / "decision_draft.yaml"
        text = path.read_text(encoding="utf-8")
        for old, new in [
            (
                "    to: signed\n    roles: [system]\n",
                "    to: signed\n    roles: [system]\n    guards: [within_veto_period]\n",
            ),
            ("remind: [mayor], on_expiry", "remind: [mayor], escalate: [secretary], on_expiry"),
        ]:
            assert text.count(old) == 1
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")

    runtime = operator_runtime(committed_db, tmp_path, guard_the_automatic_move)
    with runtime.sessions() as session:
        world = build_world(session)
        draft = adopted_draft(world)

    swept = sweep_deadlines(runtime, now=world.at(21.5))

    assert swept.moved == 0
    assert len(swept.refused) == 1
    assert swept.refused[0].startswith(f"document {draft.id} (decision_draft): veto_period_ends refused: ")
    with runtime.sessions() as session:
        document = session.get(Document, draft.id)
        assert document is not None
        assert document.state == "adopted", "the refused move changed nothing"
    assert set(told(runtime, "deadline_overdue")) == {world.secretary.full_name}
    # refused once is recorded once: the next sweep neither retries nor tells again
    assert sweep_deadlines(runtime, now=world.at(22)).refused == []
    assert len(told(runtime, "deadline_overdue")) == 1
    assert events(runtime)[-1][0:2] == ("expire", "adopted")


def test_a_due_moment_moved_by_an_edit_is_owed_its_own_reminder_and_its_own_automatic_move(committed_db, tmp_path):
    runtime = operator_runtime(committed_db, tmp_path, add_consultation)
    with runtime.sessions() as session:
        world = build_world(session)
        author = world.actor(world.staff)
        consultation = create_document(
            session,
            "consultation",
            author,
            title="Про новий сквер",
            now=world.at(0),
            fields={"closes_at": world.at(5).isoformat()},
        )
        session.commit()

        # reminded the day before it closes
        assert sweep_deadlines(runtime, now=world.at(4.1)).reminded == 1
        # the author gives people five more days: the old date no longer counts, the new one is owed a reminder
        edit_document(
            session,
            consultation,
            world.actor(world.staff, 4.2),
            fields={"closes_at": world.at(10).isoformat()},
            now=world.at(4.2),
        )
        session.commit()
    assert sweep_deadlines(runtime, now=world.at(5.5)).moved == 0
    assert sweep_deadlines(runtime, now=world.at(9.1)).reminded == 1
    assert sweep_deadlines(runtime, now=world.at(10)).moved == 1

    with runtime.sessions() as session:
        closed = session.get(Document, consultation.id)
        assert closed is not None
        assert closed.state == "closed"
    assert [(event, outcome) for event, _state, outcome in events(runtime)] == [
        ("remind", "reminded 1"),
        ("remind", "reminded 1"),
        ("expire", "fired close"),
    ]


def test_the_sweep_ignores_documents_whose_deadline_is_far_off(runtime, world):
    submitted_draft(world)

    with runtime.sessions() as session:
        assert session.scalar(select(Document.id).where(Document.due_at.is_not(None))) is not None

    swept = sweep_deadlines(runtime, now=world.at(0))

    assert (swept.reminded, swept.escalated, swept.moved) == (0, 0, 0)
    assert events(runtime) == []
