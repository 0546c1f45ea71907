"""`radaflow audit seal` and `radaflow audit verify` against the seal, as an operator runs them — and as an
attacker with the database would try to get past them: switch the append-only triggers off, rewrite an entry and
re-hash the chain with the project's own hash function."""

from __future__ import annotations

import base64
import json
import sqlite3
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, select, text, update

from tests.web.cli.shipped import sqlite_url
from workflow.config import public_key_text
from workflow.engine import fire
from workflow.engine.audit import GENESIS, canonical_json, entry_hash
from workflow.engine.models import AuditEntry, Document
from workflow.engine.seals import latest_seal_file
from workflow.people import load_actor

AUDIT = AuditEntry.__table__
DOCUMENTS = Document.__table__
PRODUCTION = {"RADAFLOW_ENV": "production", "SECRET_KEY": "s" * 40, "SMTP_URL": "off"}


def rewrite_and_rehash(engine: Engine, document_id: int, version: int, comment: str) -> None:
    """The attacker's rewrite, committed: triggers off, the entry's comment changed, its hash and every later one
    recomputed with `entry_hash`, the document's anchor moved along."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))
        else:
            connection.execute(text("DROP TRIGGER audit_entries_no_update"))
        chained = GENESIS
        for row in connection.execute(
            select(AUDIT).where(AUDIT.c.document_id == document_id).order_by(AUDIT.c.version)
        ).all():
            if row.version < version:
                chained = row.hash
                continue
            new_comment = comment if row.version == version else row.comment
            rehashed = entry_hash(
                document_id=row.document_id,
                version=row.version,
                at=row.at,
                actor_id=row.actor_id,
                trigger=row.trigger,
                from_state=row.from_state,
                to_state=row.to_state,
                comment=new_comment,
                data_json=canonical_json(row.data),
                prev_hash=chained,
            )
            connection.execute(
                update(AUDIT).where(AUDIT.c.id == row.id).values(comment=new_comment, prev_hash=chained, hash=rehashed)
            )
            chained = rehashed
        connection.execute(update(DOCUMENTS).where(DOCUMENTS.c.id == document_id).values(audit_hash=chained))


def two_drafts(radaflow, database_url, council):
    """An upgraded database with two drafts, the second submitted for visas with a comment-less move."""
    radaflow.use_database(database_url)
    assert radaflow("db", "upgrade").exit_code == 0
    rada = council(database_url)
    author = rada.author()
    first = rada.draft(author, "Про ремонт шкільного стадіону", submitted=True)
    second = rada.draft(author, "Про затвердження програми благоустрою", submitted=True)
    return rada, author, first, second


def sealed_file(radaflow) -> Path:
    (path,) = (radaflow.instance_dir / "seals").glob("*.json")
    return path


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --- sealing -------------------------------------------------------------------------------------------------
def test_audit_seal_writes_the_day_s_seal_with_a_key_made_once_and_verify_checks_against_it(
    radaflow, database_url, council
):
    two_drafts(radaflow, database_url, council)

    sealed = radaflow("audit", "seal")

    assert sealed.exit_code == 0, sealed.output
    path = sealed_file(radaflow)
    seal = json.loads(path.read_text(encoding="utf-8"))
    assert seal["documents"] == 2
    assert sealed.stdout.splitlines() == [
        f"sealed the heads of 2 document(s) on {seal['sealed_at'][:10]} {seal['sealed_at'][11:16]} UTC: {path}",
        f"  digest      {seal['digest']}",
        f"  public key  {seal['public_key']}",
    ]
    key_file = radaflow.instance_dir / "seal-key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key_text = key_file.read_text(encoding="ascii")

    again = radaflow("audit", "seal")
    assert again.exit_code == 0, again.output
    assert key_file.read_text(encoding="ascii") == key_text  # the same key signs the next seal
    assert len(list((radaflow.instance_dir / "seals").glob("*.json"))) == 2

    verified = radaflow("audit", "verify")
    assert verified.exit_code == 0, verified.output
    # checked against the latest seal, the day's second
    latest = latest_seal_file(radaflow.instance_dir / "seals")
    assert latest is not None
    assert latest != path
    assert verified.stdout.splitlines()[0] == "ok: 4 audit entries of 2 document(s) hold together"
    assert verified.stdout.splitlines()[1].startswith("ok: the 2 document(s) sealed on ")
    assert verified.stdout.splitlines()[1].endswith(f"still hash to their sealed heads ({latest})")


def test_audit_seal_in_production_without_a_key_refuses_and_writes_nothing(
    radaflow, database_url, council, monkeypatch
):
    two_drafts(radaflow, database_url, council)
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)

    result = radaflow("audit", "seal")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no seal key: in production set RADAFLOW_SEAL_KEY")
    assert "one is never generated by itself here" in result.stderr
    no_traceback(result)
    assert not (radaflow.instance_dir / "seal-key.pem").exists()
    assert not (radaflow.instance_dir / "seals").exists()


def test_audit_seal_in_production_signs_with_the_key_from_the_environment(radaflow, database_url, council, monkeypatch):
    two_drafts(radaflow, database_url, council)
    key = Ed25519PrivateKey.generate()
    for name, value in {**PRODUCTION, "RADAFLOW_SEAL_KEY": base64.b64encode(key.private_bytes_raw()).decode()}.items():
        monkeypatch.setenv(name, value)

    result = radaflow("audit", "seal")

    assert result.exit_code == 0, result.output
    assert json.loads(sealed_file(radaflow).read_text(encoding="utf-8"))["public_key"] == public_key_text(
        key.public_key()
    )
    assert not (radaflow.instance_dir / "seal-key.pem").exists()


def test_audit_seal_refuses_a_log_that_does_not_hold_together(radaflow, tmp_path, council):
    url = f"sqlite:///{tmp_path / 'tampered.sqlite3'}"
    rada, _, _, second = two_drafts(radaflow, url, council)
    with rada.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_entries_no_update"))
        connection.execute(text("UPDATE audit_entries SET comment = 'змінено' WHERE document_id = :id"), {"id": second})

    result = radaflow("audit", "seal")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the audit log does not hold together, so it was not sealed: audit entry")
    assert f"(document {second}, version 1)" in result.stderr
    no_traceback(result)
    assert not (radaflow.instance_dir / "seals").exists()


# --- the attacker who re-hashes the chain --------------------------------------------------------------------
def test_audit_verify_names_a_document_whose_history_was_rewritten_and_rehashed_since_the_seal(
    radaflow, database_url, council
):
    rada, _, first, second = two_drafts(radaflow, database_url, council)
    assert radaflow("audit", "seal").exit_code == 0
    seal_path = sealed_file(radaflow)
    day = json.loads(seal_path.read_text(encoding="utf-8"))["sealed_at"][:10]

    rewrite_and_rehash(rada.engine, second, 2, "Погоджено без зауважень")
    result = radaflow("audit", "verify")

    assert result.exit_code == 1
    # the chain alone holds together: the attacker used the project's own hash function ...
    assert result.stdout == "ok: 4 audit entries of 2 document(s) hold together\n"
    # ... but the seal names the document, and only that one
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"Error: document {second} broke since the seal of {day} ")
    assert "its entries up to version 2 no longer hash to the sealed head" in errors[0]
    assert (
        errors[1] == f"Error: 1 of the 2 document(s) sealed on {errors[0].split('the seal of ')[1][:20]} "
        f"broke since ({seal_path})"
    )
    assert len(errors) == 2
    assert f"document {first} " not in result.stderr
    no_traceback(result)
    # and the next seal refuses to bless the rewrite
    refused = radaflow("audit", "seal")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"Error: not sealed: document {second} broke since the seal of {day}")


def test_documents_created_and_moved_after_the_seal_are_no_false_alarm(radaflow, database_url, council):
    rada, author, first, _ = two_drafts(radaflow, database_url, council)
    assert radaflow("audit", "seal").exit_code == 0

    with rada.sessions.begin() as session:
        fire(session, session.get(Document, first), "withdraw", load_actor(session, author), comment="Не на часі")
    rada.draft(author, "Про нову зупинку громадського транспорту", submitted=True)
    rada.draft(author, "Про сквер")
    result = radaflow("audit", "verify")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "ok: 8 audit entries of 4 document(s) hold together",
        result.stdout.splitlines()[1],
    ]
    assert result.stdout.splitlines()[1].startswith("ok: the 2 document(s) sealed on ")


# --- the seal itself -----------------------------------------------------------------------------------------
def test_audit_verify_reports_a_seal_file_changed_after_it_was_signed(radaflow, database_url, council):
    rada, _, _, second = two_drafts(radaflow, database_url, council)
    assert radaflow("audit", "seal").exit_code == 0
    path = sealed_file(radaflow)
    rewrite_and_rehash(rada.engine, second, 2, "Погоджено без зауважень")
    # the attacker puts the re-hashed head into the seal too
    seal = json.loads(path.read_text(encoding="utf-8"))
    with rada.engine.connect() as connection:
        rehashed = connection.execute(select(DOCUMENTS.c.audit_hash).where(DOCUMENTS.c.id == second)).scalar_one()
    seal["heads"][1][2] = rehashed
    path.write_text(json.dumps(seal), encoding="utf-8")

    result = radaflow("audit", "verify")

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: the seal {path} has a digest that does not match its heads (the file was changed after it was "
        "signed)\n"
    )
    no_traceback(result)


def test_audit_verify_reports_a_seal_signed_by_another_key_than_the_configured_one(
    radaflow, database_url, council, monkeypatch
):
    two_drafts(radaflow, database_url, council)
    assert radaflow("audit", "seal").exit_code == 0
    path = sealed_file(radaflow)
    signed_by = json.loads(path.read_text(encoding="utf-8"))["public_key"]
    configured = public_key_text(Ed25519PrivateKey.generate().public_key())
    monkeypatch.setenv("RADAFLOW_SEAL_PUBLIC_KEY", configured)

    result = radaflow("audit", "verify")

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: the seal {path} was signed by the key {signed_by}, not by the configured seal key {configured}\n"
    )
    no_traceback(result)


def test_audit_verify_refuses_a_seal_it_has_no_key_to_check(radaflow, database_url, council):
    two_drafts(radaflow, database_url, council)
    assert radaflow("audit", "seal").exit_code == 0
    (radaflow.instance_dir / "seal-key.pem").unlink()

    result = radaflow("audit", "verify")

    assert result.exit_code == 1
    assert f"Error: the seal {sealed_file(radaflow)} cannot be checked: no seal key is configured" in result.stderr
    no_traceback(result)


def test_audit_verify_against_a_copy_kept_elsewhere_with_only_the_public_key(
    radaflow, database_url, council, monkeypatch, tmp_path
):
    rada, _, first, second = two_drafts(radaflow, database_url, council)
    assert radaflow("audit", "seal").exit_code == 0
    original = sealed_file(radaflow)
    copy = tmp_path / "offsite" / original.name
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes())
    public = json.loads(copy.read_text(encoding="utf-8"))["public_key"]
    # the attacker also removes the seals and the key from the instance folder, then rewrites history
    original.unlink()
    (radaflow.instance_dir / "seal-key.pem").unlink()
    rewrite_and_rehash(rada.engine, first, 1, "створено заднім числом")
    monkeypatch.setenv("RADAFLOW_SEAL_PUBLIC_KEY", public)

    result = radaflow("audit", "verify", "--seal", str(copy))

    assert result.exit_code == 1
    assert f"Error: document {first} broke since the seal of " in result.stderr
    assert f"document {second} " not in result.stderr
    no_traceback(result)


def test_audit_verify_with_a_seal_file_that_is_not_there_says_so(radaflow, database_url, council, tmp_path):
    two_drafts(radaflow, database_url, council)
    missing = tmp_path / "2026-12-01.json"

    result = radaflow("audit", "verify", "--seal", str(missing))

    assert result.exit_code == 1
    assert f"Error: the seal {missing} cannot be read: " in result.stderr
    no_traceback(result)


def test_audit_verify_before_any_seal_says_there_is_none_yet(radaflow, database_url, council):
    two_drafts(radaflow, database_url, council)

    result = radaflow("audit", "verify")

    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: 4 audit entries of 2 document(s) hold together\n"
    assert result.stderr == (
        f"note: no seal yet in {radaflow.instance_dir / 'seals'}; `radaflow audit seal` makes one\n"
    )


def test_audit_seal_and_verify_speak_ukrainian_when_asked(radaflow, database_url, council, monkeypatch):
    rada, _, _first, second = two_drafts(radaflow, database_url, council)
    monkeypatch.setenv("RADAFLOW_LANG", "uk")
    sealed = radaflow("audit", "seal")
    assert sealed.exit_code == 0
    assert sealed.stdout.startswith("запечатано вершини журналів документів (2) ")
    seal_path = sealed_file(radaflow)

    rewrite_and_rehash(rada.engine, second, 2, "Погоджено без зауважень")
    result = radaflow("audit", "verify")

    assert result.exit_code == 1
    assert result.stdout == "гаразд: записів журналу — 4, документів — 2; усе узгоджено\n"
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"Помилка: документ {second} порушено після печатки ")
    assert "його записи до версії 2 більше не дають запечатаного геша" in errors[0]
    assert errors[1].startswith("Помилка: з документів, запечатаних ")
    assert errors[1].endswith(f"(2), відтоді порушено 1 ({seal_path})")
    no_traceback(result)
    refused = radaflow("audit", "seal")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"Error: не запечатано: документ {second} порушено після печатки ")


# --- radaflow audit verify ---------------------------------------------------------------------------------
def test_audit_verify_accepts_the_history_the_engine_wrote(radaflow, database_url, council):
    radaflow.use_database(database_url)
    assert radaflow("db", "upgrade").exit_code == 0
    rada = council(database_url)
    author = rada.author()
    rada.draft(author, "Про ремонт шкільного стадіону", submitted=True)
    rada.draft(author, "Про затвердження програми благоустрою")

    result = radaflow("audit", "verify")

    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: 3 audit entries of 2 document(s) hold together\n"


def test_audit_verify_on_an_empty_database(radaflow):
    assert radaflow("db", "upgrade").exit_code == 0

    result = radaflow("audit", "verify")

    assert result.exit_code == 0, result.output
    assert "ok: 0 audit entries of 0 document(s) hold together" in result.stdout


def test_audit_verify_names_the_entry_whose_comment_was_edited(radaflow, tmp_path, council):
    database = tmp_path / "tampered.sqlite3"
    radaflow.use_database(sqlite_url(database))
    assert radaflow("db", "upgrade").exit_code == 0
    rada = council(sqlite_url(database))
    author = rada.author()
    first = rada.draft(author, "Про ремонт шкільного стадіону", submitted=True)
    second = rada.draft(author, "Про затвердження програми благоустрою", submitted=True)
    _, submitted = rada.audit_entries(second)
    assert radaflow("audit", "verify").exit_code == 0
    rada.engine.dispose()

    connection = sqlite3.connect(database)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("UPDATE audit_entries SET comment = 'змінено' WHERE id = ?", (submitted.id,))
        # someone with access to the file drops the guard and rewrites history
        connection.execute("DROP TRIGGER audit_entries_no_update")
        connection.execute("UPDATE audit_entries SET comment = 'Погоджено без зауважень' WHERE id = ?", (submitted.id,))
        connection.commit()
    finally:
        connection.close()

    result = radaflow("audit", "verify")

    assert result.exit_code == 1
    assert (
        f"BROKEN: audit entry #{submitted.id} (document {second}, version 2): "
        "its content does not match its hash (the entry was edited)"
    ) in result.stderr
    # the first document's two entries and the second's creation held together before the break
    assert "checked 2 document(s), 4 entries before the break" in result.stderr
    assert first < second
    assert "ok:" not in result.output
