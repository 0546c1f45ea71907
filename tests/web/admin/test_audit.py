"""The audit log on the administrator's page: the latest seal with its signature checked, the last verification
recorded, and a verification or a seal asked for now — run by the worker after the commit (the page never waits
for a check over the whole database) and its outcome shown; a second one is refused while one waits."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from tests.web.admin.admin_site import admin_client, nothing_changes, post
from tests.web.site import in_english, submitted, text_of
from workflow.council.administration import checks
from workflow.council.administration.models import AuditCheck
from workflow.engine import seals
from workflow.engine.models import AuditEntry
from workflow.timeutil import utcnow


@pytest.fixture(autouse=True)
def _one_transaction(monkeypatch):
    """The test's application runs inside one outer transaction, in which a check cannot take a snapshot of its
    own (on PostgreSQL, REPEATABLE READ is set when a transaction begins): here the check reads in the test's
    transaction. A check's snapshot on a database of its own is tested with the seals (tests/tasks/test_seals)."""
    monkeypatch.setattr(seals, "consistent_reads", lambda session: None)


def test_without_a_seal_or_a_verification_the_page_says_so(site):
    page = text_of(admin_client(site).get("/admin/audit").get_data(as_text=True))

    assert "Журнал ще не запечатано." in page
    assert "Жодної перевірки ще не записано." in page


def test_the_administrator_seals_the_log_now_and_sees_the_seal(site):
    submitted(site)
    client = admin_client(site)

    response = post(client, "/admin/audit/seal")

    assert response.status_code == 302
    settings = site.app.extensions["radaflow"].settings
    path = seals.latest_seal_file(settings.seals_dir)
    assert path is not None
    seal = seals.read_seal(path)
    page = text_of(client.get("/admin/audit").get_data(as_text=True))
    assert f"Відбиток вершин {seal.digest}" in page
    assert "Підпис дійсний" in page
    assert "журнал цілісний" in page
    assert f"Печатка {path.name}" in page


def test_a_verification_finds_an_entry_edited_behind_the_engine_s_back(site):
    draft = submitted(site)
    client = admin_client(site)
    assert post(client, "/admin/audit/verify").status_code == 302
    assert "журнал цілісний" in text_of(client.get("/admin/audit").get_data(as_text=True))

    if site.session.get_bind().dialect.name == "postgresql":
        site.session.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))
    else:
        site.session.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_update"))
    entry = site.session.scalar(select(AuditEntry).where(AuditEntry.document_id == draft.id).limit(1))
    site.session.execute(text("UPDATE audit_entries SET comment = 'переписано' WHERE id = :id"), {"id": entry.id})
    site.session.commit()
    assert post(in_english(client), "/admin/audit/verify").status_code == 302

    page = text_of(client.get("/admin/audit").get_data(as_text=True))
    assert "history was altered" in page
    assert f"document {draft.id}" in page
    assert "its content does not match its hash (the entry was edited)" in page


def test_a_second_check_is_refused_while_one_waits(site):
    client = admin_client(site)
    with site.app.extensions["radaflow"].sessions.begin() as session:
        session.add(AuditCheck(kind="verify", requested_at=utcnow(), findings=[]))

    page = text_of(client.get("/admin/audit").get_data(as_text=True))
    assert "чекає на виконавця" in page
    assert "Перевірити журнал зараз" not in page
    with nothing_changes(site):
        response = post(client, "/admin/audit/verify")
    assert response.status_code == 409
    assert "ще не завершилася" in text_of(response.get_data(as_text=True))


def test_findings_are_kept_as_messages_and_said_in_either_language():
    said = checks.from_json(
        checks.to_json(
            seals.SealBreak(
                3, 2, "2026-12-01 00:15 UTC", seals.message("seal.entry_gone", "x {missing}", missing=2)
            ).said
        )
    )
    assert str(said) == "document 3 broke since the seal of 2026-12-01 00:15 UTC: x 2"
