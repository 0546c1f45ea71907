"""Migrating documents from version 2 of decision_draft (the shipped one) to version 3, where `visas` is renamed
`approvals`: every document moves, audited, or a refusal says why and nothing moves."""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import release_version_3
from workflow.config import PROJECT_ROOT
from workflow.council.catalog import CATALOG
from workflow.db import REGISTRY_KEY
from workflow.definitions.compiled import CompiledDefinition
from workflow.definitions.registry import DefinitionRegistry, registry_of
from workflow.engine import create_document, fire
from workflow.engine.audit import hash_of, replay, verify_log
from workflow.engine.migrate import migrate_documents
from workflow.engine.models import AuditEntry, Document
from workflow.errors import InvalidInput, NotFound
from workflow.people import Actor
from workflow.timeutil import as_utc

SHIPPED = PROJECT_ROOT / "definitions"
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MIGRATION_DAY = datetime(2026, 3, 4, 18, 30, tzinfo=UTC)
KIND = "decision_draft"


@dataclass
class Council:
    """A council's database that started on version 2 of decision_draft, and the definitions it deploys."""

    session: Session
    definitions: Path
    author: Actor
    secretary: Actor
    _opened: list[Session]

    def deploy(self) -> Session:
        """A new registry loaded from the definitions directory, as after a deploy, over the same database."""
        deployed = Session(
            bind=self.session.connection(),
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
            info={REGISTRY_KEY: DefinitionRegistry.from_directory(self.definitions, CATALOG)},
        )
        self._opened.append(deployed)
        return deployed

    def draft(self, session: Session, title: str, *, moves: tuple[str, ...] = ()) -> Document:
        """A draft decision by the author, moved by `moves` (the author's and the secretary's triggers)."""
        document = create_document(
            session, KIND, self.author, title=title, fields={"body": f"{title}: текст рішення."}, now=MONDAY
        )
        for trigger in moves:
            actor = self.author if trigger in {"submit", "withdraw"} else self.secretary
            comment = "Причина зазначена в листі" if trigger == "withdraw" else None
            fire(session, document, trigger, actor, comment=comment, now=MONDAY)
        return document


@pytest.fixture
def council(session, people, tmp_path):
    definitions = tmp_path / "definitions"
    definitions.mkdir()
    for source in SHIPPED.glob("*.yaml"):
        shutil.copy(source, definitions / source.name)
    opened: list[Session] = []
    yield Council(
        session=session,
        definitions=definitions,
        author=people.person("Оксана Мельник", "staff"),
        secretary=people.person("Тарас Коваль", "secretary"),
        _opened=opened,
    )
    for deployed in reversed(opened):
        deployed.close()


@pytest.fixture
def on_version_2(council):
    """Five drafts on version 2 — two drafting, two awaiting visas, one withdrawn — then version 3 deployed.

    Returns the session of the new deploy and the drafts reloaded in it, by title.
    """
    before = council.deploy()
    drafts = [
        council.draft(before, "Про тарифи на воду"),
        council.draft(before, "Про перейменування вулиці"),
        council.draft(before, "Про ремонт шкільного стадіону", moves=("submit",)),
        council.draft(before, "Про облаштування скверу", moves=("submit",)),
        council.draft(before, "Про оренду приміщення", moves=("withdraw",)),
    ]
    release_version_3(council.definitions)
    after = council.deploy()
    return after, {d.title: after.get(Document, d.id) for d in drafts}


def log(session: Session, document_id: int) -> list[AuditEntry]:
    return list(
        session.scalars(select(AuditEntry).where(AuditEntry.document_id == document_id).order_by(AuditEntry.version))
    )


def versions_of(session: Session) -> dict[int, CompiledDefinition]:
    registry = registry_of(session)
    return {v: registry.get(KIND, v, session) for v in (2, 3)}


# --- the migration -------------------------------------------------------------------------------------------
def test_every_version_2_draft_moves_to_version_3_with_visas_renamed_approvals(council, on_version_2):
    session, drafts = on_version_2
    started_on_3 = council.draft(session, "Про бюджет на 2027 рік", moves=("submit",))
    before = {d.id: (d.state, d.version, d.audit_hash) for d in drafts.values()}
    untouched = (started_on_3.state, started_on_3.version, started_on_3.audit_hash)

    moved = migrate_documents(session, KIND, 2, 3, {"visas": "approvals"}, Actor.system(), now=MIGRATION_DAY)

    assert moved == Counter({("drafting", "drafting"): 2, ("visas", "approvals"): 2, ("withdrawn", "withdrawn"): 1})
    session.expire_all()
    for document_id, (state, version, audit_hash) in before.items():
        document = session.get(Document, document_id)
        expected_state = "approvals" if state == "visas" else state
        assert (document.definition_version, document.state, document.version) == (3, expected_state, version + 1)
        migrated = log(session, document_id)[-1]
        assert (migrated.trigger, migrated.from_state, migrated.to_state) == ("migrate", state, expected_state)
        assert migrated.data == {"from_version": 2, "to_version": 3}
        assert (migrated.version, migrated.actor_id, migrated.comment) == (version + 1, None, None)
        assert as_utc(migrated.at) == MIGRATION_DAY
        assert migrated.prev_hash == audit_hash
        assert migrated.hash == hash_of(migrated) == document.audit_hash
        assert [e.trigger for e in log(session, document_id)].count("migrate") == 1

    # a document that started on version 3 is not touched
    started_on_3 = session.get(Document, started_on_3.id)
    assert (started_on_3.state, started_on_3.version, started_on_3.audit_hash) == untouched
    assert "migrate" not in [e.trigger for e in log(session, started_on_3.id)]


