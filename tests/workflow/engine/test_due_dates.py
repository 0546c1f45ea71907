"""When a stay in a state is due: `days` after entering it, or the moment a field of the document holds
(`deadline: {until: <field>}`), which follows an edit of that field; a field that names no moment is refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import add_consultation
from workflow.definitions.registry import registry_of
from workflow.engine import create_document, edit_document, fire
from workflow.engine.models import AuditEntry, Document
from workflow.errors import InvalidInput
from workflow.timeutil import as_utc

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)
NEXT_FRIDAY = datetime(2026, 3, 13, 18, 0, tzinfo=UTC)


@pytest.fixture
def consultations(definitions: Path, deploy) -> Session:
    """A session firing through definitions that include the operator's `consultation` kind."""
    add_consultation(definitions)
    session: Session = deploy(definitions)
    registry_of(session).sync(session)
    return session


def stored(session: Session, document: Document) -> Document:
    session.expire_all()
    found = session.get(Document, document.id)
    assert found is not None
    return found


def entries(session: Session, document: Document) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.document_id == document.id))


def open_consultation(session: Session, author, closes_at: object) -> Document:
    return create_document(
        session, "consultation", author, title="Про новий сквер", now=MONDAY, fields={"closes_at": closes_at}
    )


def test_a_deadline_until_a_field_is_that_moment_and_moves_with_an_edit_of_it(consultations, author):
    consultation = open_consultation(consultations, author, FRIDAY.isoformat())
    assert as_utc(stored(consultations, consultation).due_at) == FRIDAY

    edit_document(consultations, consultation, author, fields={"closes_at": NEXT_FRIDAY.isoformat()}, now=MONDAY)

    assert (stored(consultations, consultation).version, as_utc(stored(consultations, consultation).due_at)) == (
        2,
        NEXT_FRIDAY,
    )


def test_a_moment_written_in_kyiv_time_is_the_same_moment(consultations, author):
    consultation = open_consultation(consultations, author, "2026-03-06T20:00:00+02:00")

    assert as_utc(stored(consultations, consultation).due_at) == FRIDAY


def test_emptying_the_field_leaves_nothing_due(consultations, author):
    consultation = open_consultation(consultations, author, FRIDAY.isoformat())

    edit_document(consultations, consultation, author, fields={"closes_at": None}, now=MONDAY)

    assert stored(consultations, consultation).due_at is None


@pytest.mark.parametrize("value", ["2026-03-06T18:00", "наступної п'ятниці", "2026-02-30T18:00:00+02:00", 20260306])
def test_a_field_that_names_no_moment_is_refused_at_creation_and_nothing_is_written(consultations, author, value):
    before = consultations.scalar(select(func.count()).select_from(Document))

    with pytest.raises(InvalidInput) as refused:
        open_consultation(consultations, author, value)

    assert str(refused.value) == (
        "'closes_at' says when 'Open' ends: it must be a date and time with its UTC offset, "
        f"e.g. 2026-03-20T18:00:00+02:00 (got {value!r})"
    )
    assert consultations.scalar(select(func.count()).select_from(Document)) == before


def test_an_edit_that_would_name_no_moment_is_refused_and_changes_nothing(consultations, author):
    consultation = open_consultation(consultations, author, FRIDAY.isoformat())

    with pytest.raises(InvalidInput, match="'closes_at' says when 'Open' ends"):
        edit_document(consultations, consultation, author, fields={"closes_at": "2026-03-13"}, now=MONDAY)

    kept = stored(consultations, consultation)
    assert (kept.version, kept.fields["closes_at"], as_utc(kept.due_at)) == (1, FRIDAY.isoformat(), FRIDAY)
    assert entries(consultations, consultation) == 1


def test_a_state_with_a_days_deadline_counts_from_entering_it(session, author):
    draft = create_document(
        session, "decision_draft", author, title="Про ремонт", fields={"body": "Текст."}, now=MONDAY
    )
    assert draft.due_at is None  # drafting has no deadline

    fire(session, draft, "submit", author, now=MONDAY)

    # visas: five working days, Monday 2 March -> Monday 9 March
    assert as_utc(draft.due_at) == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
