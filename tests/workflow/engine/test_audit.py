"""The audit log's hash chain: an honest history verifies, the database refuses to rewrite it, and every
rewrite by someone who can switch that refusal off is found and named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from workflow.council.sittings import sessions
from workflow.council.sittings.votes import hold_committee_vote
from workflow.engine import create_document, edit_document, fire
from workflow.engine.audit import Break, canonical_json, verify_log
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.errors import InvalidInput
from workflow.people import Actor

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AUDIT = AuditEntry.__table__
DOCUMENTS = Document.__table__
OUTBOX = OutboxRow.__table__

EDITED = "the entry was edited"


@dataclass
class Histories:
    """Documents with real histories, created in this order (so their ids ascend in this order too)."""

    author: Actor
    #: created, edited, submitted, published, sent to committee, put on the agenda, adopted, signed, its number
    #: recorded: versions 1-9
    decision: Document
    #: the legal department's visa on it: asked for and given (2 entries)
    visa: Document
    #: the budget committee's conclusion on it: prepared, its vote recorded, discussed, signed (4 entries)
    conclusion: Document
    #: session № 12 that adopted it: planned, convened, opened, its 9 members registered, the agenda's and the
    #: decision's votes recorded (14 entries)
    plenary: Document
    #: the decision's item on that session's agenda: proposed, included, considered, adopted (4 entries)
    item: Document
    #: a second draft: created, submitted, returned for revision and withdrawn by its author (4 entries)
    withdrawn: Document
    #: a third draft, only just created (1 entry)
    fresh: Document

    DOCUMENTS = 7
    ENTRIES = 9 + 2 + 4 + 14 + 4 + 4 + 1


@pytest.fixture
def histories(session, world) -> Histories:
    """The decision goes the whole way in the council `world` builds: published on day 0, reviewed by the budget
    committee on day 1, put on the agenda of session № 12 on day 5, adopted there on day 16, signed on day 17."""
    author, system = world.actor(world.staff), Actor.system()
    secretary, chair = world.actor(world.secretary), world.actor(world.deputies[0])  # chair of the budget committee

    decision = create_document(
        session,
        "decision_draft",
        author,
        title="Про ремонт шкільного стадіону",
        fields={"body": "Виділити кошти."},
        now=MONDAY,
    )
    edit_document(
        session, decision, author, fields={"body": "Виділити 2 млн грн на ремонт стадіону школи № 3."}, now=MONDAY
    )
    fire(session, decision, "submit", author, comment="Прошу завізувати", now=MONDAY)
    visa = create_document(
        session, "visa", system, parent=decision, fields={"department_id": world.legal.id}, now=MONDAY
    )
    fire(session, visa, "give", world.actor(world.lawyer), now=MONDAY)
    fire(session, decision, "publish_for_discussion", secretary, now=MONDAY)

    fire(session, decision, "send_to_committees", secretary, now=world.at(1))
    conclusion = create_document(
        session,
        "committee_conclusion",
        system,
        parent=decision,
        fields={"committee_id": world.budget.id, "recommendation": "support", "body": "Підтримати"},
        now=world.at(1),
    )
    hold_committee_vote(
        session,
        conclusion,
        chair,
        question="Підтримати проєкт",
        ballots={p.id: "for" for p in world.deputies[:4]},
        now=world.at(1),
    )
    fire(session, conclusion, "discuss", chair, now=world.at(1))
    fire(session, conclusion, "sign", chair, now=world.at(1))

    plenary = world.planned_session(number=12, days=16)
    item = sessions.add_to_agenda(session, plenary, secretary, decision, now=world.at(5))
    world.open(plenary, days=16)
    sessions.approve_agenda(session, plenary, secretary, world.ballots(for_=9), now=world.at(16))
    sessions.vote_on_item(session, plenary, secretary, item, world.ballots(for_=6, against=3), now=world.at(16))
    fire(session, decision, "sign", world.actor(world.mayor), data={"number": "123-VIII"}, now=world.at(17))

    withdrawn = create_document(
        session,
        "decision_draft",
        author,
        title="Про перейменування вулиці",
        fields={"body": "Перейменувати."},
    )
    fire(session, withdrawn, "submit", author)
    fire(session, withdrawn, "return_for_revision", secretary, comment="Немає висновку топонімічної комісії")
    fire(session, withdrawn, "withdraw", author, comment="Питання вирішено іншим рішенням")

    fresh = create_document(session, "decision_draft", author, title="Про сквер", fields={"body": "Облаштувати."})
    return Histories(author, decision, visa, conclusion, plenary, item, withdrawn, fresh)


def entry(session, document: Document, version: int) -> AuditEntry:
    return session.scalars(
        select(AuditEntry).where(AuditEntry.document_id == document.id, AuditEntry.version == version)
    ).one()


def stored_row(session, entry_id: int) -> tuple[object, ...] | None:
    """The entry as the database holds it, read past the session's copies."""
    row = session.connection().execute(select(AUDIT).where(AUDIT.c.id == entry_id)).one_or_none()
    return None if row is None else tuple(row)