def test_the_audit_log_holds_and_replays_across_the_migration(council, on_version_2):
    session, drafts = on_version_2
    migrate_documents(session, KIND, 2, 3, {"visas": "approvals"}, Actor.system(), now=MIGRATION_DAY)

    # after the migration the drafts move by version 3's machine
    approvals = session.get(Document, drafts["Про ремонт шкільного стадіону"].id)
    assert fire(session, approvals, "request_expertise", council.secretary).to_state == "expertise"
    drafting = session.get(Document, drafts["Про тарифи на воду"].id)
    assert fire(session, drafting, "submit", council.author).to_state == "approvals"

    documents, checked, problem = verify_log(session)
    assert problem is None, str(problem)
    # 5 creations, 3 version-2 moves, 5 migrations, 2 version-3 moves
    assert (documents, checked) == (5, 15)

    machines = versions_of(session)
    for draft in drafts.values():
        document = session.get(Document, draft.id)
        triggers = [e.trigger for e in log(session, document.id)]
        assert triggers[0] == "create"
        assert triggers.count("migrate") == 1
        assert replay(machines, log(session, document.id)) == document.state
    assert session.get(Document, approvals.id).state == "expertise"


# --- refusals, each leaving everything as it was ----------------------------------------------------------------
def test_a_mapping_from_a_state_version_2_does_not_have_is_refused(on_version_2, unchanged):
    session, _ = on_version_2
    with unchanged(), pytest.raises(InvalidInput) as refused:
        migrate_documents(session, KIND, 2, 3, {"vizas": "approvals"}, Actor.system())
    assert refused.value.message == "decision_draft version 2 has no state 'vizas'"


def test_a_mapping_to_a_state_version_3_does_not_have_is_refused(on_version_2, unchanged):
    session, _ = on_version_2
    with unchanged(), pytest.raises(InvalidInput) as refused:
        migrate_documents(session, KIND, 2, 3, {"visas": "visa_review"}, Actor.system())
    assert refused.value.message == "decision_draft version 3 has no state 'visa_review'"


def test_drafts_in_a_state_version_3_lacks_and_the_mapping_leaves_out_are_refused(on_version_2, unchanged):
    session, _ = on_version_2
    with unchanged(), pytest.raises(InvalidInput) as refused:
        migrate_documents(session, KIND, 2, 3, {}, Actor.system())
    assert refused.value.message == (
        "decision_draft version 3 has no state for: 'visas' (2 documents); map them with old=new"
    )


def test_migrating_a_version_to_itself_is_refused(on_version_2, unchanged):
    session, _ = on_version_2
    with unchanged(), pytest.raises(InvalidInput, match="the versions to migrate from and to are the same"):
        migrate_documents(session, KIND, 2, 2, {}, Actor.system())


def test_running_the_migration_again_finds_no_draft_left_on_version_2(on_version_2, unchanged):
    session, _ = on_version_2
    migrate_documents(session, KIND, 2, 3, {"visas": "approvals"}, Actor.system(), now=MIGRATION_DAY)

    with unchanged(), pytest.raises(NotFound, match="no decision_draft document is on version 2"):
        migrate_documents(session, KIND, 2, 3, {"visas": "approvals"}, Actor.system())


def test_a_deploy_with_no_draft_on_version_2_has_nothing_to_migrate_and_stores_nothing(council, unchanged):
    release_version_3(council.definitions)
    session = council.deploy()  # version 3 is not stored yet: no version-3 draft was started

    with unchanged(), pytest.raises(NotFound, match="no decision_draft document is on version 2"):
        migrate_documents(session, KIND, 2, 3, {"visas": "approvals"}, Actor.system())


def test_migrating_to_a_version_that_was_never_deployed_is_refused(on_version_2, unchanged):
    session, _ = on_version_2
    with unchanged(), pytest.raises(NotFound, match="version 4 of 'decision_draft' was never stored"):
        migrate_documents(session, KIND, 2, 4, {"visas": "approvals"}, Actor.system())
