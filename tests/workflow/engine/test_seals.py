"""Seals anchor the audit chain outside the database: someone who can rewrite the database, switch its
append-only triggers off and re-hash the chain with the project's own hash function still cannot make history
agree with a seal signed by a key the database does not hold."""

from __future__ import annotations

import base64
import json
import stat
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, select, text, update

from tests.attacker import rewrite_and_rehash_chain
from workflow.config import public_key_text
from workflow.engine import create_document, edit_document, fire
from workflow.engine.audit import verify_log
from workflow.engine.models import AuditEntry, Document
from workflow.engine.seals import (
    Head,
    Seal,
    SealError,
    SealKeyMissing,
    SealRefused,
    check_against_seal,
    check_signature,
    heads_digest,
    latest_seal_file,
    make_seal,
    read_seal,
    seal_files,
    sealed_on,
    signing_key,
    verifying_key,
    write_seal,
)

MONDAY = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
AUDIT = AuditEntry.__table__
DOCUMENTS = Document.__table__


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def drafts(session, world) -> list[Document]:
    """Two drafts with histories: one submitted with a comment and its visas given (and published), one edited."""
    author = world.actor(world.staff)
    published = world.published_draft("Про ремонт шкільного стадіону")
    edited = create_document(
        session, "decision_draft", author, title="Про сквер", fields={"body": "Облаштувати."}, now=MONDAY
    )
    edit_document(session, edited, author, fields={"body": "Облаштувати сквер на вул. Садовій."}, now=MONDAY)
    fire(session, edited, "submit", author, comment="Прошу завізувати", now=MONDAY)
    return [published, edited]


def switch_off_append_only(session) -> None:
    """What only a database owner can do; the test's transaction is rolled back, and the triggers with it."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))
    else:
        connection.execute(text("DROP TRIGGER audit_entries_no_update"))
        connection.execute(text("DROP TRIGGER audit_entries_no_delete"))


def rewrite_and_rehash(session, document: Document, version: int, comment: str) -> None:
    """The attack the chain alone cannot see: switch the triggers off, change an entry's comment, recompute its
    hash and every later entry's with the project's own `entry_hash`, and move the document's anchor along."""
    switch_off_append_only(session)
    rewrite_and_rehash_chain(session.connection(), document.id, version, comment)
    session.expire_all()


def version_with_comment(session, document: Document) -> int:
    return session.scalars(
        select(AuditEntry.version).where(AuditEntry.document_id == document.id, AuditEntry.comment.is_not(None))
    ).first()


# --- an honest log -------------------------------------------------------------------------------------------
def test_a_seal_signs_the_head_of_every_chain_and_an_honest_log_agrees_with_it(session, drafts, key):
    seal = make_seal(session, key, MONDAY)

    documents = session.execute(select(Document.id, Document.version, Document.audit_hash).order_by(Document.id))
    assert seal.heads == tuple(Head(*row) for row in documents)
    assert len(seal.heads) >= 2 + 2  # the two drafts and the published one's visas
    assert seal.digest == heads_digest(seal.heads)
    assert seal.public_key == public_key_text(key.public_key())
    assert seal.label == "2026-12-01 09:00 UTC"
    assert check_signature(seal, public_key_text(key.public_key())) is None
    assert check_against_seal(session, seal) == []


def test_a_seal_of_an_empty_database_holds(session, key):
    seal = make_seal(session, key, MONDAY)

    assert seal.heads == ()
    assert check_signature(seal, seal.public_key) is None
    assert check_against_seal(session, seal) == []


# --- the attacker who re-hashes the chain --------------------------------------------------------------------
def test_a_history_rewritten_and_rehashed_as_an_attacker_would_passes_the_chain_but_not_the_seal(session, drafts, key):
    _, edited = drafts
    seal = make_seal(session, key, MONDAY)
    submitted = version_with_comment(session, edited)

    rewrite_and_rehash(session, edited, submitted, "Погоджено без зауважень")

    # the chain alone holds together: the attacker used the project's own hash function
    assert verify_log(session)[2] is None
    # the seal does not: the document is named, the others are not
    (broken,) = check_against_seal(session, seal)
    assert broken.document_id == edited.id
    assert broken.sealed_version == session.get(Document, edited.id).version
    assert str(broken).startswith(f"document {edited.id} broke since the seal of 2026-12-01 09:00 UTC: ")
    assert "history was rewritten" in broken.message