def switch_off_append_only(session) -> None:
    """What only a database owner can do; the test's transaction is rolled back, and the triggers with it."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))
    else:
        connection.execute(text("DROP TRIGGER audit_entries_no_update"))
        connection.execute(text("DROP TRIGGER audit_entries_no_delete"))


def as_owner(session, statement) -> None:
    """Run a raw statement behind the engine's back (and the ORM's: the session's loaded copies stay as they were)."""
    session.connection().execute(statement)


def first_break(session) -> Break:
    found = verify_log(session)[2]
    assert found is not None, "the tampering went unnoticed"
    return found


def assert_names(found: Break, document: Document, entry_id: int | None, version: int | None, says: str) -> None:
    assert (found.document_id, found.entry_id, found.version) == (document.id, entry_id, version)
    assert says in found.message


# --- an honest history ---------------------------------------------------------------------------------------
def test_an_honest_log_verifies_and_every_document_and_entry_is_counted(session, histories):
    assert verify_log(session) == (Histories.DOCUMENTS, Histories.ENTRIES, None)
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == Histories.ENTRIES


def test_verifying_in_small_batches_reads_the_same_log(session, histories):
    assert verify_log(session, batch=2) == (Histories.DOCUMENTS, Histories.ENTRIES, None)


def test_an_empty_database_has_nothing_to_verify(session):
    assert verify_log(session) == (0, 0, None)


def test_data_that_is_not_strict_json_is_refused_on_every_database(session, histories, unchanged):
    # PostgreSQL's JSONB refuses NaN, SQLite would keep it: the hash form refuses it everywhere
    with pytest.raises(ValueError, match="not JSON compliant"):
        canonical_json({"share": float("nan")})
    with unchanged(), pytest.raises(InvalidInput, match="cannot be stored"):
        fire(session, histories.fresh, "submit", histories.author, data={"share": float("inf")})


# --- the database refuses to rewrite history -----------------------------------------------------------------
@pytest.mark.parametrize(
    "rewrite",
    [
        pytest.param(lambda e: update(AUDIT).where(AUDIT.c.id == e).values(comment="Без зауважень"), id="update"),
        pytest.param(lambda e: update(AUDIT).where(AUDIT.c.id == e).values(hash="0" * 64), id="update-hash"),
        pytest.param(lambda e: delete(AUDIT).where(AUDIT.c.id == e), id="delete"),
    ],
)
def test_the_database_refuses_to_rewrite_an_audit_entry(session, histories, rewrite):
    given = entry(session, histories.visa, 2)  # the visa's last entry: no outbox row refers to it
    before = stored_row(session, given.id)

    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.connection().execute(rewrite(given.id))

    assert stored_row(session, given.id) == before
    # the refused statement spoiled only its savepoint: the engine goes on in the same transaction
    fire(session, histories.fresh, "submit", histories.author)
    assert verify_log(session) == (Histories.DOCUMENTS, Histories.ENTRIES + 1, None)


