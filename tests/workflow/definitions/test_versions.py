"""Definition versions: each loaded version is stored, a changed YAML needs a new number, and a document stays
on the version it started on after a deploy of the next one (decision_draft ships at version 2; the tests
deploy a version 3)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tests.conftest import release_version_3
from workflow.config import PROJECT_ROOT
from workflow.definitions.models import DefinitionVersion
from workflow.definitions.registry import DefinitionChanged, registry_of
from workflow.engine import create_document, fire
from workflow.engine.audit import content_digest, replay
from workflow.engine.models import AuditEntry, Document
from workflow.errors import NotFound, WrongState

SHIPPED = PROJECT_ROOT / "definitions"
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def bare_database(session: Session) -> Session:
    """The database as before the first deploy: no definition stored yet (the fixture's database has them)."""
    session.execute(delete(DefinitionVersion))
    return session


def stored_versions(session: Session) -> dict[tuple[str, int], DefinitionVersion]:
    session.expire_all()
    return {(row.kind, row.version): row for row in session.scalars(select(DefinitionVersion))}


def entries(session: Session, document: Document) -> list[AuditEntry]:
    return list(
        session.scalars(select(AuditEntry).where(AuditEntry.document_id == document.id).order_by(AuditEntry.version))
    )


def new_draft(session: Session, author, title: str) -> Document:
    return create_document(
        session, "decision_draft", author, title=title, fields={"body": f"{title}: текст рішення."}, now=MONDAY
    )


# --- storing versions ----------------------------------------------------------------------------------------
def test_sync_stores_every_kind_s_version_with_its_exact_text_and_sha256(bare_database, definitions, deploy):
    deployed = deploy(definitions)

    added = registry_of(deployed).sync(deployed)

    files = {path.stem: path for path in sorted(definitions.glob("*.yaml"))}
    versions = {kind: yaml.safe_load(path.read_text(encoding="utf-8"))["version"] for kind, path in files.items()}
    assert versions["decision_draft"] == 2
    assert sorted(added) == [f"{kind} version {version}" for kind, version in versions.items()]
    stored = stored_versions(bare_database)
    assert set(stored) == set(versions.items())
    for kind, path in files.items():
        row = stored[(kind, versions[kind])]
        assert row.source_text == path.read_text(encoding="utf-8"), f"{kind}: the stored text is not the YAML"
        assert row.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert row.stored_at is not None


def test_syncing_again_stores_nothing_new(bare_database, definitions, deploy, unchanged):
    first = deploy(definitions)
    registry_of(first).sync(first)
    before = stored_versions(bare_database)

    with unchanged():
        assert registry_of(first).sync(first) == []
        again = deploy(definitions)  # the next deploy with the same files
        assert registry_of(again).sync(again) == []

    after = stored_versions(bare_database)
    assert {key: (row.id, row.sha256) for key, row in after.items()} == {
        key: (row.id, row.sha256) for key, row in before.items()
    }


def test_a_yaml_changed_without_a_new_version_number_is_refused_and_nothing_is_stored(
    bare_database, definitions, deploy, unchanged
):
    first = deploy(definitions)
    registry_of(first).sync(first)
    original = (definitions / "decision_draft.yaml").read_text(encoding="utf-8")
    # the operator retitles a state but forgets the version; meanwhile visa gets a proper version 2
    draft_yaml = definitions / "decision_draft.yaml"
    draft_yaml.write_text(original.replace('en: "Awaiting visas"', 'en: "Waiting for visas"'), encoding="utf-8")
    visa_yaml = definitions / "visa.yaml"
    visa_yaml.write_text(
        visa_yaml.read_text(encoding="utf-8").replace("\nversion: 1\n", "\nversion: 2\n", 1), encoding="utf-8"
    )
    changed = deploy(definitions)

    with unchanged(), pytest.raises(DefinitionChanged) as refused:
        registry_of(changed).sync(changed)

    assert "decision_draft version 2" in str(refused.value)
    assert "new version number" in str(refused.value)
    assert "visa version" not in str(refused.value), "only the changed definition is named"
    stored = stored_versions(bare_database)
    assert ("visa", 2) not in stored, "the refused sync stored the versions that were fine"
    assert stored[("decision_draft", 2)].source_text == original


def test_no_document_starts_on_a_definition_changed_without_a_new_version(definitions, deploy, author, unchanged):
    draft_yaml = definitions / "decision_draft.yaml"
    draft_yaml.write_text(draft_yaml.read_text(encoding="utf-8") + "# reviewed in March\n", encoding="utf-8")
    changed = deploy(definitions)

    with unchanged(), pytest.raises(DefinitionChanged, match="decision_draft version 2"):
        new_draft(changed, author, "Про тарифи на воду")


def test_a_version_that_was_never_stored_is_not_found(definitions, deploy):
    deployed = deploy(definitions)
    registry = registry_of(deployed)

    with pytest.raises(NotFound, match="version 7 of 'decision_draft' was never stored"):
        registry.get("decision_draft", 7, deployed)
    with pytest.raises(NotFound, match="no definition for documents of kind 'budget'"):
        registry.current("budget")


# --- a deploy of version 3 -----------------------------------------------------------------------------------
def test_documents_started_on_version_2_keep_firing_its_triggers_after_version_3_is_deployed(
    definitions, deploy, author, secretary, unchanged
):
    before = deploy(definitions)
    waiting = new_draft(before, author, "Про ремонт шкільного стадіону")
    fire(before, waiting, "submit", author, now=MONDAY)
    still_drafting = new_draft(before, author, "Про перейменування вулиці")
    version_2_text = (definitions / "decision_draft.yaml").read_text(encoding="utf-8")

    release_version_3(definitions)
    after = deploy(definitions)
    registry = registry_of(after)
    assert registry.current("decision_draft").version == 3
    waiting = after.get(Document, waiting.id)
    still_drafting = after.get(Document, still_drafting.id)
    assert (waiting.definition_version, waiting.state) == (2, "visas")
    assert (still_drafting.definition_version, still_drafting.state) == (2, "drafting")

    # the YAML on disk is version 3 now: version 2 is compiled from the text stored when it was first loaded
    version_2 = registry.get("decision_draft", 2, after)
    assert version_2.source_text == version_2_text
    assert "visas" in version_2.definition.states
    assert {"approvals", "expertise"}.isdisjoint(version_2.definition.states)

    submitted = fire(after, still_drafting, "submit", author)
    assert (submitted.from_state, submitted.to_state) == ("drafting", "visas")
    returned = fire(after, waiting, "return_for_revision", secretary, comment="Бракує кошторису")
    assert (returned.from_state, returned.to_state) == ("visas", "drafting")
    with unchanged(), pytest.raises(WrongState, match="has no action 'request_expertise'"):
        fire(after, still_drafting, "request_expertise", secretary)

    after.expire_all()
    for document in (waiting, still_drafting):
        stored = after.get(Document, document.id)
        assert stored.definition_version == 2
        assert replay({2: version_2}, entries(after, stored)) == stored.state


def test_new_documents_start_on_version_3_once_it_is_deployed(definitions, deploy, author, secretary):
    before = deploy(definitions)
    old = new_draft(before, author, "Про ремонт шкільного стадіону")

    release_version_3(definitions)
    after = deploy(definitions)
    new = new_draft(after, author, "Про облаштування скверу")

    assert (new.definition_version, new.state) == (3, "drafting")
    (created,) = entries(after, new)
    assert created.data == {"definition_version": 3, "content": content_digest(new.title, new.fields)}
    assert fire(after, new, "submit", author).to_state == "approvals"
    assert fire(after, new, "request_expertise", secretary).to_state == "expertise"
    assert after.get(Document, old.id).definition_version == 2

    # starting the first version-3 document stored version 3 beside version 2
    stored = stored_versions(after)
    assert {version for kind, version in stored if kind == "decision_draft"} == {2, 3}
    version_3_text = (definitions / "decision_draft.yaml").read_text(encoding="utf-8")
    assert stored[("decision_draft", 3)].source_text == version_3_text
    assert stored[("decision_draft", 3)].sha256 == hashlib.sha256(version_3_text.encode("utf-8")).hexdigest()