def test_the_first_entry_of_the_oldest_document_rewritten_is_found_too(session, drafts, key):
    published, _ = drafts
    seal = make_seal(session, key, MONDAY)

    rewrite_and_rehash(session, published, 1, "створено заднім числом")

    assert verify_log(session)[2] is None
    assert [b.document_id for b in check_against_seal(session, seal)] == [published.id]


def test_entries_deleted_and_the_document_rewound_are_found(session, drafts, key, world):
    _, edited = drafts
    author = world.actor(world.staff)
    fire(session, edited, "withdraw", author, comment="Питання вирішено", now=MONDAY)
    sealed_version = edited.version
    seal = make_seal(session, key, MONDAY)
    last = session.scalars(
        select(AuditEntry).where(AuditEntry.document_id == edited.id, AuditEntry.version == sealed_version)
    ).one()
    previous = session.scalars(
        select(AuditEntry).where(AuditEntry.document_id == edited.id, AuditEntry.version == sealed_version - 1)
    ).one()
    switch_off_append_only(session)
    connection = session.connection()
    # the withdrawal never happened: its entry (and what it recorded) goes, the document steps back consistently
    connection.execute(
        text("DELETE FROM outbox WHERE document_id = :id AND audit_version = :v"),
        {"id": edited.id, "v": sealed_version},
    )
    connection.execute(delete(AUDIT).where(AUDIT.c.id == last.id))
    connection.execute(
        update(DOCUMENTS)
        .where(DOCUMENTS.c.id == edited.id)
        .values(version=sealed_version - 1, audit_hash=previous.hash, state=previous.to_state)
    )
    session.expire_all()

    assert verify_log(session)[2] is None
    (broken,) = check_against_seal(session, seal)
    assert broken.document_id == edited.id
    assert f"its log now ends at version {sealed_version - 1}" in broken.message


def test_documents_created_and_moved_after_the_seal_are_no_false_alarm(session, drafts, key, world):
    _, edited = drafts
    seal = make_seal(session, key, MONDAY)
    author = world.actor(world.staff)

    fire(session, edited, "withdraw", author, comment="Питання вирішено", now=MONDAY + timedelta(hours=1))
    create_document(session, "decision_draft", author, title="Про нову зупинку", fields={"body": "Облаштувати."})
    world.published_draft("Про освітлення парку", days=1)

    assert check_against_seal(session, seal) == []


# --- sealing refuses a history that does not hold together ---------------------------------------------------
def test_a_log_whose_chain_is_broken_is_not_sealed(session, drafts, key):
    _, edited = drafts
    switch_off_append_only(session)
    session.connection().execute(
        update(AUDIT).where(AUDIT.c.document_id == edited.id, AUDIT.c.version == 1).values(comment="змінено")
    )

    with pytest.raises(SealRefused, match=f"does not hold together, so it was not sealed: .*document {edited.id}"):
        make_seal(session, key, MONDAY)


def test_a_log_rewritten_since_the_latest_seal_is_not_sealed_again(session, drafts, key):
    _, edited = drafts
    first = make_seal(session, key, MONDAY)
    rewrite_and_rehash(session, edited, 1, "переписано")

    with pytest.raises(SealRefused, match=f"not sealed: document {edited.id} broke since the seal of 2026-12-01"):
        make_seal(session, key, MONDAY + timedelta(days=1), previous=first)


def test_a_tampered_latest_seal_stops_the_next_one(session, drafts, key):
    first = make_seal(session, key, MONDAY)
    forged = Seal(first.sealed_at, first.heads[1:], heads_digest(first.heads[1:]), first.public_key, first.signature)

    with pytest.raises(SealRefused, match="the latest seal, of 2026-12-01 09:00 UTC, does not match its signature"):
        make_seal(session, key, MONDAY + timedelta(days=1), previous=forged)


# --- the seal itself -----------------------------------------------------------------------------------------
def test_a_seal_file_with_a_changed_head_fails_its_signature(session, drafts, key, tmp_path):
    path = write_seal(tmp_path, make_seal(session, key, MONDAY))
    content = json.loads(path.read_text(encoding="utf-8"))
    content["heads"][0][2] = "f" * 64
    path.write_text(json.dumps(content), encoding="utf-8")

    assert check_signature(read_seal(path), content["public_key"]) == (
        "has a digest that does not match its heads (the file was changed after it was signed)"
    )
    # a forger who fixes the digest too still lacks the key
    content["digest"] = heads_digest(Head(*head) for head in content["heads"])
    path.write_text(json.dumps(content), encoding="utf-8")
    assert check_signature(read_seal(path), content["public_key"]) == (
        "does not match its signature (the file was changed after it was signed)"
    )


