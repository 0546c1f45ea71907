"""When a stay in a state is due: `days` after entering it, or the moment a field of the document holds
(`deadline: {until: <field>}`), which follows an edit of that field."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from workflow.definitions.registry import registry_of
from workflow.engine import create_document, edit_document, fire
from workflow.engine.models import Document
from workflow.timeutil import as_utc

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)
NEXT_FRIDAY = datetime(2026, 3, 13, 18, 0, tzinfo=UTC)


def delegations_an_admin_may_extend(definitions: Path) -> None:
    """An operator's version 3 of `delegation`: an administrator may move the end of a delegation's period."""
    path = definitions / "delegation.yaml"
    text = path.read_text(encoding="utf-8")
    deadline = "    deadline: {until: ends_at, on_expiry: expire}\n"
    assert text.count(deadline) == 1
    assert text.count("\nversion: 2\n") == 1
    text = text.replace("\nversion: 2\n", "\nversion: 3\n")
    text = text.replace(deadline, deadline + "    edit: [admin]\n    fields: [ends_at]\n")
    path.write_text(text, encoding="utf-8")


def test_a_deadline_until_a_field_is_that_moment_and_moves_with_an_edit_of_it(definitions, deploy, people):
    delegations_an_admin_may_extend(definitions)
    session = deploy(definitions)
    registry_of(session).sync(session)
    admin = people.person("Ганна Адміністраторка", "admin")
    acting = people.person("Світлана Бойко")
    delegation = create_document(
        session, "delegation", admin, title="secretary: Світлана Бойко", now=MONDAY,
        fields={"role": "secretary", "person_id": acting.id, "ends_at": FRIDAY.isoformat()},
    )
    assert as_utc(delegation.due_at) == FRIDAY

    edit_document(session, delegation, admin, fields={"ends_at": NEXT_FRIDAY.isoformat()}, now=MONDAY)

    session.expire_all()
    stored = session.get(Document, delegation.id)
    assert stored is not None
    assert (stored.version, as_utc(stored.due_at)) == (2, NEXT_FRIDAY)


def test_a_field_that_holds_no_moment_makes_nothing_due(definitions, deploy, people):
    delegations_an_admin_may_extend(definitions)
    session = deploy(definitions)
    registry_of(session).sync(session)
    admin = people.person("Ганна Адміністраторка", "admin")
    delegation = create_document(
        session, "delegation", admin, title="secretary: без строку", now=MONDAY,
        fields={"role": "secretary", "ends_at": FRIDAY.isoformat()},
    )

    edit_document(session, delegation, admin, fields={"ends_at": "до повернення секретаря"}, now=MONDAY)

    assert delegation.due_at is None


def test_a_state_with_a_days_deadline_counts_from_entering_it(session, author):
    draft = create_document(session, "decision_draft", author, title="Про ремонт", fields={"body": "Текст."},
                            now=MONDAY)
    assert draft.due_at is None  # drafting has no deadline

    fire(session, draft, "submit", author, now=MONDAY)

    # visas: five working days, Monday 2 March -> Monday 9 March
    assert as_utc(draft.due_at) == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
