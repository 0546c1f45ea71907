"""What a draft's reviewers signed off is the whole draft: a file attached or replaced after visas voids them, as
an edit of its text does; and a change of its particulars (initiator, committees, majority) is under the draft's
audit chain, as a change of its text is, so that a rewrite behind the engine is found by `radaflow audit verify`.
Every refusal changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text, update

from workflow.council.drafts import drafts
from workflow.council.drafts.attachments import attach_file
from workflow.council.drafts.models import DraftVersion
from workflow.council.drafts.records import DRAFT_VERSION
from workflow.council.drafts.versions import Particulars
from workflow.engine import fire
from workflow.engine.audit import EDIT, RECORD, verify_log
from workflow.engine.models import AuditEntry, Document
from workflow.errors import InvalidInput, NotAllowed

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
VERSIONS = DraftVersion.__table__


@pytest.fixture
def returned(session, world):
    """A submitted draft whose finance visa was given before the secretary sent it back: (draft, that visa)."""
    staff = world.actor(world.staff)
    draft = drafts.write_draft(session, staff, "Про сквер", "Текст.", now=world.at(0))
    visas = drafts.submit_draft(session, draft, staff, now=world.at(0))
    finance = next(v for v in visas if v.fields["department_kind"] == "finance")
    fire(session, finance, "give", world.actor(world.accountant, 1), now=world.at(1))
    drafts.return_for_revision(session, draft, world.actor(world.secretary, 1), "Додайте кошторис", now=world.at(1))
    return draft, finance


def entries(session, draft: Document) -> list[AuditEntry]:
    return list(
        session.scalars(select(AuditEntry).where(AuditEntry.document_id == draft.id).order_by(AuditEntry.version))
    )


# --- files --------------------------------------------------------------------------------------------------------
def test_a_file_attached_after_a_visa_voids_it_saying_why(session, world, returned):
    draft, finance = returned

    attached = attach_file(session, draft, world.actor(world.staff, 2), "кошторис.pdf", PDF, now=world.at(2))

    assert (attached.file.filename, attached.voided) == ("кошторис.pdf", 1)
    assert finance.state == "invalidated"
    (voiding,) = [e for e in entries(session, finance) if e.trigger == "invalidate"]
    assert voiding.comment == "a file was attached to the draft"


def test_a_file_replaced_after_a_visa_voids_it_too(session, world, returned):
    draft, _finance = returned
    staff = world.actor(world.staff, 2)
    drafts.edit_draft(session, draft, staff, body="Текст із кошторисом.", now=world.at(2))  # voids the first
    attach_file(session, draft, staff, "кошторис.pdf", PDF, now=world.at(2))
    visas = drafts.submit_draft(session, draft, staff, now=world.at(3))
    for visa in visas:
        reviewer = world.lawyer if visa.fields["department_kind"] == "legal" else world.accountant
        fire(session, visa, "give", world.actor(reviewer, 3), now=world.at(3))
    drafts.return_for_revision(session, draft, world.actor(world.secretary, 4), "Новий кошторис", now=world.at(4))

    replaced = attach_file(session, draft, staff, "кошторис-2.pdf", PDF, replaces="attachment-1", now=world.at(4))

    assert (replaced.file.version, replaced.voided) == (2, 2)
    assert {visa.state for visa in visas} == {"invalidated"}


def test_a_file_attached_with_no_visa_given_voids_nothing(session, world):
    draft = drafts.write_draft(session, world.actor(world.staff), "Про сквер", "Текст.", now=world.at(0))

    attached = attach_file(session, draft, world.actor(world.staff), "кошторис.pdf", PDF, now=world.at(0))

    assert attached.voided == 0
    assert drafts.children(session, draft, "visa") == []


def test_a_refused_file_voids_no_visa_and_changes_nothing(session, world, returned, unchanged):
    draft, finance = returned
    with unchanged(), pytest.raises(InvalidInput):
        attach_file(session, draft, world.actor(world.staff, 2), "setup.pdf", EXE, now=world.at(2))
    with unchanged(), pytest.raises(InvalidInput, match="no such attached file"):
        attach_file(session, draft, world.actor(world.staff, 2), "а.pdf", PDF, replaces="attachment-9")
    with unchanged(), pytest.raises(NotAllowed):
        attach_file(session, draft, world.actor(world.secretary, 2), "кошторис.pdf", PDF, now=world.at(2))
    assert finance.state == "given"


# --- particulars --------------------------------------------------------------------------------------------------
def test_a_change_of_particulars_alone_is_written_under_the_draft_s_chain(session, world):
    staff = world.actor(world.staff)
    draft = drafts.write_draft(session, staff, "Про сквер", "Текст.", now=world.at(0))
    before = draft.version

    drafts.edit_draft(
        session, draft, staff, particulars=Particulars("Виконком", "two_thirds", world.budget.id), now=world.at(1)
    )

    (record,) = entries(session, draft)[before:]
    row = session.scalars(select(DraftVersion).where(DraftVersion.document_id == draft.id, DraftVersion.number == 2))
    version = row.one()
    assert (record.trigger, record.data["record"], record.data["id"]) == (RECORD, DRAFT_VERSION, version.id)
    assert (version.initiator, version.record_version, draft.version) == ("Виконком", record.version, before + 1)
    assert verify_log(session)[2] is None


def test_a_save_of_text_and_particulars_writes_the_edit_and_the_record(session, world):
    staff = world.actor(world.staff)
    draft = drafts.write_draft(session, staff, "Про сквер", "Текст.", now=world.at(0))
    before = draft.version
    drafts.edit_draft(session, draft, staff, body="Інший текст.", now=world.at(1))  # the text only: its edit

    drafts.edit_draft(session, draft, staff, body="Третій текст.", particulars=Particulars("Депутат"), now=world.at(2))

    written = [(e.trigger, e.data.get("record")) for e in entries(session, draft)[before:]]
    assert written == [(EDIT, None), (EDIT, None), (RECORD, DRAFT_VERSION)]
    assert verify_log(session)[2] is None


def test_refused_particulars_change_nothing(session, world, unchanged):
    draft = drafts.write_draft(session, world.actor(world.staff), "Про сквер", "Текст.", now=world.at(0))
    with unchanged(), pytest.raises(InvalidInput, match="there is no such committee"):
        drafts.edit_draft(session, draft, world.actor(world.staff), particulars=Particulars(lead_committee_id=99_999))
    with unchanged(), pytest.raises(NotAllowed):
        drafts.edit_draft(session, draft, world.actor(world.secretary), particulars=Particulars("Хтось"))


def switch_off_append_only(session) -> None:
    """What only a database owner can do (the test's transaction is rolled back, and the change with it)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE draft_versions DISABLE TRIGGER draft_versions_append_only"))
    else:
        connection.execute(text("DROP TRIGGER draft_versions_no_update"))


def test_particulars_rewritten_behind_the_engine_are_found_and_the_draft_named(session, world):
    staff = world.actor(world.staff)
    draft = drafts.write_draft(session, staff, "Про сквер", "Текст.", now=world.at(0))
    drafts.edit_draft(session, draft, staff, particulars=Particulars("Виконком"), now=world.at(1))
    switch_off_append_only(session)

    session.connection().execute(
        update(VERSIONS).where(VERSIONS.c.document_id == draft.id, VERSIONS.c.number == 2).values(initiator="Хтось")
    )

    found = verify_log(session)[2]
    assert found is not None, "the rewrite went unnoticed"
    assert found.document_id == draft.id
    assert "it records is not what it recorded (changed outside the engine)" in found.message


def test_a_version_inserted_behind_the_engine_as_recorded_is_found(session, world):
    staff = world.actor(world.staff)
    draft = drafts.write_draft(session, staff, "Про сквер", "Текст.", now=world.at(0))
    drafts.edit_draft(session, draft, staff, particulars=Particulars("Виконком"), now=world.at(1))
    (kept,) = session.scalars(
        select(DraftVersion).where(DraftVersion.number == 2, DraftVersion.document_id == draft.id)
    )
    columns = {c.name: getattr(kept, c.key) for c in VERSIONS.columns if c.name != "id"}

    session.execute(insert(VERSIONS).values(**{**columns, "number": 3, "initiator": "Хтось"}))

    found = verify_log(session)[2]
    assert found is not None, "the forgery went unnoticed"
    assert found.document_id == draft.id
    assert "is recorded in none of its audit entries (written outside the engine)" in found.message