# --- a database owner who switches the refusal off is still found out ----------------------------------------
def test_an_edited_comment_is_found(session, histories):
    submitted = entry(session, histories.decision, 3)
    switch_off_append_only(session)
    as_owner(session, update(AUDIT).where(AUDIT.c.id == submitted.id).values(comment="Погоджено з усіма"))

    assert_names(first_break(session), histories.decision, submitted.id, 3, EDITED)


def test_an_edited_destination_state_is_found(session, histories):
    adopted = entry(session, histories.decision, 7)
    switch_off_append_only(session)
    as_owner(session, update(AUDIT).where(AUDIT.c.id == adopted.id).values(to_state="rejected"))

    assert_names(first_break(session), histories.decision, adopted.id, 7, EDITED)


def test_a_cover_up_that_keeps_document_and_log_agreeing_is_found(session, histories):
    """Reviving a withdrawn draft: its last entry and the document both rewritten to say 'drafting'."""
    withdrawal = entry(session, histories.withdrawn, 4)
    switch_off_append_only(session)
    as_owner(session, update(AUDIT).where(AUDIT.c.id == withdrawal.id).values(to_state="drafting"))
    as_owner(session, update(DOCUMENTS).where(DOCUMENTS.c.id == histories.withdrawn.id).values(state="drafting"))

    assert_names(first_break(session), histories.withdrawn, withdrawal.id, 4, EDITED)


def test_a_backdated_entry_is_found(session, histories):
    submitted = entry(session, histories.decision, 3)
    switch_off_append_only(session)
    as_owner(session, update(AUDIT).where(AUDIT.c.id == submitted.id).values(at=submitted.at - timedelta(days=1)))

    assert_names(first_break(session), histories.decision, submitted.id, 3, EDITED)


def test_edited_data_is_found(session, histories):
    signed = entry(session, histories.decision, 8)
    switch_off_append_only(session)
    as_owner(session, update(AUDIT).where(AUDIT.c.id == signed.id).values(data={"number": "124-VIII"}))

    assert_names(first_break(session), histories.decision, signed.id, 8, EDITED)


def test_an_entry_deleted_from_the_middle_is_found(session, histories):
    """The decision was put on the agenda (version 6); someone removes that step from its history."""
    put_on_agenda, adopted = entry(session, histories.decision, 6), entry(session, histories.decision, 7)
    switch_off_append_only(session)
    as_owner(session, delete(AUDIT).where(AUDIT.c.id == put_on_agenda.id))

    assert_names(first_break(session), histories.decision, adopted.id, 7, "version 6 is missing from the log")


def test_the_newest_entry_deleted_is_found(session, histories):
    """Hiding the mayor's signature: the entries of the signing and of its number, and the outbox rows that refer
    to them, are deleted."""
    adopted = entry(session, histories.decision, 7)
    signed, numbered = entry(session, histories.decision, 8), entry(session, histories.decision, 9)
    switch_off_append_only(session)
    as_owner(session, delete(OUTBOX).where(OUTBOX.c.document_id == histories.decision.id, OUTBOX.c.audit_version == 8))
    as_owner(session, delete(AUDIT).where(AUDIT.c.id.in_([signed.id, numbered.id])))

    assert_names(
        first_break(session),
        histories.decision,
        adopted.id,
        7,
        "the document is at version 9 but its log ends at version 7",
    )


def test_a_document_whose_only_entry_is_deleted_is_found(session, histories):
    created = entry(session, histories.fresh, 1)
    switch_off_append_only(session)
    as_owner(session, delete(AUDIT).where(AUDIT.c.id == created.id))

    found = first_break(session)
    assert_names(found, histories.fresh, None, None, "no audit entries at all")
    assert str(found).startswith(f"the audit log of document {histories.fresh.id}:")