def test_a_seal_signed_by_another_key_is_reported_as_such(session, drafts, key):
    forger = Ed25519PrivateKey.generate()
    seal = make_seal(session, forger, MONDAY)
    configured = public_key_text(key.public_key())

    assert check_signature(seal, configured) == (
        f"was signed by the key {seal.public_key}, not by the configured seal key {configured}"
    )
    assert check_signature(seal, None) is None  # in itself it holds together


def test_a_copy_reindented_by_some_tool_still_checks(session, drafts, key, tmp_path):
    path = write_seal(tmp_path, make_seal(session, key, MONDAY))
    copy = tmp_path / "elsewhere" / path.name
    copy.parent.mkdir()
    copy.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=2), encoding="utf-8")

    seal = read_seal(copy)
    assert check_signature(seal, public_key_text(key.public_key())) is None
    assert check_against_seal(session, seal) == []


def test_a_file_that_is_not_a_seal_says_what_is_wrong(tmp_path):
    path = tmp_path / "2026-12-01.json"
    path.write_text('{"format": "radaflow-seal/1", "sealed_at": "2026-12-01T09:00:00+00:00"}', encoding="utf-8")

    with pytest.raises(SealError, match=f"the seal {path} cannot be read: it lacks digest, heads, public_key"):
        read_seal(path)


def test_seals_of_one_day_get_files_of_their_own_and_the_latest_is_found(session, drafts, key, tmp_path):
    first = write_seal(tmp_path, make_seal(session, key, MONDAY))
    second = write_seal(tmp_path, make_seal(session, key, MONDAY + timedelta(hours=3)))
    third = write_seal(tmp_path, make_seal(session, key, MONDAY + timedelta(hours=4)))
    next_day = write_seal(tmp_path, make_seal(session, key, MONDAY + timedelta(days=1)))

    assert [p.name for p in (first, second, third, next_day)] == [
        "2026-12-01.json",
        "2026-12-01.2.json",
        "2026-12-01.3.json",
        "2026-12-02.json",
    ]
    assert seal_files(tmp_path) == [first, second, third, next_day]
    assert latest_seal_file(tmp_path) == next_day
    assert sealed_on(tmp_path, MONDAY.date())
    assert not sealed_on(tmp_path, (MONDAY + timedelta(days=2)).date())
    assert read_seal(second).sealed_at == "2026-12-01T12:00:00.000000+00:00"


# --- the key -------------------------------------------------------------------------------------------------
def test_the_key_is_generated_once_with_mode_0600_and_reused(tmp_path):
    key_file = tmp_path / "instance" / "seal-key.pem"

    made = signing_key(None, key_file, may_generate=True)
    again = signing_key(None, key_file, may_generate=True)

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text(encoding="ascii").startswith("-----BEGIN PRIVATE KEY-----")
    assert public_key_text(again.public_key()) == public_key_text(made.public_key())
    assert verifying_key(None, None, key_file) == public_key_text(made.public_key())
    assert [p.name for p in key_file.parent.iterdir()] == ["seal-key.pem"]  # no temporary file left behind


def test_without_a_key_production_refuses_to_seal_and_makes_none(tmp_path):
    key_file = tmp_path / "seal-key.pem"

    with pytest.raises(SealKeyMissing, match="no seal key: in production set RADAFLOW_SEAL_KEY"):
        signing_key(None, key_file, may_generate=False)

    assert not key_file.exists()
    assert verifying_key(None, None, key_file) is None


def test_the_key_from_the_environment_comes_before_the_file(tmp_path, key):
    key_file = tmp_path / "seal-key.pem"
    signing_key(None, key_file, may_generate=True)
    chosen = signing_key(base64.b64encode(key.private_bytes_raw()).decode(), key_file, may_generate=False)

    assert public_key_text(chosen.public_key()) == public_key_text(key.public_key())


def test_a_key_file_others_can_read_is_refused(tmp_path):
    key_file = tmp_path / "seal-key.pem"
    signing_key(None, key_file, may_generate=True)
    key_file.chmod(0o644)

    with pytest.raises(SealError, match=f"can be read by others \\(mode 0644\\): chmod 600 {key_file}"):
        signing_key(None, key_file, may_generate=True)