def test_a_state_changed_directly_in_the_documents_table_is_found(session, histories):
    """No trigger guards the documents table; the log's end anchors it."""
    withdrawal = entry(session, histories.withdrawn, 4)
    as_owner(session, update(DOCUMENTS).where(DOCUMENTS.c.id == histories.withdrawn.id).values(state="drafting"))

    found = first_break(session)
    assert_names(found, histories.withdrawn, withdrawal.id, 4, "in state 'drafting' but its log ends in 'withdrawn'")
    assert str(found).startswith(f"audit entry #{withdrawal.id} (document {histories.withdrawn.id}, version 4): ")


@pytest.mark.parametrize(
    "change", [{"title": "Про інше"}, {"fields": {"body": "Текст, якого ніхто не писав"}}], ids=["title", "text"]
)
def test_a_text_changed_directly_in_the_documents_table_is_found(session, histories, change):
    """The creation and every edit record a digest of the title and fields: the chain covers the text too."""
    last = entry(session, histories.withdrawn, 4)
    as_owner(session, update(DOCUMENTS).where(DOCUMENTS.c.id == histories.withdrawn.id).values(**change))

    found = first_break(session)
    assert_names(found, histories.withdrawn, last.id, 4, "title or fields are not what its log last recorded")


def test_the_first_break_in_document_order_is_reported(session, histories):
    """Two documents tampered with, the later one first: the report names the earlier document."""
    switch_off_append_only(session)
    as_owner(session, update(DOCUMENTS).where(DOCUMENTS.c.id == histories.fresh.id).values(state="withdrawn"))
    given = entry(session, histories.visa, 2)
    as_owner(session, update(AUDIT).where(AUDIT.c.id == given.id).values(actor_id=None))

    documents, entries, found = verify_log(session, batch=1)
    assert_names(found, histories.visa, given.id, 2, EDITED)
    assert (documents, entries) == (2, 9 + 2), "it stops at the visa: the decision and the visa were read"


def test_verification_reads_the_database_not_the_sessions_copies(session, histories):
    submitted = entry(session, histories.decision, 3)  # the session holds this entry and the document
    switch_off_append_only(session)
    as_owner(session, update(AUDIT).where(AUDIT.c.id == submitted.id).values(comment=None))
    assert submitted.comment == "Прошу завізувати", "the loaded copy does not know of the edit"

    assert_names(first_break(session), histories.decision, submitted.id, 3, EDITED)


# --- honest histories that must not raise false alarms ------------------------------------------------------
def test_a_move_timed_by_a_local_clock_verifies(session, people):
    """SQLite keeps a moment without its offset: the engine must store the UTC moment it hashed."""
    author = people.person("Оксана Мельник", "staff")
    in_kyiv = datetime(2026, 3, 2, 11, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
    draft = create_document(session, "decision_draft", author, title="Про сквер", fields={"body": "Так"}, now=in_kyiv)
    fire(session, draft, "submit", author, now=in_kyiv)

    assert verify_log(session) == (1, 2, None)


@pytest.mark.parametrize("amount", [1e16, -0.0, 2.0, 0.1], ids=["1e16", "minus-zero", "two", "a-tenth"])
def test_numbers_in_data_verify(session, people, amount):
    """PostgreSQL's JSONB keeps numbers as exact decimals (1e+16 comes back as 10000000000000000, -0.0 as 0):
    the hashed form must be the one the database gives back."""
    author = people.person("Оксана Мельник", "staff")
    draft = create_document(session, "decision_draft", author, title="Про бюджет", fields={"body": "Так"})
    fire(session, draft, "submit", author, data={"amount": amount, "parts": [amount]})

    assert verify_log(session) == (1, 2, None)
